"""The import-linter contracts in .importlinter hold, and would fail on each backwards import issue 12 removed.

Each injection runs lint-imports on a copy of expertnet's Python files with one import added (the real tree is
never touched), so a contract whose patterns stopped matching anything fails its injection here."""
import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"
# The contracts' ids in .importlinter ([importlinter:contract:<id>]).
LAYERS, MATCHING, VIEWS_ARE_LEAVES, SIBLING_VIEWS = "layers", "matching", "views-are-leaves", "sibling-views"


def lint_imports_command() -> str:
    # Installed beside this interpreter in the venv; on PATH otherwise.
    beside = Path(sys.executable).with_name("lint-imports")
    return str(beside) if beside.exists() else shutil.which("lint-imports")


def copy_of_the_package(destination: Path) -> Path:
    for source in (ROOT / "expertnet").rglob("*.py"):
        target = destination / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    shutil.copyfile(CONFIG, destination / ".importlinter")
    return destination


def lint(tree: Path, *contracts: str) -> subprocess.CompletedProcess:
    """lint-imports on `tree`, only the given contracts (all when none are given)."""
    only = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run([lint_imports_command(), "--no-cache", *only], cwd=tree, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tree)}, timeout=120)


def test_the_contracts_hold(tmp_path):
    result = lint(copy_of_the_package(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


BACKWARDS_IMPORTS = {
    "experts import engagements": ("expertnet/experts/services.py", "from expertnet.engagements import models", LAYERS),
    "requests import engagements": ("expertnet/requests/access.py", "from expertnet.engagements.models import Invitation",
                                    LAYERS),
    "attachments import requests": ("expertnet/attachments/models.py",
                                    "from expertnet.requests.models import AssistanceRequest", LAYERS),
    "a feature's demo code outside demo/": ("expertnet/engagements/demo.py", "from expertnet.demo import content",
                                            LAYERS),
    "a views module imports a sibling": ("expertnet/coordination/views.py",
                                         "from expertnet.coordination import report_views", SIBLING_VIEWS),
    "profile pages import the vetting pages": ("expertnet/experts/profile_views.py",
                                               "from expertnet.experts.views import topic_choices", SIBLING_VIEWS),
    "matching imports app code": ("expertnet/matching/ranking.py", "from expertnet.extensions import db", MATCHING),
    "matching imports flask": ("expertnet/matching/ranking.py", "import flask", MATCHING),
    "a service imports views": ("expertnet/requests/services.py", "from expertnet.requests import views",
                                VIEWS_ARE_LEAVES),
}


@pytest.mark.parametrize("module, line, contract", BACKWARDS_IMPORTS.values(), ids=BACKWARDS_IMPORTS.keys())
def test_a_backwards_import_breaks_a_contract(tmp_path, module, line, contract):
    tree = copy_of_the_package(tmp_path)
    path = tree / module
    path.write_text((path.read_text() if path.exists() else "") + f"\n{line}  # injected by the test\n")
    result = lint(tree, contract)
    assert result.returncode == 1 and "0 kept, 1 broken" in result.stdout, result.stdout + result.stderr


def test_matching_is_kept_from_every_other_expertnet_module():
    """A new top-level module or package must be added to the matching contract's forbidden list."""
    config = configparser.ConfigParser()
    config.read(CONFIG)
    forbidden = set(config["importlinter:contract:matching"]["forbidden_modules"].split())
    top_level = {f"expertnet.{path.stem}" for path in (ROOT / "expertnet").glob("*.py") if path.stem != "__init__"}
    top_level |= {f"expertnet.{path.parent.name}" for path in (ROOT / "expertnet").glob("*/__init__.py")}
    assert top_level - {"expertnet.matching"} <= forbidden
