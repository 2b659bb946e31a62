"""Demo step for groups (issue 18): four regional networks (Middle East and North Africa, Sub-Saharan Africa,
South-East Asia, Latin America) with the demo agencies placed in them, the cross-sector advisory group of the
chemical-industry bodies, experts as members, and an Arabic-speaking MENA regional coordinator (she sees and
triages the MENA agencies' requests only). Each group's hub shelf gets TLP:AMBER items of its own."""
import sqlalchemy as sa

from expertnet.accounts.models import Organisation, OrganisationKind, Role, User
from expertnet.accounts.services import create_user
from expertnet.demo import content
from expertnet.experts.models import ExpertProfile, VettingStatus
from expertnet.extensions import db
from expertnet.groups import services
from expertnet.groups.models import Group, GroupKind, GroupRole
from expertnet.hub import services as hub_services
from expertnet.hub.models import ItemStatus, Kind
from expertnet.sensitivity import Tlp

# Which experts join a group: a region slug their profile covers (regions), or topics (the working group).
EXPERT_REGIONS = {"mena": ("mena", "middle-east", "north-africa"), "sub-saharan-africa": ("africa",),
                  "south-east-asia": ("asia-pacific",), "latin-america": ("americas",)}
ADVISORY_TOPICS = ("security-culture-training", "it-cybersecurity-chemical-sector", "supply-chain-kyc")
EXPERTS_PER_GROUP = 4

# (group slug, language, title, summary, body) of the TLP:AMBER items on a group's shelf.
SHELF = [
    ("mena", "ar", "قائمة تفتيش مشتركة لشحنات نترات الأمونيوم في موانئ المنطقة",
     "قائمة تفتيش اتفقت عليها جمارك العقبة والإمارات وتونس لشحنات نترات الأمونيوم العابرة، لأعضاء الشبكة الإقليمية فقط.",
     "1. مطابقة رمز النظام المنسق مع شهادة المنشأ.\n2. فحص التركيز والكثافة الظاهرية عند الشك.\n"
     "3. إبلاغ نقطة الاتصال الإقليمية عن أي شحنة مرفوضة خلال 24 ساعة."),
    ("mena", "en", "MENA contact points for precursor seizures (quarterly list)",
     "Who to call in each MENA agency when a precursor shipment is stopped: names, desks and hours, for the "
     "regional network's members only.",
     "Jordan Customs, Aqaba: risk desk, 24/7. Moroccan National Commission: duty officer, office hours. "
     "UAE Free Zones Risk Unit: targeting centre, 24/7. Tunisian National Guard: explosives unit duty line."),
    ("cross-sector-advisory-group", "en", "Advisory group note: suspicious orders seen by member companies in 2026",
     "Anonymised patterns of suspicious orders reported by the association members, for the advisory group: "
     "split orders, freight forwarders as buyers, urgent payment in advance.",
     "Members reported 41 suspicious orders this year; most came through e-commerce platforms and named a "
     "freight forwarder as the buyer. The group recommends a common know-your-customer questionnaire."),
]


def seed_groups(admin: User, organisations: dict) -> None:
    groups = {slug: _group(admin, slug, *spec) for slug, spec in content.GROUPS.items()}
    for person in content.regional_coordinators():
        coordinator = create_user(person["email"], person["full_name"], Role.COORDINATOR, None, None,
                                  person["locale"], actor=admin)
        coordinator.password_hash, coordinator.time_zone = admin.password_hash, person["time_zone"]
        db.session.flush()
        services.add_person(admin, groups[person["region"]], coordinator.id, GroupRole.GROUP_COORDINATOR)
    global_coordinator = db.session.scalar(sa.select(User).where(User.email == content.coordinators()[0]["email"]))
    services.add_person(admin, groups["cross-sector-advisory-group"], global_coordinator.id,
                        GroupRole.GROUP_COORDINATOR)
    _add_experts(admin, groups)
    _shelf(admin, groups)


def _group(admin: User, slug: str, kind: str, name: str, description: str, places: tuple) -> Group:
    group = services.create_group(admin, GroupKind(kind), name, description, slug=slug)
    for organisation in sorted(_organisations_for(kind, places), key=lambda o: o.name):
        services.add_organisation(admin, group, organisation.id)
    return group


def _organisations_for(kind: str, places: tuple) -> list:
    if kind == "working_group":
        return list(db.session.scalars(sa.select(Organisation).where(
            Organisation.kind.in_([OrganisationKind(k) for k in places]))))
    return list(db.session.scalars(sa.select(Organisation).where(Organisation.country.in_(places))))


def _approved_experts() -> list[ExpertProfile]:
    return list(db.session.scalars(sa.select(ExpertProfile).where(ExpertProfile.vetting_status == VettingStatus.APPROVED)
                                   .order_by(ExpertProfile.id)))


def _add_experts(admin: User, groups: dict[str, Group]) -> None:
    experts = _approved_experts()
    for slug, regions in EXPERT_REGIONS.items():
        chosen = [e for e in experts if set(e.regions or []) & set(regions)][:EXPERTS_PER_GROUP]
        for expert in chosen:
            services.add_person(admin, groups[slug], expert.user_id)
    advisers = [e for e in experts if {t.topic.slug for t in e.topics} & set(ADVISORY_TOPICS)][:EXPERTS_PER_GROUP]
    for expert in advisers:
        services.add_person(admin, groups["cross-sector-advisory-group"], expert.user_id)


def _shelf(admin: User, groups: dict[str, Group]) -> None:
    for slug, language, title, summary, body in SHELF:
        item = hub_services.create_item(admin, {
            "kind": Kind.GUIDANCE, "tlp": Tlp.AMBER, "language": language, "title": title, "summary": summary,
            "body": body, "topics": [], "regions": [], "sectors": [], "external_url": "", "note": "",
            "audience": [], "audience_groups": [groups[slug].id]})
        hub_services.move_item(admin, item, ItemStatus.IN_REVIEW)
        hub_services.move_item(admin, item, ItemStatus.PUBLISHED)
