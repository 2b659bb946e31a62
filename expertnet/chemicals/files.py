"""Register files as the import reads them: CSV (one substance a row) or JSON (a list of substances), both
turned into the schema's shape before validation.

CSV columns: `cas`, `lists` (codes separated by ';', each optionally `code=threshold`), `en`, `ar`, `fr`, `es`
(names separated by '|', the first one preferred) and `note`. The bundled seed (data/) is such a file."""
import csv
import io
import json
from pathlib import Path

from expertnet.chemicals.models import NAME_LANGUAGES

DATA = Path(__file__).with_name("data")
BUNDLED_LISTS = DATA / "lists.json"
BUNDLED_SUBSTANCES = DATA / "substances.csv"


class UnreadableFile(ValueError):
    """Not a CSV with a `cas` column, nor a JSON list of objects."""


def _listing(text: str) -> dict:
    code, _, threshold = text.partition("=")
    return {"code": code.strip(), "threshold": threshold.strip()}


def csv_entries(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if "cas" not in (reader.fieldnames or []):
        raise UnreadableFile("cas")
    return [{"cas": (row.get("cas") or "").strip(),
             "names": {language: (row.get(language) or "").split("|") for language in NAME_LANGUAGES},
             "lists": [_listing(part) for part in (row.get("lists") or "").split(";") if part.strip()],
             "note": (row.get("note") or "").strip()} for row in reader]


def json_entries(text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise UnreadableFile("json") from error
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise UnreadableFile("json")
    return [{**entry, "lists": [_listing(x) if isinstance(x, str) else x for x in entry.get("lists") or []]}
            for entry in data]


def read_entries(filename: str, content: bytes) -> list[dict]:
    """The entries of an uploaded or named file, by its extension (.json, otherwise CSV)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile("encoding") from error
    return json_entries(text) if filename.lower().endswith(".json") else csv_entries(text)


def bundled_lists() -> list[dict]:
    return json.loads(BUNDLED_LISTS.read_text(encoding="utf-8"))


def bundled_substances() -> list[dict]:
    return csv_entries(BUNDLED_SUBSTANCES.read_text(encoding="utf-8"))
