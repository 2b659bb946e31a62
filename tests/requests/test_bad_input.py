"""Bad input through the pages: each a clear 4xx or inline error, and nothing stored."""
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from expertnet.attachments.models import Attachment
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.attachments.test_storage import EXE_BYTES, PDF_BYTES
from tests.requests.factories import ensure_topics, make_request, new_form_url
from tests.requests.test_journey import form_data

ARABIC_TITLE = "تعزيز استهداف شحنات سلائف المتفجرات في الميناء"
ARABIC_GAP = ("لا يملك قسم إدارة المخاطر حالياً مؤشرات استهداف مخصصة للمواد المصنفة في الفصلين 28 و29 "
              "من النظام المنسق، ويعتمد في الغالب على الفحص العشوائي.")


def _count(model):
    return db.session.scalar(sa.select(sa.func.count(model.id)))


@pytest.fixture
def member_client(client, auth, users):
    ensure_topics()
    auth.login(users["member"])
    return client


@pytest.mark.parametrize("overrides,message", [
    ({"title": ""}, "Give a title of 3 to 200 characters."),
    ({"title": "x" * 201}, "Give a title of 3 to 200 characters."),
    ({"summary": "x" * 2001}, "shareable summary of 20 to 2,000"),
    ({"experts_wanted": "two"}, "Number of experts"),
    ({"experts_wanted": "99"}, "Number of experts"),
    ({"start_date": "2027-03-01", "end_date": "2027-02-01"}, "The end date must be on or after the start date."),
    ({"start_date": "yesterday"}, "Earliest start"),
    ({"topics": ["not-a-topic"]}, "Topics"),
    ({"urgency": "urgent", "urgency_reason": ""}, "Say why the request is urgent."),
    ({"modality": "teleportation"}, "Kind of help"),
])
def test_bad_form_input_is_explained_and_not_stored(member_client, overrides, message):
    response = member_client.post(new_form_url(member_client), data={**form_data(**overrides), "save": "Save draft"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Please correct the fields marked below." in page and message in page
    assert _count(AssistanceRequest) == 0


@pytest.mark.parametrize("overrides", [{"summary": ""}, {"topics": []}, {"authorised_declaration": ""},
                                       {"gap_statement": "too short"}])
def test_submitting_needs_the_essentials(member_client, overrides):
    response = member_client.post(new_form_url(member_client), data={**form_data(**overrides), "submit": "Submit"})
    assert response.status_code == 200 and "Please correct" in response.get_data(as_text=True)
    assert _count(AssistanceRequest) == 0


def test_script_tags_are_stored_as_text_and_escaped(member_client):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    member_client.post(new_form_url(member_client), data={**form_data(summary=script + " and a real summary"), "save": "1"})
    assistance_request = db.session.scalar(sa.select(AssistanceRequest))
    assert assistance_request.summary.startswith(script)
    page = member_client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    assert script not in page and "&lt;script&gt;" in page
    make_request_submitted = member_client.post(f"/requests/{assistance_request.id}/submit")
    assert make_request_submitted.status_code == 302
    member_client.post(f"/requests/{assistance_request.id}/messages", data={"body": "<b>bold</b><script>x</script>"})
    page = member_client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_empty_and_oversized_messages_are_refused(member_client, users):
    assistance_request = make_request(users["member"], S.SUBMITTED)
    for body in ("", "   ", "x" * 5001):
        response = member_client.post(f"/requests/{assistance_request.id}/messages", data={"body": body},
                                      follow_redirects=True)
        assert "Write a message of up to 5,000 characters." in response.get_data(as_text=True)
    assert assistance_request.messages == []


def test_feedback_ratings_out_of_range(member_client, users):
    assistance_request = make_request(users["member"], S.EVALUATION)
    for value in ("0", "6", "five", ""):
        response = member_client.post(f"/requests/{assistance_request.id}/feedback",
                                      data={"usefulness": value, "timeliness": "3", "expertise": "3"})
        assert response.status_code == 400
    from expertnet.requests.models import Feedback

    assert _count(Feedback) == 0


def _upload(client, assistance_request, data: bytes, name: str):
    return client.post(f"/requests/{assistance_request.id}/attachments",
                       data={"file": (io.BytesIO(data), name), "tlp": "TLP:AMBER"},
                       content_type="multipart/form-data")


def _stored_files(app):
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_executable_renamed_pdf_is_refused(app, member_client, users):
    assistance_request = make_request(users["member"], S.DRAFT)
    response = _upload(member_client, assistance_request, EXE_BYTES, "invoice.pdf")
    assert response.status_code == 400
    assert "judged by their content" in response.get_data(as_text=True)
    assert _count(Attachment) == 0 and _stored_files(app) == []


def test_50_mb_upload_is_refused(app, member_client, users):
    assistance_request = make_request(users["member"], S.DRAFT)
    response = _upload(member_client, assistance_request, PDF_BYTES + b"0" * (50 * 1024 * 1024), "huge.pdf")
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)
    assert _count(Attachment) == 0 and _stored_files(app) == []


def test_upload_over_the_limit_but_under_the_request_cap(app, member_client, users):
    """Between UPLOAD_MAX_BYTES and MAX_CONTENT_LENGTH the service refuses it with an explanation."""
    assistance_request = make_request(users["member"], S.DRAFT)
    app.config["UPLOAD_MAX_BYTES"] = 1024
    response = _upload(member_client, assistance_request, PDF_BYTES + b"0" * 4096, "big.pdf")
    assert response.status_code == 413 and "larger than 20 MB" in response.get_data(as_text=True)
    assert _count(Attachment) == 0 and _stored_files(app) == []


def test_upload_and_download(app, member_client, users):
    assistance_request = make_request(users["member"], S.DRAFT)
    assert _upload(member_client, assistance_request, PDF_BYTES, "خطة.pdf").status_code == 302
    attachment = db.session.scalar(sa.select(Attachment))
    response = member_client.get(f"/requests/{assistance_request.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF_BYTES
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Type"] == "application/pdf"
    assert member_client.get(f"/static/{attachment.storage_key}").status_code == 404


def test_arabic_text_round_trips_and_displays_rtl(client, auth, users):
    ensure_topics()
    users["member"].locale = "ar"
    db.session.commit()
    auth.login(users["member"])
    client.post(new_form_url(client), data={**form_data(title=ARABIC_TITLE, gap_statement=ARABIC_GAP), "save": "1"})
    assistance_request = db.session.scalar(sa.select(AssistanceRequest))
    assert assistance_request.title == ARABIC_TITLE and assistance_request.gap_statement == ARABIC_GAP
    page = client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    assert 'dir="rtl"' in page and ARABIC_TITLE in page and ARABIC_GAP in page
    assert 'dir="auto"' in page
