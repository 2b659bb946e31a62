"""flask commands: create-admin, taxonomy load, seed-demo, mail deliver."""
import json

import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.experts.models import ExpertProfile, VettingStatus
from expertnet.extensions import db
from expertnet.taxonomy.models import Topic


def test_create_admin(runner, auth):
    result = runner.invoke(args=["create-admin", "--email", "Root@Example.org", "--name", "Root",
                                 "--password", "a very long password"])
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(sa.select(User).where(User.email == "root@example.org"))
    assert admin.role == Role.ADMIN
    assert auth.login("root@example.org", "a very long password").status_code == 302


def test_create_admin_refuses_a_short_password_and_a_taken_address(runner):
    result = runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "A", "--password", "short"])
    assert result.exit_code != 0 and "12 characters" in result.output
    runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "A", "--password", "long enough pass"])
    result = runner.invoke(args=["create-admin", "--email", "A@example.org", "--name", "A", "--password",
                                 "long enough pass"])
    assert result.exit_code != 0 and "already exists" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_taxonomy_load_is_idempotent_and_multilingual(runner):
    assert "created" in runner.invoke(args=["taxonomy", "load"]).output
    result = runner.invoke(args=["taxonomy", "load"])
    assert "0 created" in result.output
    topics = db.session.scalars(sa.select(Topic)).all()
    assert len([t for t in topics if t.parent_id is not None]) >= 40
    assert all(t.labels.get("en") and t.labels.get("ar") and t.descriptions.get("ar") for t in topics)


def test_taxonomy_load_rejects_a_bad_file_without_writing(runner, tmp_path):
    bad = tmp_path / "topics.json"
    bad.write_text(json.dumps([{"slug": "orphan", "parent": "missing", "labels": {"en": "x"}}]))
    result = runner.invoke(args=["taxonomy", "load", "--file", str(bad)])
    assert result.exit_code != 0 and "not a valid topics list" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Topic.id))) == 0


def test_seed_demo_builds_a_network_once(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin@expertnet.example" in result.output
    organisations = db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("organisation")))
    vetted = db.session.scalar(sa.select(sa.func.count(ExpertProfile.id))
                               .where(ExpertProfile.vetting_status == VettingStatus.APPROVED))
    arabic_experts = db.session.scalar(sa.select(sa.func.count(User.id))
                                       .where(User.role == Role.EXPERT, User.locale == "ar"))
    assert organisations >= 20 and vetted >= 150 and arabic_experts >= 10
    zones = dict(db.session.execute(sa.select(User.email, User.time_zone).where(User.role == Role.COORDINATOR)).all())
    assert zones["rami.abudayyeh@secretariat.expertnet.example"] == "Asia/Amman", "demo users read their own zone"
    for role in Role:
        assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.role == role)) >= 1
    systems = db.session.execute(sa.select(User.full_name, User.is_active).where(User.is_service_account)).all()
    assert sorted(systems) == [("Aqaba customs case system", True), ("Legacy reporting export", False)]
    assert "nothing changed" in runner.invoke(args=["seed-demo"]).output


def test_demo_credentials_sign_in(demo_network, auth):
    from expertnet.demo.credentials import DEMO_PASSWORD, demo_credentials

    for _role, email in demo_credentials():
        assert auth.login(email, DEMO_PASSWORD).status_code == 302, email
        auth.logout()
