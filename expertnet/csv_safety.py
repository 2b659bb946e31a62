"""CSV in and out without formula injection (OWASP "CSV injection"), for every export and import.

Spreadsheets execute a cell that starts with = + - @ (or a tab / carriage return before them), e.g.
`=cmd|' /C calc'!A0`. Exports prefix such cells with an apostrophe so they show as text; imports refuse them,
because a name or e-mail never legitimately starts that way.
"""
import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def looks_like_formula(value) -> bool:
    text = "" if value is None else str(value)
    stripped = text.lstrip(" ")
    return bool(stripped) and stripped.startswith(FORMULA_STARTS) and not _is_number(stripped)


def _is_number(text: str) -> bool:
    """-3.5 and +2 are numbers, not formulas; neutralising them would corrupt numeric columns."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise(value) -> str:
    """The cell as text a spreadsheet will not evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    """A whole CSV document (with a BOM so spreadsheet programs read UTF-8 Arabic correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


class CsvDecodeError(ValueError):
    """The file is not UTF-8 text."""


def read_csv(data: bytes) -> tuple[list[str], list[dict]]:
    """(header, rows as dicts) from UTF-8 bytes (a BOM is allowed); CsvDecodeError for any other encoding."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvDecodeError(str(exc)) from None
    if "\x00" in text:
        raise CsvDecodeError("NUL byte: not a text file (UTF-16?)")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    rows = [{(key or "").strip(): (value or "") for key, value in row.items() if key is not None} for row in reader]
    return header, rows
