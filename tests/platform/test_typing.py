"""mypy holds the typed core (mypy.ini's `files`: matching, services, access, the refusal family) clean."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_typed_core_has_no_mypy_errors(monkeypatch):
    mypy_api = pytest.importorskip("mypy.api", reason="mypy is a dev tool: install requirements-dev.txt")
    monkeypatch.chdir(ROOT)  # mypy.ini names its files relative to the project root
    report, errors, exit_status = mypy_api.run(["--config-file", str(ROOT / "mypy.ini")])
    assert exit_status == 0, report + errors
