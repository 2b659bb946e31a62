"""Coordinators' bulk import of experts from CSV: every row validated, a report per row, all or nothing per file.

Columns (UTF-8, header row): email, full_name, affiliation, headline, expertise_statement, biography,
topics ("slug:level; slug"), languages ("ar:native; en"), countries ("JO; EG"), regions, capacity, locale.
Imported experts are vetted by the importing coordinator and get a link to set their password.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from marshmallow import ValidationError

from expertnet.accounts.models import Role, User
from expertnet.accounts.services import create_user, normalise_email, request_password_reset
from expertnet.audit.services import record
from expertnet.csv_safety import CsvDecodeError, looks_like_formula, read_csv
from expertnet.db import utcnow
from expertnet.experts.models import ExpertProfile, VettingStatus
from expertnet.experts.schemas import ProfileIn
from expertnet.experts.services import _replace_children
from expertnet.extensions import db

REQUIRED_COLUMNS = ("email", "full_name")
OPTIONAL_COLUMNS = ("affiliation", "headline", "expertise_statement", "biography", "topics", "languages", "countries",
                    "regions", "capacity", "locale")
MAX_ROWS = 2000


@dataclass
class RowReport:
    line: int
    email: str
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowReport] = field(default_factory=list)
    imported: int = 0

    @property
    def rejected(self) -> list[RowReport]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.rejected


def _split(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _pairs(cell: str, key: str, value: str, default: str) -> list[dict]:
    out = []
    for part in _split(cell):
        name, _sep, level = part.partition(":")
        out.append({key: name.strip().lower(), value: (level.strip().lower() or default)})
    return out


def _payload(row: dict) -> dict:
    capacity = (row.get("capacity") or "").strip()
    return {
        "headline": row.get("headline", "").strip(), "affiliation": row.get("affiliation", "").strip(),
        "biography": row.get("biography", "").strip(), "expertise_statement": row.get("expertise_statement", "").strip(),
        "topics": _pairs(row.get("topics", ""), "slug", "level", "practitioner"),
        "languages": _pairs(row.get("languages", ""), "code", "proficiency", "working"),
        "countries": _split(row.get("countries", "")), "regions": [r.lower() for r in _split(row.get("regions", ""))],
        "capacity": int(capacity) if capacity.isdigit() else (capacity or 2),
    }


def _flatten(messages, prefix: str = "") -> list[str]:
    if isinstance(messages, dict):
        return [m for key, value in messages.items() for m in _flatten(value, f"{prefix}{key}." if prefix or
                                                                          not str(key).isdigit() else prefix)]
    if isinstance(messages, list):
        return [m for value in messages for m in _flatten(value, prefix)]
    return [f"{prefix.rstrip('.')}: {messages}" if prefix else str(messages)]


def _check_row(line: int, row: dict, seen: set[str]) -> tuple[RowReport, dict | None]:
    email = normalise_email(row.get("email") or "")
    report = RowReport(line, email)
    formulas = [name for name, value in row.items() if looks_like_formula(value)]
    if formulas:
        report.errors.append(f"formula-like content refused in: {', '.join(formulas)}")
    try:
        email = normalise_email(validate_email(email, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        report.errors.append(f"email: {exc}")
    if email in seen:
        report.errors.append("email: duplicate in this file")
    elif db.session.scalar(sa.select(User.id).where(User.email == email)):
        report.errors.append("email: an account with this e-mail already exists")
    seen.add(email)
    if not (row.get("full_name") or "").strip():
        report.errors.append("full_name: required")
    locale = (row.get("locale") or "").strip()
    if locale and locale not in ("en", "ar"):
        report.errors.append("locale: use en or ar")
    try:
        data = ProfileIn().load(_payload(row))
    except ValidationError as exc:
        report.errors.extend(_flatten(exc.messages))
        data = None
    return report, (None if report.errors else {"email": email, "row": row, "data": data})


def check_file(content: bytes) -> tuple[ImportReport, list[dict]]:
    report = ImportReport()
    try:
        header, rows = read_csv(content)
    except CsvDecodeError:
        report.file_errors.append("The file is not UTF-8 text; save it as \"CSV UTF-8\" and try again.")
        return report, []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        report.file_errors.append(f"Columns: missing {missing or '-'}; unknown {unknown or '-'}.")
        return report, []
    if not rows or len(rows) > MAX_ROWS:
        report.file_errors.append(f"The file must hold between 1 and {MAX_ROWS} experts.")
        return report, []
    seen: set[str] = set()
    valid = []
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        row_report, checked = _check_row(number, row, seen)
        report.rows.append(row_report)
        if checked:
            valid.append(checked)
    return report, valid


def import_experts(coordinator, content: bytes, send_links: bool = True) -> ImportReport:
    """Validate the whole file first; import only when every row is valid (nothing half-imported)."""
    report, valid = check_file(content)
    if not report.ok:
        return report
    for item in valid:
        row = item["row"]
        user = create_user(item["email"], row["full_name"], Role.EXPERT, None,
                           locale=(row.get("locale") or "").strip() or None, actor=coordinator)
        profile = ExpertProfile(user=user, vetting_status=VettingStatus.APPROVED, vetted_at=utcnow(),
                                vetted_by=coordinator, vetting_reason="Imported by a coordinator")
        db.session.add(profile)
        data = item["data"]
        for name in ("headline", "affiliation", "biography", "expertise_statement", "countries", "regions", "capacity"):
            setattr(profile, name, data[name])
        with db.session.no_autoflush:
            _replace_children(profile, data)
        db.session.flush()
        record("expert.imported", coordinator, profile, email=user.email)
        if send_links:
            request_password_reset(user.email)
    report.imported = len(valid)
    record("experts.import", coordinator, None, imported=report.imported)
    return report
