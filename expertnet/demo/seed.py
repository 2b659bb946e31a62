"""Turn the demo content into rows through the services. Each capability adds its part here."""
from datetime import date, timedelta

import pytz
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from expertnet.accounts.models import Organisation, OrganisationKind, Role, User
from expertnet.accounts.services import create_user
from expertnet.db import utcnow
from expertnet.demo import content
from expertnet.demo.chemicals import seed_chemicals
from expertnet.demo.coordination import seed_coordination
from expertnet.demo.credentials import DEMO_ADMIN, DEMO_PASSWORD
from expertnet.demo.emerging import EXPERTS as EMERGING_THREAT_EXPERTS
from expertnet.demo.engagements import seed_engagements
from expertnet.demo.events import seed_events
from expertnet.demo.discussions import seed_discussions, seed_group_discussions
from expertnet.demo.groups import seed_groups
from expertnet.demo.hub import seed_hub, seed_lessons
from expertnet.demo.matching_history import seed_matching_history
from expertnet.demo.notifications import seed_notifications
from expertnet.demo.requests import seed_expert_messages, seed_requests
from expertnet.demo.service_accounts import seed_service_accounts
from expertnet.demo.webhooks import seed_webhooks
from expertnet.experts.models import (Availability, BlackoutPeriod, Experience, ExpertProfile, ExpertTopic,
                                      Proficiency, Publication, PublicationKind, TopicLevel, VettingStatus)
from expertnet.extensions import db
from expertnet.taxonomy.models import Topic
from expertnet.taxonomy.services import load_bundled_topics

def _demo_user(email, full_name, role, organisation=None, locale=None, actor=None, password_hash=None) -> User:
    """Demo accounts share one password: hash it once, as scrypt is deliberately slow."""
    user = create_user(email, full_name, role, None, organisation, locale, actor=actor)
    user.password_hash = password_hash
    return user


# Where a country's first IANA zone is not where its agencies sit (pytz lists Lord Howe Island first).
_AGENCY_ZONES = {"AU": "Australia/Sydney"}


def _first_zone_of(country: str | None) -> str | None:
    """Officers see times in their agency's zone (the country's first IANA zone); None: the default."""
    return _AGENCY_ZONES.get(country or "") or (pytz.country_timezones.get(country or "") or [None])[0]


def seed_demo_network() -> bool:
    """Create the demo network unless it exists; returns whether anything was created."""
    if db.session.scalar(sa.select(User.id).where(User.email == DEMO_ADMIN)) is not None:
        return False
    if db.session.scalar(sa.select(sa.func.count(Topic.id))) == 0:
        load_bundled_topics()
    password_hash = generate_password_hash(DEMO_PASSWORD, method="scrypt")
    admin = _demo_user(DEMO_ADMIN, "Amira Haddad", Role.ADMIN, locale="en", password_hash=password_hash)
    organisations = seed_organisations(admin)
    for person in content.coordinators():
        coordinator = _demo_user(person["email"], person["full_name"], Role.COORDINATOR, None, person["locale"], admin,
                                 password_hash)
        coordinator.time_zone = person["time_zone"]
    for person in content.members():
        organisation = organisations[person["organisation"]]
        member = _demo_user(person["email"], person["full_name"], Role.MEMBER, organisation, person["locale"], admin,
                            password_hash)
        member.time_zone = _first_zone_of(organisation.country)
    seed_experts(admin, organisations, password_hash)
    for step in EXTRA_STEPS:
        step(admin, organisations)
    return True


# Later capabilities append functions (admin, organisations_by_name) -> None that seed their own data.
EXTRA_STEPS: list = [seed_requests, seed_engagements, seed_expert_messages, seed_coordination, seed_notifications,
                     seed_matching_history, seed_chemicals, seed_events, seed_hub, seed_lessons,
                     seed_discussions, seed_webhooks, seed_service_accounts, seed_groups, seed_group_discussions]


def seed_organisations(admin: User) -> dict[str, Organisation]:
    organisations = {}
    for entry in content.organisations():
        organisation = Organisation(name=entry["name"], country=entry["country"], kind=OrganisationKind(entry["kind"]))
        db.session.add(organisation)
        organisations[entry["name"]] = organisation
    db.session.flush()
    return organisations


def seed_experts(admin: User, organisations: dict[str, Organisation], password_hash: str) -> None:
    topics = {t.slug: t for t in db.session.scalars(sa.select(Topic))}
    for entry in [*content.experts(), *EMERGING_THREAT_EXPERTS]:
        user = _demo_user(entry["email"], entry["full_name"], Role.EXPERT, None, entry["locale"], admin, password_hash)
        db.session.add(build_profile(entry, user, admin, organisations, topics))
    db.session.flush()


def build_profile(entry: dict, user: User, admin: User, organisations: dict, topics: dict) -> ExpertProfile:
    status = VettingStatus(entry.get("vetting", "approved"))
    profile = ExpertProfile(
        user=user, organisation=organisations.get(entry.get("organisation") or ""),
        affiliation=entry.get("affiliation", ""), headline=entry["headline"], biography=entry.get("biography", ""),
        expertise_statement=entry.get("expertise_statement", ""),
        languages=[{"code": code, "proficiency": Proficiency(level).value} for code, level in entry["languages"]],
        countries=entry.get("countries", []), regions=entry.get("regions", []),
        conflict_countries=entry.get("conflict_countries", []), willing_to_travel=entry.get("willing_to_travel", False),
        capacity=entry.get("capacity", 2), availability=Availability(entry.get("availability", "available")),
        unavailable_until=date.fromisoformat(entry["unavailable_until"]) if entry.get("unavailable_until") else None,
        vetting_status=status, vetting_reason="" if status != VettingStatus.REJECTED else
        "Could not verify the professional references given.",
        vetted_at=utcnow() - timedelta(days=90) if status != VettingStatus.PENDING else None,
        vetted_by=admin if status != VettingStatus.PENDING else None)
    profile.topics = [ExpertTopic(topic=topics[slug], level=TopicLevel(level))
                      for slug, level in entry["topics"] if slug in topics]
    profile.experiences = [Experience(role=e["role"], organisation=e.get("organisation", ""),
                                      start_year=e["start_year"], end_year=e.get("end_year"),
                                      description=e.get("description", "")) for e in entry.get("experiences", [])]
    profile.publications = [Publication(kind=PublicationKind(p.get("kind", "publication")), title=p["title"],
                                        year=p.get("year"), summary=p.get("summary", ""))
                            for p in entry.get("publications", [])]
    profile.conflict_organisations = [organisations[name] for name in entry.get("conflict_organisations", [])
                                      if name in organisations]
    if profile.availability == Availability.LIMITED:
        today = date.today()
        profile.blackouts = [BlackoutPeriod(starts_on=today + timedelta(days=20), ends_on=today + timedelta(days=34),
                                            note="Annual leave")]
    return profile
