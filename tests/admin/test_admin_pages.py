"""Admin pages: organisations, users (roles, deactivation), taxonomy editing, audit log."""
import sqlalchemy as sa

from expertnet.accounts.models import Organisation, Role
from expertnet.audit.models import AuditEvent
from expertnet.experts.matcher_bridge import REFIT_ALL
from expertnet.experts.models import MatcherState
from expertnet.extensions import db
from expertnet.taxonomy.models import Topic
from expertnet.taxonomy.services import load_bundled_topics
from tests.conftest import make_organisation, make_user


def audit_actions():
    return db.session.scalars(sa.select(AuditEvent.action)).all()


def test_create_and_edit_an_organisation(client, auth):
    auth.login(make_user(Role.ADMIN))
    response = client.post("/admin/organisations/new", data={"name": "Tunisian Customs – Radès Port", "country": "TN",
                                                              "kind": "customs_border", "is_active": "y"})
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name.startswith("Tunisian")))
    assert organisation.country == "TN"
    client.post(f"/admin/organisations/{organisation.id}", data={"name": organisation.name, "country": "TN",
                                                                  "kind": "regulator"})
    db.session.refresh(organisation)
    assert organisation.kind.value == "regulator" and organisation.is_active is False
    assert {"organisation.created", "organisation.updated"} <= set(audit_actions())


def test_organisation_bad_input_is_an_inline_error(client, auth):
    make_organisation("Existing Agency")
    auth.login(make_user(Role.ADMIN))
    for data, message in [({"name": "existing agency", "country": "JO", "kind": "regulator"}, "already has this name"),
                          ({"name": "New", "country": "XQ", "kind": "regulator"}, "Not a valid choice"),
                          ({"name": "New", "country": "JO", "kind": "pirates"}, "Not a valid choice")]:
        response = client.post("/admin/organisations/new", data=data)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1


def test_role_change_ends_the_users_sessions(app, client, auth):
    target = make_user(Role.EXPERT)
    target_client = app.test_client()
    target_client.post("/sign-in", data={"email": target.email, "password": "correct horse battery staple"})
    organisation = make_organisation("Kenya Police – Chemical Crimes")
    auth.login(make_user(Role.ADMIN))
    response = client.post(f"/admin/users/{target.id}", data={"role": "member", "organisation_id": organisation.id})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.role == Role.MEMBER and target.organisation_id == organisation.id
    assert target_client.get("/settings").status_code == 302
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert event.details == {"previous": "expert", "role": "member"}


def test_admin_cannot_demote_themselves_or_make_a_member_without_organisation(client, auth):
    admin = make_user(Role.ADMIN)
    expert = make_user(Role.EXPERT)
    auth.login(admin)
    assert "your own role" in client.post(f"/admin/users/{admin.id}",
                                          data={"role": "expert", "organisation_id": 0}).get_data(as_text=True)
    assert "must belong" in client.post(f"/admin/users/{expert.id}",
                                        data={"role": "member", "organisation_id": 0}).get_data(as_text=True)
    db.session.refresh(admin), db.session.refresh(expert)
    assert admin.role == Role.ADMIN and expert.role == Role.EXPERT


def test_deactivate_and_reactivate(client, auth):
    admin = make_user(Role.ADMIN)
    member = make_user(Role.MEMBER)
    auth.login(admin)
    client.post(f"/admin/users/{member.id}/active", data={"active": "0"})
    db.session.refresh(member)
    assert member.is_active is False
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
    db.session.refresh(admin)
    assert admin.is_active is True  # no self-lockout
    client.post(f"/admin/users/{member.id}/active", data={"active": "1"})
    db.session.refresh(member)
    assert member.is_active is True
    assert audit_actions().count("user.deactivated") == 1


def test_user_search_and_role_filter(client, auth):
    make_user(Role.EXPERT, full_name="Farida Benali")
    make_user(Role.COORDINATOR, full_name="Farid Coordinator")
    auth.login(make_user(Role.ADMIN))
    page = client.get("/admin/users?q=farid&role=expert").get_data(as_text=True)
    assert "Farida Benali" in page and "Farid Coordinator" not in page
    assert client.get("/admin/users?page=abc").status_code == 404


def rename_drone_topic(client, auth):
    """An admin renames the drones topic in English and Arabic (French and Spanish left blank)."""
    load_bundled_topics()
    db.session.commit()
    topic = db.session.scalar(sa.select(Topic).where(Topic.slug == "uas-drone-threats"))
    auth.login(make_user(Role.ADMIN))
    response = client.post(f"/admin/taxonomy/{topic.id}", data={
        "label_en": "Drones and uncrewed aircraft", "label_ar": "الطائرات المسيّرة", "label_fr": "", "label_es": "",
        "description_en": "", "description_ar": "", "is_active": "y"})
    assert response.status_code == 302
    return topic


def test_edit_a_topic_label(client, auth):
    topic = rename_drone_topic(client, auth)
    db.session.refresh(topic)
    assert topic.labels["en"] == "Drones and uncrewed aircraft" and topic.labels["fr"]  # French kept
    assert "الطائرات المسيّرة" in client.get("/admin/taxonomy", headers={"Accept-Language": "ar"}).get_data(as_text=True)


def test_editing_a_topic_makes_every_process_refit_the_matcher(client, auth):
    """Topic labels are part of every expert's matcher profile, so an edit is logged as a change of all."""
    rename_drone_topic(client, auth)
    state = db.session.scalar(sa.select(MatcherState))
    assert state is not None and state.changed_expert_ids[-1][1] == REFIT_ALL


def test_audit_log_lists_and_filters(client, auth):
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    auth.login(admin)  # a second sign-in event
    page = client.get("/admin/audit?action=auth.").get_data(as_text=True)
    assert "auth.signed_in" in page
    assert "user.created" not in client.get("/admin/audit?action=auth.").get_data(as_text=True)


def test_audit_events_cannot_be_changed(app):
    user = make_user(Role.ADMIN)
    event = db.session.scalar(sa.select(AuditEvent)) or AuditEvent(action="x", actor_id=user.id)
    db.session.add(event)
    db.session.commit()
    event.action = "rewritten"
    try:
        db.session.commit()
    except RuntimeError:
        db.session.rollback()
    else:
        raise AssertionError("an audit row was rewritten")
    assert db.session.get(AuditEvent, event.id).action == "x"
