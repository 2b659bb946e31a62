"""CSV import of experts (row-by-row report, all or nothing) and formula-safe CSV export."""
import csv
import io

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.audit.models import AuditEvent
from expertnet.csv_safety import csv_text, looks_like_formula, neutralise
from expertnet.engagements.suggestions import rank_for_request
from expertnet.experts.models import ExpertProfile, VettingStatus
from expertnet.extensions import db
from tests.conftest import make_user
from tests.engagements.factories import ensure_topics, make_assistance_request, make_expert

HEADER = "email,full_name,affiliation,headline,expertise_statement,topics,languages,countries,capacity,locale\n"
GOOD = ("amal@example.org,أمل الحسن,Customs,Customs risk targeting,Precursor targeting at ports,"
        "customs-interdiction:expert; supply-chain-kyc,ar:native; en:fluent,JO; EG,2,ar\n"
        "ben@example.org,Ben Ode,Police,Post-blast investigator,Scene work,post-blast-investigation,en,KE,1,en\n")


def users_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


@pytest.fixture
def coordinator(app):
    ensure_topics()
    return make_user(Role.COORDINATOR)


def upload(client, content: bytes, name: str = "experts.csv", send_links: bool = False):
    data = {"file": (io.BytesIO(content), name), **({"send_links": "y"} if send_links else {})}
    return client.post("/experts/import", data=data,
                       content_type="multipart/form-data")


def test_a_good_file_imports_vetted_matchable_experts(client, auth, coordinator, sent_mail):
    auth.login(coordinator)
    response = upload(client, ("\ufeff" + HEADER + GOOD).encode(), send_links=True)
    assert response.status_code == 302
    amal = db.session.scalar(sa.select(ExpertProfile).join(User, User.id == ExpertProfile.user_id).where(User.email == "amal@example.org"))
    assert amal.vetting_status == VettingStatus.APPROVED and amal.user.full_name == "أمل الحسن"
    assert {t.topic.slug: t.level.value for t in amal.topics} == {"customs-interdiction": "expert",
                                                                  "supply-chain-kyc": "practitioner"}
    assert amal.languages[0] == {"code": "ar", "proficiency": "native"} and amal.countries == ["JO", "EG"]
    assert len(sent_mail) == 2  # links to set a password
    assert amal.id in [p.id for p, _s, _r in rank_for_request(make_assistance_request()).experts]
    assert db.session.scalar(sa.select(AuditEvent.details).where(AuditEvent.action == "experts.import")) == {"imported": 2}


@pytest.mark.parametrize("bad_row, problem", [
    ("not-an-email,X,,,,,,,,\n", "email"),
    ("carl@example.org,Carl,,,,no-such-topic,,,,\n", "Unknown topics"),
    ("amal@example.org,Twice,,,,,,,,\n", "duplicate in this file"),
    ("ａｍａｌ＠ｅｘａｍｐｌｅ．ｏｒｇ,Full-width twin,,,,,,,,\n", "duplicate in this file"),
    ("dora@example.org,\"=cmd|' /C calc'!A0\",,,,,,,,\n", "formula"),
    ("erin@example.org,Erin,@SUM(1+1),,,,,,,\n", "formula"),
    ("fay@example.org,Fay,,,,,,Jordan,,\n", "two-letter"),
])
def test_bad_rows_are_reported_and_nothing_is_imported(client, auth, coordinator, bad_row, problem):
    auth.login(coordinator)
    before = users_count()
    response = upload(client, (HEADER + GOOD + bad_row).encode())
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing was imported" in text and problem in text
    assert "<td data-label=\"Line\">4</td>" in text
    assert users_count() == before


def test_existing_account_wrong_encoding_and_columns(client, auth, coordinator):
    make_expert(user=make_user(Role.EXPERT, email="amal@example.org"))
    auth.login(coordinator)
    before = users_count()
    assert "already exists" in upload(client, (HEADER + GOOD).encode()).get_data(as_text=True)
    latin = upload(client, (HEADER + "zoe@example.org,Zoé Müller,,,,,,,,\n").encode("latin-1"))
    assert latin.status_code == 400 and "not UTF-8" in latin.get_data(as_text=True)
    utf16 = upload(client, (HEADER + GOOD).encode("utf-16"))
    assert utf16.status_code == 400
    columns = upload(client, b"mail,name\nx@example.org,X\n")
    assert "Columns" in columns.get_data(as_text=True)
    assert users_count() == before


def test_import_and_export_are_for_coordinators_only(client, auth, coordinator):
    auth.login(make_user(Role.EXPERT))
    assert client.get("/experts/import").status_code == 403
    assert client.get("/experts/export.csv").status_code == 403


def test_exports_neutralise_formulas(client, auth, coordinator):
    make_expert(headline="=HYPERLINK(\"http://evil.example\",\"click\")", affiliation="+1 555 0100")
    auth.login(coordinator)
    response = client.get("/experts/export.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    headline = rows[1][rows[0].index("headline")]
    assert headline.startswith("'=") and rows[1][rows[0].index("affiliation")] == "'+1 555 0100"


@pytest.mark.parametrize("value, dangerous", [
    ("=1+1", True), ("+cmd", True), ("-2+3", True), ("@SUM(A1)", True), ("\t=x", True), (" =x", True),
    ("-3.5", False), ("42", False), ("Customs", False), ("", False), (None, False), ("ab=c", False),
])
def test_formula_detection(value, dangerous):
    assert looks_like_formula(value) is dangerous
    assert neutralise(value).startswith("'") is dangerous


def test_csv_text_has_bom_and_neutralised_cells():
    text = csv_text(["a", "b"], [["=x", "ok"], [None, 3]])
    assert text.startswith("\ufeff") and "'=x" in text and "\r\n" in text
