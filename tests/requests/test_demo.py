"""The demo seed: every demo request at its status, reached by a legal, chronological timeline."""
import sqlalchemy as sa

from expertnet.demo import content
from expertnet.accounts.models import Role
from expertnet.accounts.services import create_user
from expertnet.demo.requests import seed_requests
from expertnet.demo.seed import seed_organisations
from tests.requests.factories import ensure_topics
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.models import AssistanceRequest, RequestMessage, RequestStatus as S


def _seed_only_requests():
    """Agencies, officers and coordinators, then this feature's step (the full demo also seeds 200 experts)."""
    ensure_topics()
    admin = create_user("admin@demo.example", "Admin", Role.ADMIN, None)
    organisations = seed_organisations(admin)
    for person in content.coordinators():
        create_user(person["email"], person["full_name"], Role.COORDINATOR, None)
    for person in content.members():
        create_user(person["email"], person["full_name"], Role.MEMBER, None, organisations[person["organisation"]])
    seed_requests(admin, organisations)
    db.session.commit()


def test_demo_requests_walk_the_lifecycle(app):
    _seed_only_requests()
    requests = {r.title: r for r in db.session.scalars(sa.select(AssistanceRequest))}
    assert len(requests) == len(content.requests()) == 30
    for entry in content.requests():
        assistance_request = requests[entry["title"]]
        assert assistance_request.status == S(entry["status"])
        steps = [e.to_status for e in assistance_request.events]
        assert steps == [s.value for s in lifecycle.path_to(assistance_request.status)]
        times = [e.occurred_at for e in assistance_request.events]
        assert times == sorted(times)
        if assistance_request.status != S.DRAFT:
            assert assistance_request.reference.startswith("TA-")
    rejected = next(r for r in requests.values() if r.status == S.REJECTED)
    assert rejected.events[-1].note
    assert db.session.scalar(sa.select(sa.func.count(RequestMessage.id))) >= 8
