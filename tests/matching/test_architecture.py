import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_matching_loads_no_flask_sqlalchemy_or_other_expertnet_module():
    code = ("import expertnet.matching, sys; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'werkzeug') "
            "or (m.startswith('expertnet.') and not m.startswith('expertnet.matching'))); print(bad)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_matching_sources_import_only_allowed_packages():
    # joblib: scikit-learn's own process pool (fitting); usearch: the centroid graph (ann.py); both pinned in requirements.txt
    allowed = {"numpy", "scipy", "sklearn", "snowballstemmer", "joblib", "usearch", "__future__"}
    stdlib = set(sys.stdlib_module_names)
    for path in (ROOT / "expertnet" / "matching").glob("*.py"):
        for line in path.read_text().splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and not words[1].startswith("."):
                top = words[1].split(".")[0]
                assert top in allowed or top in stdlib, f"{path.name}: {line}"
