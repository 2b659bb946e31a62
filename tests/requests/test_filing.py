"""Filing a new request through the Flask client (issue 13): the form is acted on once (bug 1: Back and send again
filed a second request), files can be added while filing, and long fields say and enforce their limits."""
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from expertnet.attachments.models import Attachment
from expertnet.extensions import db
from expertnet.form_tokens import FormToken
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.attachments.test_storage import EXE_BYTES, PDF_BYTES
from tests.conftest import make_user
from tests.requests.factories import ensure_topics, new_form_url
from tests.requests.test_journey import form_data

SUBMIT = {"submit": "Submit request"}
SAVE = {"save": "Save draft"}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


@pytest.fixture
def member(users, auth):
    ensure_topics()
    auth.login(users["member"])
    return users["member"]


def _files(*named: tuple[bytes, str]) -> dict:
    return {"files": [(io.BytesIO(data), name) for data, name in named]}


# ---- bug 1: one request per form -----------------------------------------------------------------------------

def test_back_and_send_again_files_one_request(client, member):
    """The regression: the form's page, sent, then sent again from the same page (Back) -> one request."""
    form_page = client.get("/requests/new", follow_redirects=True)
    url = form_page.request.full_path  # the address the Back button returns to
    assert client.post(url, data={**form_data(), **SUBMIT}).status_code == 302
    again = client.post(url, data={**form_data(), **SUBMIT})
    assert _count(AssistanceRequest) == 1
    filed = db.session.scalar(sa.select(AssistanceRequest))
    assert again.status_code == 200 and filed.status == S.SUBMITTED
    page = again.get_data(as_text=True)
    assert 'id="already-submitted"' in page and f'href="/requests/{filed.id}"' in page and filed.reference in page


def test_a_new_form_page_gets_a_fresh_token_in_its_address(client, member):
    first, second = new_form_url(client), new_form_url(client)
    assert first.startswith("/requests/new?once=") and first != second
    page = client.get(first).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and "action=" not in page.split('<form method="post" class="form card"')[1][:80]


def test_back_after_a_draft_shows_it_and_sending_again_opens_the_draft(client, member):
    url = new_form_url(client)
    client.post(url, data={**form_data(), **SAVE})
    draft = db.session.scalar(sa.select(AssistanceRequest))
    back = client.get(url).get_data(as_text=True)  # our pages are never cached: Back loads the page again
    assert 'id="sent-before"' in back and f'href="/requests/{draft.id}"' in back
    again = client.post(url, data={**form_data(), **SUBMIT})
    assert again.status_code == 200 and f'href="/requests/{draft.id}"' in again.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.status == S.DRAFT and _count(AssistanceRequest) == 1


def test_a_new_form_after_sending_files_a_second_request(client, member):
    for _ in range(2):
        assert client.post(new_form_url(client), data={**form_data(), **SUBMIT}).status_code == 302
    assert _count(AssistanceRequest) == 2 and _count(FormToken) == 2


def test_a_form_sent_without_a_token_is_shown_again_with_one_and_saves_nothing(client, member):
    response = client.post("/requests/new", data={**form_data(), **SUBMIT})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing is saved yet: check the form and send it again." in page
    assert 'action="/requests/new?once=' in page and form_data()["title"] in page
    assert _count(AssistanceRequest) == 0


def test_someone_elses_token_never_shows_their_request(client, auth, users, member):
    url = new_form_url(client)
    client.post(url, data={**form_data(), **SUBMIT})
    auth.logout()
    auth.login(make_user(organisation=users["member"].organisation))  # a colleague of the same agency
    again = client.post(url, data={**form_data(), **SUBMIT})
    assert again.status_code == 200 and "/requests/1" not in again.get_data(as_text=True).split("<main")[-1]
    assert _count(AssistanceRequest) == 1


def test_a_refused_form_keeps_its_token_for_the_corrected_sending(client, member):
    url = new_form_url(client)
    assert client.post(url, data={**form_data(summary="short"), **SUBMIT}).status_code == 200
    assert _count(FormToken) == 0
    assert client.post(url, data={**form_data(), **SUBMIT}).status_code == 302
    assert _count(AssistanceRequest) == 1


# ---- files while filing --------------------------------------------------------------------------------------

def test_files_are_stored_with_the_new_request(client, member):
    response = client.post(new_form_url(client), data={
        **form_data(), **SUBMIT, "files_tlp": "TLP:RED", **_files((PDF_BYTES, "plan.pdf"), (PDF_BYTES, "خطة.pdf"))})
    assert response.status_code == 302
    filed = db.session.scalar(sa.select(AssistanceRequest))
    attachments = db.session.scalars(sa.select(Attachment).order_by(Attachment.id)).all()
    assert [a.filename for a in attachments] == ["plan.pdf", "خطة.pdf"]
    assert {a.request_id for a in attachments} == {filed.id} and {a.tlp.value for a in attachments} == {"TLP:RED"}


def test_the_file_input_says_what_it_accepts_in_the_readers_language(client, auth, users, member):
    page = client.get(new_form_url(client)).get_data(as_text=True)
    assert 'accept=".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.png,.jpg,.jpeg"' in page and 'multiple' in page
    assert "PDF, Word, Excel, PowerPoint, PNG or JPEG, up to 20 MB." in page
    users["member"].locale = "ar"
    db.session.commit()
    arabic = client.get(new_form_url(client)).get_data(as_text=True)
    assert "ملفات PDF أو Word أو Excel أو PowerPoint أو PNG أو JPEG، بحد أقصى 20 ميغابايت." in arabic


def test_a_refused_file_leaves_nothing_and_keeps_the_text(app, client, member):
    url = new_form_url(client)
    data = {**form_data(title="Precursor shipments at the southern port"), **SUBMIT,
            **_files((PDF_BYTES, "plan.pdf"), (EXE_BYTES, "tool.pdf"))}
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="files-error"' in page and "Only PDF, Word, Excel, PowerPoint, PNG and JPEG files" in page
    assert "choose again plan.pdf and tool.pdf" in page  # a browser cannot keep chosen files
    assert "Precursor shipments at the southern port" in page and form_data()["gap_statement"] in page
    assert (_count(AssistanceRequest), _count(Attachment), _count(FormToken)) == (0, 0, 0)
    uploads = Path(app.config["UPLOAD_FOLDER"])
    assert not [path for path in uploads.rglob("*") if path.is_file()]  # the PDF stored first is gone too
    # The same form, with the file fixed, files the request once.
    assert client.post(url, data={**form_data(), **SUBMIT, **_files((PDF_BYTES, "plan.pdf"))}).status_code == 302
    assert (_count(AssistanceRequest), _count(Attachment)) == (1, 1)


def test_text_refused_asks_to_choose_the_files_again(client, member):
    response = client.post(new_form_url(client), data={**form_data(summary="short"), **SUBMIT,
                                                       **_files((PDF_BYTES, "plan.pdf"))})
    assert response.status_code == 200 and "choose again plan.pdf" in response.get_data(as_text=True)
    assert _count(Attachment) == 0


# ---- limits on long fields -----------------------------------------------------------------------------------

def test_long_fields_carry_their_limit_and_a_counter(client, member):
    page = client.get(new_form_url(client)).get_data(as_text=True)
    for name, limit in (("summary", 2000), ("gap_statement", 10000), ("desired_outcome", 5000), ("annex", 10000),
                        ("urgency_reason", 2000)):
        assert f'data-counter="{name}-count" data-maxlength="{limit}"' in page or (
            f'data-maxlength="{limit}"' in page and f'id="{name}-count"' in page), name
        assert f'aria-describedby="{name}-hint {name}-count"' in page or f'{name}-count"' in page
        assert f'id="{name}-count-live" aria-live="polite"' in page
    assert "Up to 2,000 characters." in page and ' maxlength="2000"' not in page  # said, not cut short
    assert 'name="title"' in page and ' maxlength="200"' in page  # a one-line field is simply held to its limit


@pytest.mark.parametrize("name,limit,message", [
    ("summary", 2000, "Write a shareable summary of 20 to 2,000 characters."),
    ("desired_outcome", 5000, "The desired outcome may hold up to 5,000 characters."),
    ("gap_statement", 10000, "Describe the gap in 40 to 10,000 characters."),
])
def test_too_long_text_is_refused_on_its_field(client, member, name, limit, message):
    response = client.post(new_form_url(client), data={**form_data(**{name: "x" * (limit + 1)}), **SAVE})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="{name}-error"' in page and message in page
    assert _count(AssistanceRequest) == 0


def test_a_line_break_counts_as_one_character_as_the_counter_counts_it(client, member):
    summary = "abcd\r\n" * 400  # 2,000 characters with line breaks as one, 2,400 as the browser sends them
    assert client.post(new_form_url(client), data={**form_data(summary=summary), **SAVE}).status_code == 302
    assert db.session.scalar(sa.select(AssistanceRequest.summary)).count("\r") == 0
