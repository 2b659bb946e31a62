"""Every refusal a service raises has words: a code missing from its class's message table would reach the
member as the bare code ("bad_lead"). Read from the source, so a new `raise` cannot slip past."""
import ast
import importlib
from pathlib import Path

import expertnet
from expertnet.service_errors import ServiceError

PACKAGE = Path(expertnet.__file__).parent


def _raised_codes():
    """(module, class name, code, line) for each `raise SomeError("code")` in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        module_name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            call = node.exc
            if isinstance(call.func, ast.Name) and call.args and isinstance(call.args[0], ast.Constant) \
                    and isinstance(call.args[0].value, str):
                yield module_name, call.func.id, call.args[0].value, node.lineno


def test_every_raised_service_error_code_has_a_message():
    unworded, checked = [], 0
    for module_name, class_name, code, line in _raised_codes():
        error_class = getattr(importlib.import_module(module_name), class_name, None)
        if not (isinstance(error_class, type) and issubclass(error_class, ServiceError)):
            continue
        checked += 1
        if code not in error_class.messages:
            unworded.append(f"{module_name}:{line} {class_name}({code!r})")
    assert checked > 50  # the scan found the services' refusals
    assert unworded == []
