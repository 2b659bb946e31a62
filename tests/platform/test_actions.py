"""The action seam (expertnet/actions.py) through real routes: one commit per action, nothing half-written on
a refusal, a refusal answered as a flash and its status, a stale version as 409, problem+json for JSON
endpoints; and a scan that keeps every state-changing view on the seam."""
from pathlib import Path

import pytest
import sqlalchemy as sa

from expertnet import actions
from expertnet.accounts.models import Role
from expertnet.engagements import services as engagement_services
from expertnet.extensions import db
from expertnet.requests import services as request_services
from expertnet.requests.models import AssistanceRequest, RequestMessage, RequestStatus as S
from tests.conftest import make_user
from tests.engagements.factories import invite, make_assistance_request, make_expert
from tests.requests.factories import make_request

PACKAGE = Path(actions.__file__).parent
VIEW_MODULES = sorted([*PACKAGE.rglob("views.py"), *PACKAGE.rglob("*_views.py")])


@pytest.fixture
def commits():
    """Every commit of any session while the test runs (the test client shares the test's session)."""
    seen = []

    def count(_session):
        seen.append(1)

    sa.event.listen(sa.orm.Session, "after_commit", count)
    yield seen
    sa.event.remove(sa.orm.Session, "after_commit", count)


def _messages() -> int:
    return db.session.scalar(sa.select(sa.func.count(RequestMessage.id)))


def test_an_action_commits_once(client, auth, users, commits):
    assistance_request = make_request(users["member"], S.SUBMITTED)
    auth.login(users["member"])
    commits.clear()
    response = client.post(f"/requests/{assistance_request.id}/messages", data={"body": "Any news?"})
    assert response.status_code == 302 and len(commits) == 1
    assert _messages() == 1


def test_a_refusal_rolls_back_what_the_service_flushed(client, auth, users, monkeypatch):
    """The message and its audit row are flushed before the refusal: neither survives, and the page says why."""
    assistance_request = make_request(users["member"], S.SUBMITTED)
    real_post = request_services.post_message

    def post_then_refuse(*args, **kwargs):
        real_post(*args, **kwargs)
        raise request_services.RequestError("message_length")

    monkeypatch.setattr(request_services, "post_message", post_then_refuse)
    auth.login(users["member"])
    response = client.post(f"/requests/{assistance_request.id}/messages", data={"body": "Half"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/requests/{assistance_request.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Write a message of up to 5,000 characters." in page
    assert _messages() == 0


def test_any_other_exception_rolls_back_too(app, client, auth, users, monkeypatch):
    assistance_request = make_request(users["member"], S.SUBMITTED)
    real_post = request_services.post_message

    def post_then_fail(*args, **kwargs):
        real_post(*args, **kwargs)
        raise RuntimeError("a bug after the flush")

    monkeypatch.setattr(request_services, "post_message", post_then_fail)
    auth.login(users["member"])
    with pytest.raises(RuntimeError):  # testing apps let bugs through instead of drawing the 500 page
        client.post(f"/requests/{assistance_request.id}/messages", data={"body": "Half"})
    assert _messages() == 0


def test_a_conflict_is_409_and_an_unmet_rule_is_flashed(client, auth, users):
    assistance_request = make_request(users["member"], S.SUBMITTED)
    auth.login(users["member"])
    refused = client.post(f"/requests/{assistance_request.id}/withdraw", data={"reason": ""})
    assert refused.status_code == 302
    assert "Give a reason" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert client.post(f"/requests/{assistance_request.id}/submit").status_code == 409


def test_a_stale_version_is_409(client, auth, users):
    """Another coordinator's write lands just before ours is flushed: ours is refused whole."""
    assistance_request = make_request(users["member"], S.SUBMITTED)
    auth.login(users["coordinator"])

    def a_rival_writes_first(session, _flush_context, _instances):
        session.execute(sa.update(AssistanceRequest).where(AssistanceRequest.id == assistance_request.id)
                        .values(version=AssistanceRequest.version + 1).execution_options(synchronize_session=False))

    sa.event.listen(sa.orm.Session, "before_flush", a_rival_writes_first, once=True)
    response = client.post(f"/requests/{assistance_request.id}/transition", data={"to_status": "triage"})
    assert response.status_code == 409
    db.session.expire_all()
    assert assistance_request.status == S.SUBMITTED


def test_a_json_endpoint_answers_problem_json(client, auth, monkeypatch):
    coordinator = make_user(Role.COORDINATOR)
    profile = make_expert()
    invitation = invite(coordinator, make_assistance_request(coordinator=coordinator), profile)

    def refuse(_invitation):
        raise engagement_services.InvitationError("revoked")

    monkeypatch.setattr(engagement_services, "terms_current", refuse)
    auth.login(profile.user)
    response = client.get(f"/invitations/{invitation.id}.json")
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert response.get_json()["detail"] == "The coordinators withdrew this invitation; it can no longer be answered."


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_view_module_commits_or_rolls_back(path):
    source = path.read_text(encoding="utf-8")
    assert "db.session.commit" not in source and ".rollback(" not in source


def _on_the_seam(view) -> bool:
    """The view, or for a class-based view (the API's MethodViews) its `post`, is wrapped by `@action`."""
    view = getattr(getattr(view, "view_class", None), "post", view)
    while view is not None:
        if getattr(view, actions.MARKER, False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def test_every_post_route_goes_through_the_seam(app):
    unwrapped = [f"{rule.rule} ({rule.endpoint})" for rule in app.url_map.iter_rules()
                 if "POST" in rule.methods and not _on_the_seam(app.view_functions[rule.endpoint])]
    assert not unwrapped


def test_the_scan_sees_the_view_modules():
    """Guards the scan above against a glob that finds nothing."""
    assert len(VIEW_MODULES) >= 10
