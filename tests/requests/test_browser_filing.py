"""Filing in headless Chromium, in English and Arabic (issue 13): a file added on the form, the character counter,
and the real Back button: Back after sending, send again -> still one request, and the "already sent" page."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from expertnet.accounts.models import Role
from expertnet.attachments.models import Attachment
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.attachments.test_storage import PDF_BYTES
from tests.conftest import browser_sign_in, make_organisation, make_user
from tests.requests.factories import ensure_topics
from tests.requests.test_browser import PHONE_WIDTH, TEXT

FILE_NAME = {"en": "port-plan.pdf", "ar": "خطة-الميناء.pdf"}


def _t(locale: str, text: str) -> str:
    with force_locale(locale):
        return gettext(text)


def _fill(page, text: dict) -> None:
    page.fill("input[name=title]", text["title"])
    page.fill("textarea[name=summary]", text["summary"])
    page.fill("textarea[name=gap_statement]", text["gap"])
    page.check("input[name=topics][value=customs-interdiction]")
    page.select_option("select[name=country]", "JO")
    page.check("input[name=authorised_declaration]")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_back_button_and_sending_again_files_one_request(app, live_server, page_factory, locale):
    ensure_topics()
    member = make_user(Role.MEMBER, make_organisation("Aqaba Customs", "JO"), locale=locale)
    text = TEXT[locale]
    page = page_factory(locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/requests/new")
    assert "once=" in page.url  # the form's token is in its address, where Back finds it again

    _fill(page, text)
    # The counter counts as one types, in the reader's language, and tells screen readers once typing pauses.
    counter = page.locator("#summary-count")
    assert counter.inner_text() == _t(locale, "Characters: %(count)s of %(max)s") % {
        "count": len(text["summary"]), "max": "2,000"}
    assert page.get_attribute("#summary-count-live", "aria-live") == "polite"
    expect(page.locator("#summary-count-live")).to_have_text(counter.inner_text())
    page.set_input_files("input[name=files]", files=[
        {"name": FILE_NAME[locale], "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    page.screenshot(path=f"/tmp/filing-form-{locale}.png", full_page=True)
    page.click("input[name=submit]")
    page.wait_for_load_state()
    assistance_request = db.session.scalar(sa.select(AssistanceRequest))
    assert page.locator("#request-status").inner_text() == _t(locale, "Submitted")
    assert FILE_NAME[locale] in page.locator("#attachments").inner_text()

    # Back: the page loads again with the same token, the browser puts the text back, and says it was sent.
    page.go_back()
    page.wait_for_load_state()
    assert page.input_value("textarea[name=summary]") == text["summary"]
    expect(counter).to_contain_text(f"{len(text['summary'])}")  # the counter counts the text put back
    assert page.locator("#sent-before").is_visible()
    page.screenshot(path=f"/tmp/filing-back-{locale}.png", full_page=True)
    page.click("input[name=submit]")
    page.wait_for_load_state()
    assert page.locator("#already-submitted").is_visible()
    assert page.locator("h1").inner_text() == _t(locale, "Already sent")
    page.screenshot(path=f"/tmp/filing-already-{locale}.png", full_page=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(AssistanceRequest.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 1

    # "Open it" leads to the request filed the first time.
    page.locator("#already-submitted a.button").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/requests/{assistance_request.id}")
    assert assistance_request.status == S.SUBMITTED
    page.problems.assert_clean()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_refused_file_keeps_the_text_on_a_phone(app, live_server, page_factory, locale):
    ensure_topics()
    member = make_user(Role.MEMBER, make_organisation("Aqaba Customs", "JO"), locale=locale)
    page = page_factory(width=PHONE_WIDTH, locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/requests/new")
    _fill(page, TEXT[locale])
    page.fill("textarea[name=desired_outcome]", "x" * 5010)
    assert "over" in page.get_attribute("#desired_outcome-count", "class")
    page.set_input_files("input[name=files]", files=[
        {"name": "tool.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"\x00" * 200}])
    page.click("input[name=save]")
    page.wait_for_load_state()
    # The long outcome is refused on its field; the text stays; the file is to be chosen again, by name.
    assert page.locator("#desired_outcome-error").is_visible()
    assert page.input_value("textarea[name=summary]") == TEXT[locale]["summary"]
    assert "tool.pdf" in page.locator("#files-error").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"/tmp/filing-refused-phone-{locale}.png", full_page=True)
    assert db.session.scalar(sa.select(sa.func.count(AssistanceRequest.id))) == 0
    page.problems.assert_clean()
