"""The demo's knowledge hub (issue 17): 45 items (hub.json) across kinds, languages (en, ar, fr, es) and labels,
most published, one each in draft, review and the archive; items whose text is in a file get a small PDF;
some usage and a few searches that found nothing, so the editors' and coordinators' pages have something to show."""
import io
import json
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from expertnet.accounts.models import Organisation, Role, User
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.hub import services
from expertnet.hub.models import HubItem, ItemStatus, Kind
from expertnet.sensitivity import Tlp

HUB_FILE = Path(__file__).with_name("hub.json")
PATHS = {"draft": [], "in_review": [ItemStatus.IN_REVIEW],
         "published": [ItemStatus.IN_REVIEW, ItemStatus.PUBLISHED],
         "archived": [ItemStatus.IN_REVIEW, ItemStatus.PUBLISHED, ItemStatus.ARCHIVED]}
GAPS = [("ar", ["forensic-chemistry-attribution"]), ("ar", ["forensic-chemistry-attribution"]),
        ("fr", ["medical-countermeasures"]), ("en", ["uas-drone-threats"]), ("es", ["cwc-implementation"]),
        ("en", [])]


def items() -> list[dict]:
    return json.loads(HUB_FILE.read_text(encoding="utf-8"))


def small_pdf(title: str) -> bytes:
    """A one-page PDF naming the material (ASCII only: the demo's stand-in for real slides)."""
    text = title.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 50 750 Td ({text[:90]}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _data(entry: dict, organisations: dict[str, Organisation], language: str, title: str, summary: str,
          body: str) -> dict:
    return {"kind": Kind(entry["kind"]), "tlp": Tlp(entry["tlp"]), "language": language, "title": title,
            "summary": summary, "body": body, "topics": entry["topics"], "regions": entry["regions"],
            "sectors": entry["sectors"], "external_url": entry["external_url"], "note": "",
            "audience": [organisations[name].id for name in entry["audience"]]}


def _seed_item(entry: dict, editor: User, organisations: dict[str, Organisation]) -> HubItem:
    item = services.create_item(editor, _data(entry, organisations, entry["language"], entry["title"],
                                              entry["summary"], entry["body"]))
    for language, (title, summary, body) in entry["translations"].items():
        services.update_item(editor, item, {**_data(entry, organisations, language, title, summary, body),
                                            "note": "Translation"})
    if not entry["body"] and not entry["external_url"]:
        name = "-".join(entry["title"].lower().split()[:6]) + ".pdf"
        services.add_file(editor, item, FileStorage(io.BytesIO(small_pdf(entry["title"])), filename=name))
    for step in PATHS[entry["status"]]:
        services.move_item(editor, item, step)
    when = utcnow() - timedelta(days=entry["days_ago"])
    item.created_at = when - timedelta(days=3)
    if item.published_at is not None:
        item.published_at = when
    return item


def seed_hub(admin: User, organisations: dict[str, Organisation]) -> None:
    editors = list(db.session.scalars(sa.select(User).where(User.role == Role.COORDINATOR).order_by(User.id)))
    for index, entry in enumerate(items()):
        item = _seed_item(entry, editors[index % len(editors)] if editors else admin, organisations)
        if item.status == ItemStatus.PUBLISHED:  # some reading, for the editors' usage figures
            item.view_count, item.download_count, item.helped_count = (index * 7) % 60, (index * 3) % 20, index % 5
    for language, topics in GAPS:
        services.record_gap(language, topics)
    db.session.flush()
