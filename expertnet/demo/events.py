"""Demo step for events (issue 18): past events with attendance and materials, upcoming ones with
registrations (the demo members among them), one full with a waiting list (and a cancellation that moved the
first person waiting up, so its mail is in the outbox), one tomorrow so its reminder goes out on the first
run of the worker; across regions (MENA, West Africa, Latin America, South-East Asia) and languages. Two past
webinars' materials are in the hub (issue 18): the ammonium-nitrate one for the network (TLP:GREEN) and the
drones one for anyone (TLP:CLEAR), each item linking back to its event."""
import io
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from expertnet.accounts.models import Role, User
from expertnet.db import utcnow
from expertnet.demo import content
from expertnet.demo.credentials import demo_credentials
from expertnet.events import hub_items, registration, services
from expertnet.events.models import Audience, Event, EventKind, Registration, RegistrationStatus
from expertnet.hub.models import Kind
from expertnet.sensitivity import Tlp
from expertnet.extensions import db

MENA = {"JO", "MA", "EG", "AE", "TN", "IQ"}
# A one-page PDF, so the demo's material can really be downloaded.
SLIDES_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
              b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

# (kind, title, description, languages, days from now, hours long, zone, online link, venue, capacity, MENA only,
#  agenda as (minutes after the start, title), organiser index among the coordinators)
EVENTS = [
    (EventKind.WEBINAR, "Ammonium nitrate in ports: lessons since Beirut — نترات الأمونيوم في الموانئ",
     "Storage, segregation and inspection of ammonium nitrate cargo; three port authorities share their checklists.",
     ["en", "ar"], -21, 1.5, "Asia/Amman", "https://meet.expertnet.example/an-ports", "", 150, False,
     [(0, "Welcome and aims"), (10, "Beirut 2020: what failed"), (45, "Aqaba's inspection checklist"), (75, "Questions")], 1),
    (EventKind.WORKSHOP, "Atelier : précurseurs d'explosifs et Règlement (UE) 2019/1148",
     "Deux jours pratiques pour les douanes et la police : annexes I et II, transactions suspectes, signalement.",
     ["fr", "en"], -40, 30, "Africa/Dakar", "", "Dakar, Centre de formation de la Brigade nationale des sapeurs-pompiers",
     25, False, [(0, "Accueil"), (60, "Annexes I et II"), (24 * 60, "Exercice : une commande suspecte")], 2),
    (EventKind.WEBINAR, "Uncrewed aerial systems over chemical sites",
     "Detecting, reporting and responding to drone flights over chemical plants and stores.",
     ["en", "ar"], 6, 2, "Europe/London", "https://meet.expertnet.example/uas-sites", "", 200, False,
     [(0, "Threat picture"), (40, "Counter-UAS at an industrial site"), (90, "Discussion")], 0),
    (EventKind.MEETING, "اجتماع الشبكة الإقليمية للشرق الأوسط وشمال أفريقيا",
     "الاجتماع الفصلي لنقاط الاتصال في المنطقة: الطلبات المفتوحة والتدريب القادم.",
     ["ar"], 12, 2, "Asia/Amman", "https://meet.expertnet.example/mena-q1", "", None, True,
     [(0, "الترحيب"), (15, "الطلبات المفتوحة في المنطقة"), (75, "خطة التدريب")], 1),
    (EventKind.WORKSHOP, "Taller: detección de precursores en aduanas",
     "Taller práctico con kits de campo para funcionarios de aduanas de América Latina.",
     ["es", "en"], 9, 6, "America/Bogota", "", "Bogotá, Escuela de Ingenieros Militares", 3, False,
     [(0, "Bienvenida"), (30, "Kits de campo"), (240, "Ejercicio en el puerto")], 2),
    (EventKind.WEBINAR, "AI-enabled misuse of chemistry: what agencies should watch",
     "How language models and automated synthesis planning change the precursor-diversion picture.",
     ["en"], 0.8, 1, "Asia/Jakarta", "https://meet.expertnet.example/ai-misuse", "", None, False,
     [(0, "Overview"), (30, "Questions")], 0),
    (EventKind.WEBINAR, "Drones over chemical plants: first lessons — الطائرات المسيّرة فوق المصانع الكيميائية",
     "Two operators and a police air unit on the drone sightings of the past year over plants and storage "
     "terminals, and what their response plans changed.",
     ["en", "ar"], -9, 1.5, "Asia/Dubai", "https://meet.expertnet.example/uas-lessons", "", 300, False,
     [(0, "Sightings in numbers"), (25, "A terminal's response plan"), (60, "Questions")], 1),
]
# The taxonomy topics of each event above, in its order.
TOPICS = [["ports-warehouses", "hme-ied-precursors"], ["explosives-precursor-controls", "supply-chain-kyc"],
          ["uas-drone-threats", "counter-uas-chemical-sites"], ["needs-assessment-action-plans"],
          ["customs-interdiction", "field-detection-identification"],
          ["ai-synthesis-route-planning", "ai-emerging-tech"],
          ["counter-uas-chemical-sites", "uas-drone-threats", "physical-protection"]]
# Past webinars whose materials the organiser published in the hub: event index -> (label, hub title, summary).
IN_THE_HUB = {
    0: (Tlp.GREEN, "Ammonium nitrate in ports: webinar slides and recording",
        "Three port authorities' checklists for storing, segregating and inspecting ammonium nitrate cargo."),
    6: (Tlp.CLEAR, "Drones over chemical plants: webinar slides and recording",
        "What a year of drone sightings over plants and terminals taught operators and the police."),
}


def seed_events(admin, organisations: dict) -> None:
    coordinators = [db.session.scalar(sa.select(User).where(User.email == c["email"])) for c in content.coordinators()]
    people = _people()
    mena = [o.id for o in organisations.values() if o.country in MENA]
    for number, entry in enumerate(EVENTS):
        kind, title, description, languages, days, hours, zone, url, venue, capacity, mena_only, agenda, who = entry
        starts = (utcnow() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
        event = services.create_event(coordinators[who], {
            "kind": kind, "title": title, "description": description, "languages": languages, "starts_at": starts,
            "ends_at": starts + timedelta(hours=hours), "time_zone": zone, "online_url": url, "venue": venue,
            "capacity": capacity, "audience": Audience.ORGANISATIONS if mena_only else Audience.NETWORK,
            "organisation_ids": mena if mena_only else [],
            "agenda": [(starts + timedelta(minutes=m), text) for m, text in agenda], "topics": TOPICS[number]})
        attendees = [p for p in people if not mena_only or p.organisation_id in mena]
        if days < 0:
            _past(event, attendees[number::2][:12], coordinators[who])
            if number in IN_THE_HUB:
                _in_the_hub(event, coordinators[who], *IN_THE_HUB[number])
        elif capacity == 3:
            _full(event, attendees)
        else:
            for person in attendees[number::3][:10]:
                registration.register(person, event)
    db.session.flush()


def _people() -> list[User]:
    """The demo sign-ins first, in their order (so they find events of their own), then other members and experts."""
    demo = [email for _role, email in demo_credentials()]
    users = db.session.scalars(sa.select(User).where(User.role.in_([Role.MEMBER, Role.EXPERT]), User.is_active)
                               .order_by(User.id)).all()
    return sorted(users, key=lambda u: (demo.index(u.email) if u.email in demo else len(demo), u.id))


def _past(event: Event, attendees: list[User], organiser: User) -> None:
    """Registered before the event; the organiser marked attendance and added materials afterwards."""
    for n, person in enumerate(attendees):
        db.session.add(Registration(event_id=event.id, user_id=person.id, status=RegistrationStatus.REGISTERED,
                                    queued_at=event.starts_at - timedelta(days=10 - n % 5),
                                    attended=n % 4 != 3))
    services.add_material(organiser, event, "Slides (PDF)", FileStorage(io.BytesIO(SLIDES_PDF), "slides.pdf"))
    services.add_material(organiser, event, "Recording", url="https://media.expertnet.example/recordings/"
                          f"event-{event.id}")


def _in_the_hub(event: Event, organiser: User, tlp: Tlp, title: str, summary: str) -> None:
    hub_items.publish_materials(organiser, event, {"material_ids": [m.id for m in event.materials],
                                                   "kind": Kind.WEBINAR, "tlp": tlp, "title": title,
                                                   "summary": summary})


def _full(event: Event, attendees: list[User]) -> None:
    """Three seats, six people: three wait; the first seat-holder cancelled, so the first waiting moved up."""
    line = attendees[:7]
    for person in line[1:] + line[:1]:
        registration.register(person, event)
    first = db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id,
                                                             Registration.user_id == line[1].id)).one()
    registration.cancel(line[1], first)
