"""The register's rules: curating a substance (each change a version row and an audit row), retiring it,
importing a file all-or-nothing, tagging requests and experts, and recognising substances in a text."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy.orm import selectinload

from expertnet.audit.services import record
from expertnet.chemicals.cas import cas_numbers_in
from expertnet.chemicals.models import (ControlList, Listing, Substance, SubstanceName, SubstanceVersion,
                                        expert_substance, request_substance)
from expertnet.chemicals.names import name_key, name_words
from expertnet.chemicals.schemas import SubstanceSchema
from expertnet.extensions import db
from expertnet.form_schema import flatten_messages
from expertnet.service_errors import Conflict, ServiceError


class ChemicalsError(ServiceError):
    messages = {
        "cas_taken": _l("Another substance of the register has this CAS number."),
        "retired": _l("This substance is retired; restore it before changing it."),
        "import_invalid": _l("Nothing was imported: correct the rows below and import the file again."),
        "unknown_substance": _l("Choose substances of the register."),
    }


class ChemicalsConflict(Conflict):
    messages = {"already_retired": _l("This substance is already retired."),
                "not_retired": _l("This substance is not retired.")}


@dataclass
class RowError:
    row: int  # 1-based data row (a CSV's header is row 0)
    messages: list[str]


class ImportRefused(ChemicalsError):
    """The file's rows that do not validate; nothing of the file was written."""

    def __init__(self, rows: list[RowError]):
        super().__init__("import_invalid")
        self.rows = rows


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


# ------------------------------------------------------------------ lists
def list_codes() -> set[str]:
    return set(db.session.scalars(sa.select(ControlList.code)))


def load_lists(entries: Iterable[dict]) -> int:
    """Insert or update the register's lists (data/lists.json); returns how many were new."""
    existing = {c.code: c for c in db.session.scalars(sa.select(ControlList))}
    new = 0
    for position, entry in enumerate(entries):
        row = existing.get(entry["code"])
        if row is None:
            row = ControlList(code=entry["code"])
            db.session.add(row)
            new += 1
        row.position, row.names = position, dict(entry["names"])
        row.source_title, row.source_url = entry["source_title"], entry["source_url"]
        row.retrieved_on = date.fromisoformat(entry["retrieved_on"])
    db.session.flush()
    return new


# ------------------------------------------------------------------ curation
def snapshot(substance: Substance) -> dict:
    """The substance as the schema loads it (names by language, preferred first; lists by code)."""
    names: dict[str, list[str]] = {}
    for name in sorted(substance.names, key=lambda n: (n.language, not n.is_preferred, n.id or 0)):
        names.setdefault(name.language, []).append(name.name)
    lists = sorted(({"code": x.control_list.code, "threshold": x.threshold} for x in substance.listings),
                   key=lambda entry: entry["code"])
    return {"cas": substance.cas, "names": names, "lists": lists, "note": substance.note,
            "retired": substance.is_retired}


def validated(data: dict) -> dict:
    """The schema's load of one substance (raises marshmallow's ValidationError)."""
    return SubstanceSchema(list_codes()).load(data)


def _apply(substance: Substance, data: dict) -> None:
    _apply_names(substance, data["names"])
    _apply_lists(substance, data["lists"])
    substance.cas, substance.note = data["cas"], data.get("note", "")


def _apply_names(substance: Substance, names: dict[str, list[str]]) -> None:
    """Names kept when their folded key stays (respelt in place), removed or added otherwise."""
    wanted = {(language, name_key(n)): (n, i == 0) for language, values in names.items()
              for i, n in enumerate(values)}
    for old in list(substance.names):
        if (old.language, old.key) not in wanted:
            substance.names.remove(old)
    db.session.flush()  # removed names leave before a re-spelt one takes their key
    present = {(row.language, row.key): row for row in substance.names}
    for (language, key), (text, preferred) in wanted.items():
        row = present.get((language, key))
        if row is None:
            substance.names.append(SubstanceName(language=language, name=text, key=key, is_preferred=preferred))
        else:
            row.name, row.is_preferred = text, preferred


def _apply_lists(substance: Substance, listings: list[dict]) -> None:
    lists = {c.code: c for c in db.session.scalars(sa.select(ControlList))}
    thresholds = {entry["code"]: entry.get("threshold", "") for entry in listings}
    for old in list(substance.listings):
        if old.control_list.code not in thresholds:
            substance.listings.remove(old)
    present = {x.control_list.code: x for x in substance.listings}
    for code, threshold in thresholds.items():
        listing = present.get(code)
        if listing is None:
            substance.listings.append(Listing(control_list=lists[code], threshold=threshold))
        else:
            listing.threshold = threshold


def _version(actor, substance: Substance, change: str) -> None:
    db.session.flush()
    db.session.expire(substance, ["names", "listings"])
    substance.version += 1
    state = snapshot(substance)
    db.session.add(SubstanceVersion(substance=substance, number=substance.version, change=change,
                                    actor_id=getattr(actor, "id", None), snapshot=state))
    record(f"substance.{change}", actor, substance, cas=substance.cas, version=substance.version)
    db.session.flush()


def _cas_owner(cas: str) -> Substance | None:
    return db.session.scalar(sa.select(Substance).where(Substance.cas == cas))


def save_substance(actor, substance: Substance | None, data: dict, change: str | None = None) -> Substance:
    """Create (substance None) or edit a substance from the schema's validated `data`; a version row and an
    audit row record it. Saving what is already there changes nothing."""
    owner = _cas_owner(data["cas"])
    if owner is not None and owner is not substance:
        raise ChemicalsError("cas_taken")
    if substance is not None and substance.is_retired:
        raise ChemicalsError("retired")
    if substance is not None and _same(snapshot(substance), data):
        return substance
    created = substance is None
    if substance is None:
        substance = Substance(cas=data["cas"], version=0)
        db.session.add(substance)
    _apply(substance, data)
    _version(actor, substance, change or ("created" if created else "edited"))
    return substance


def _same(current: dict, data: dict) -> bool:
    wanted = {**data, "lists": sorted(({"code": e["code"], "threshold": e.get("threshold", "")}
                                       for e in data["lists"]), key=lambda e: e["code"]),
              "names": {k: v for k, v in data["names"].items() if v}, "retired": current["retired"]}
    return {**current, "note": current["note"] or ""} == {**wanted, "note": wanted.get("note", "") or ""}


def retire_substance(actor, substance: Substance) -> None:
    """Retired substances leave the matcher's concepts and the tag choices; their tags and history stay."""
    if substance.is_retired:
        raise ChemicalsConflict("already_retired")
    substance.is_retired = True
    _version(actor, substance, "retired")


def restore_substance(actor, substance: Substance) -> None:
    if not substance.is_retired:
        raise ChemicalsConflict("not_retired")
    substance.is_retired = False
    _version(actor, substance, "restored")


# ------------------------------------------------------------------ import
def import_substances(actor, entries: list[dict]) -> ImportResult:
    """Every row validated first (CAS check digit, names given twice, unknown lists, a CAS number twice in the
    file); any error refuses the whole file with its row errors, so nothing is half-written."""
    schema = SubstanceSchema(list_codes())
    loaded: list[dict] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        try:
            data = schema.load(entry)
        except ValidationError as error:
            errors.append(RowError(number, flatten_messages(error.messages)))
            continue
        if data["cas"] in seen:
            errors.append(RowError(number, [str(_l("CAS number %(cas)s is already on row %(row)d.",
                                                    cas=data["cas"], row=seen[data["cas"]]))]))
            continue
        seen[data["cas"]] = number
        loaded.append(data)
    if errors:
        raise ImportRefused(rows=errors)
    result = ImportResult()
    existing = {s.cas: s for s in db.session.scalars(sa.select(Substance).where(Substance.cas.in_(list(seen))))}
    for data in loaded:
        substance = existing.get(data["cas"])
        if substance is None:
            save_substance(actor, None, data, "imported")
            result.created += 1
        elif substance.is_retired:  # left as curated: restore it on its page first
            result.unchanged += 1
        else:
            version = substance.version
            save_substance(actor, substance, {**data, "note": data.get("note") or substance.note}, "imported")
            if substance.version == version:
                result.unchanged += 1
            else:
                result.changed += 1
    return result


# ------------------------------------------------------------------ shared names, recognition, tags
def shared_name_keys() -> set[str]:
    """Name keys that more than one substance carries (flagged on the register's pages)."""
    return set(db.session.scalars(sa.select(SubstanceName.key).group_by(SubstanceName.key)
                                  .having(sa.func.count(sa.distinct(SubstanceName.substance_id)) > 1)))


class Recogniser:
    """Finds the register's live substances named in texts, by CAS number or by any name in any language
    (the names are read once, for many texts)."""

    def __init__(self) -> None:
        rows = db.session.execute(sa.select(SubstanceName.key, Substance.id, Substance.cas).join(Substance)
                                  .where(~Substance.is_retired))
        self.by_key: dict[str, set[int]] = {}
        self.by_cas: dict[str, int] = {}
        for key, substance_id, cas in rows:
            self.by_key.setdefault(f" {key} ", set()).add(substance_id)
            self.by_cas[cas] = substance_id

    def ids_in(self, text: str) -> set[int]:
        joined = f" {' '.join(name_words(text))} "
        found = {self.by_cas[cas] for cas in cas_numbers_in(text) if cas in self.by_cas}
        for key, ids in self.by_key.items():
            if key in joined:
                found |= ids
        return found


def recognise(text: str) -> list[Substance]:
    """The register's live substances named in `text`, by CAS number or by any name in any language."""
    return substances_with_ids(Recogniser().ids_in(text))


def substances_with_ids(ids: Iterable[int]) -> list[Substance]:
    return list(db.session.scalars(sa.select(Substance).where(Substance.id.in_(list(ids))).order_by(Substance.cas)))


def live_substances() -> list[Substance]:
    return list(db.session.scalars(sa.select(Substance).where(~Substance.is_retired).order_by(Substance.cas)
                                   .options(selectinload(Substance.names))))


def substances_of(table: sa.Table, owner_column: str, owner_id: int) -> list[Substance]:
    return list(db.session.scalars(sa.select(Substance).join(table, table.c.substance_id == Substance.id)
                                   .where(table.c[owner_column] == owner_id).order_by(Substance.cas)))


def set_tags(actor, table: sa.Table, owner_column: str, owner, substance_ids: Iterable[int], action: str) -> None:
    wanted = set(substance_ids)
    live = set(db.session.scalars(sa.select(Substance.id).where(Substance.id.in_(wanted), ~Substance.is_retired)))
    if wanted - live:
        raise ChemicalsError("unknown_substance")
    current = {s.id for s in substances_of(table, owner_column, owner.id)}
    if current == wanted:
        return
    db.session.execute(table.delete().where(table.c[owner_column] == owner.id, table.c.substance_id.in_(current - wanted)))
    if wanted - current:
        db.session.execute(table.insert(), [{owner_column: owner.id, "substance_id": i} for i in sorted(wanted - current)])
    record(action, actor, owner, substance_ids=sorted(wanted))


def tag_request(actor, assistance_request, substance_ids: Iterable[int]) -> None:
    set_tags(actor, request_substance, "request_id", assistance_request, substance_ids, "request.substances_tagged")


def tag_expert(actor, profile, substance_ids: Iterable[int]) -> None:
    set_tags(actor, expert_substance, "expert_id", profile, substance_ids, "expert.substances_tagged")


def request_substances(request_id: int) -> list[Substance]:
    return substances_of(request_substance, "request_id", request_id)


def expert_substances(expert_id: int) -> list[Substance]:
    return substances_of(expert_substance, "expert_id", expert_id)
