"""The demo's chemicals register: the bundled lists and substances (CWC Schedules, EU 2019/1148 Annexes,
Australia Group), one Arabic request from Aqaba naming a precursor only by its CAS number and left untagged (the
dashboard offers it for tagging), and the coordinators' tags on the other requests and on experts whose texts
name a substance."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.chemicals import files, services
from expertnet.db import utcnow
from expertnet.demo.requests import _build, _walk
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest
from expertnet.taxonomy.models import Topic

CAS_REQUEST = {
    "organisation": "Jordan Customs – Aqaba Port Directorate", "status": "matching",
    "title": "شحنات مشبوهة من المادة 7722-84-1 عبر ميناء العقبة",
    "summary": "تطلب الجمارك خبيراً لتقييم شحنات متكررة من المادة ذات الرقم 7722-84-1 بتركيز مرتفع مصرح عنها "
               "كمواد تنظيف صناعية.",
    "gap_statement": "لا نعرف حدود التركيز التي تستوجب الترخيص ولا كيف نتحقق من المستخدم النهائي قبل الإفراج.",
    "desired_outcome": "قائمة تحقق للمستخدم النهائي وحدود تركيز واضحة لموظفي الخط الأمامي.",
    "gap_type": "knowledge", "topics": ["customs-interdiction", "explosives-precursor-controls"],
    "sectors": ["ports"], "modality": "remote_advice", "languages": ["ar"], "country": "JO", "urgency": "priority",
    "urgency_reason": "", "experts_wanted": 1, "summary_tlp": "TLP:GREEN", "detail_tlp": "TLP:AMBER", "days_ago": 3,
}


def seed_chemicals(admin: User, organisations: dict) -> None:
    services.load_lists(files.bundled_lists())
    services.import_substances(admin, files.bundled_substances())
    coordinators = list(db.session.scalars(sa.select(User).where(User.role == Role.COORDINATOR).order_by(User.id)))
    _tag_requests(coordinators[0])
    _tag_experts(coordinators[-1])
    _cas_request(organisations, coordinators[0])


def _tag_requests(coordinator: User) -> None:
    recogniser = services.Recogniser()
    for row in db.session.scalars(sa.select(AssistanceRequest).where(AssistanceRequest.submitted_at.is_not(None))):
        found = recogniser.ids_in(" ".join(filter(None, (row.title, row.summary, row.gap_statement, row.desired_outcome))))
        if found:
            services.tag_request(coordinator, row, found)


def _tag_experts(coordinator: User) -> None:
    recogniser = services.Recogniser()
    for profile in db.session.scalars(sa.select(ExpertProfile)):
        found = recogniser.ids_in(" ".join(filter(None, (profile.headline, profile.expertise_statement, profile.biography))))
        if found:
            services.tag_expert(coordinator, profile, found)


def _cas_request(organisations: dict, coordinator: User) -> None:
    organisation = organisations.get(CAS_REQUEST["organisation"])
    member = organisation and db.session.scalar(sa.select(User).where(User.organisation_id == organisation.id,
                                                                      User.role == Role.MEMBER).limit(1))
    if member is None:
        return
    topics = {t.slug: t for t in db.session.scalars(sa.select(Topic))}
    created_at = utcnow() - timedelta(days=CAS_REQUEST["days_ago"])
    assistance_request = _build(CAS_REQUEST, member, coordinator, topics, created_at)
    _walk(assistance_request, CAS_REQUEST, member, coordinator, created_at)
