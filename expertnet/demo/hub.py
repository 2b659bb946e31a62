"""The demo's knowledge hub (issue 17): 45 items (hub.json) across kinds, languages (en, ar, fr, es) and labels,
most published, one each in draft, review and the archive; items whose text is in a file get a small PDF;
some usage and a few searches that found nothing, so the editors' and coordinators' pages have something to show.
Lessons from the closed engagements (`seed_lessons`), in four languages and every state of their approval."""
import io
import json
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage

from expertnet.accounts.models import Organisation, Role, User
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.engagements.models import Engagement, EngagementStatus
from expertnet.chemicals.services import Recogniser
from expertnet.hub import lessons, services, substances as hub_substances
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
    _tag_substances(editors[0] if editors else admin)
    db.session.flush()


def _tag_substances(editor: User) -> None:
    """The editors' substance tags on the items whose texts name a substance of the register (issue 18)."""
    recogniser = Recogniser()
    for item in db.session.scalars(sa.select(HubItem).where(HubItem.status != ItemStatus.ARCHIVED)):
        found = recogniser.ids_in(" ".join(f"{t.title} {t.summary} {t.body or ''}" for t in item.texts))
        if found:
            hub_substances.tag_item(editor, item, found)


# ------------------------------------------------------------------ lessons from engagements
# What the coordinator wrote into the drafted sections (the demo's reports are one paragraph), per language.
LESSON_SECTIONS = {
    "en": ("Problem\nThe agency lacked a tested procedure for this risk: {title}.",
           "Approach\nThe expert reviewed current practice with the agency's staff, ran a table-top exercise and "
           "drafted a step-by-step checklist with them.",
           "Outcome\nThe checklist is in use; the follow-up exercise is planned within six months.",
           "What to reuse\nThe checklist, the exercise scenario and the short briefing for new staff."),
    "ar": ("المشكلة\nلم يكن لدى الجهة إجراء مُختبَر لهذا الخطر: {title}.",
           "النهج\nراجع الخبير الممارسات الحالية مع موظفي الجهة، وأجرى تمريناً مكتبياً، وصاغ معهم قائمة تحقق "
           "خطوة بخطوة.",
           "النتيجة\nقائمة التحقق مستخدمة الآن، وتمرين المتابعة مخطط خلال ستة أشهر.",
           "ما يمكن إعادة استخدامه\nقائمة التحقق وسيناريو التمرين والإحاطة القصيرة للموظفين الجدد."),
    "fr": ("Problème\nL'agence n'avait pas de procédure éprouvée pour ce risque : {title}.",
           "Approche\nL'expert a revu les pratiques avec le personnel, mené un exercice sur table et rédigé avec "
           "eux une liste de contrôle pas à pas.",
           "Résultat\nLa liste de contrôle est utilisée ; un exercice de suivi est prévu d'ici six mois.",
           "À réutiliser\nLa liste de contrôle, le scénario d'exercice et la note d'accueil des nouveaux agents."),
    "es": ("Problema\nLa agencia no tenía un procedimiento probado para este riesgo: {title}.",
           "Enfoque\nEl experto revisó la práctica con el personal, dirigió un ejercicio de mesa y redactó con "
           "ellos una lista de verificación paso a paso.",
           "Resultado\nLa lista de verificación está en uso; hay un ejercicio de seguimiento previsto en seis meses.",
           "Qué reutilizar\nLa lista de verificación, el escenario del ejercicio y la nota para el personal nuevo."),
}
LESSON_SUMMARY = {
    "en": "What an engagement taught about a tested procedure for this risk, and what other agencies can reuse.",
    "ar": "ما علّمه تكليف عن إجراء مُختبَر لهذا الخطر، وما يمكن للجهات الأخرى إعادة استخدامه.",
    "fr": "Ce qu'une mission a appris sur une procédure éprouvée pour ce risque, et ce que d'autres peuvent réutiliser.",
    "es": "Lo que enseñó una asistencia sobre un procedimiento probado para este riesgo y qué pueden reutilizar otros.",
}
# The lessons' states in turn, and the label each approving agency chose.
LESSON_STATES = (ItemStatus.DRAFT, ItemStatus.AWAITING_AGENCY, ItemStatus.APPROVED, ItemStatus.PUBLISHED,
                 ItemStatus.PUBLISHED)
LESSON_LABELS = (Tlp.GREEN, Tlp.AMBER, Tlp.CLEAR)


def _lesson_text(item: HubItem, language: str) -> dict:
    text = item.text_in(language)
    title = text.title if text else ""
    return {"language": language, "title": title, "summary": LESSON_SUMMARY[language],
            "body": "\n\n".join(LESSON_SECTIONS[language]).format(title=title)}


def _language_of(title: str) -> str:
    """The demo requests' titles are in one language each: the lesson is written in it."""
    if any("\u0600" <= char <= "\u06ff" for char in title):
        return "ar"
    if any(char in "ñ¿¡áíóú" for char in title):
        return "es"
    if any(char in "éèêàçôûœ" for char in title):
        return "fr"
    return "en"


def seed_lessons(admin: User, _organisations: dict[str, Organisation]) -> None:
    """A lesson for each closed engagement (up to 12), drafted by the request's coordinator from the report, in
    the language of the request (English, Arabic, French or Spanish), and taken to draft, awaiting the agency, approved or published."""
    closed = db.session.scalars(sa.select(Engagement).where(Engagement.status == EngagementStatus.CLOSED)
                                .order_by(Engagement.id).limit(12)).all()
    for index, engagement in enumerate(closed):
        request = engagement.request
        coordinator = request.lead_coordinator or admin
        language = _language_of(request.title)
        with force_locale(language):
            item, _removed = lessons.draft_lesson(coordinator, engagement, language)
        services.update_item(coordinator, item, {**_lesson_text(item, language), "tlp": item.tlp,
                                                 "audience": [o.id for o in item.audience],
                                                 "note": "Sections written from the report"})
        target = LESSON_STATES[index % len(LESSON_STATES)]
        if target == ItemStatus.DRAFT:
            continue
        services.move_item(coordinator, item, ItemStatus.AWAITING_AGENCY)
        if target == ItemStatus.AWAITING_AGENCY:
            continue
        member = request.created_by
        lessons.agency_review(member, item, {**_lesson_text(item, language),
                                             "tlp": LESSON_LABELS[index % len(LESSON_LABELS)], "note": ""},
                              approve=True)
        if target == ItemStatus.PUBLISHED:
            services.move_item(coordinator, item, ItemStatus.PUBLISHED)
    db.session.flush()
