"""Journeys in headless Chromium, in English and Arabic, at 1280 and 390 px (issue 17, item 6): a member
searches in Arabic, finds English guidance and opens it; the new-request form offers hub items beside it as
they type; an editor publishes and archives an item (confirming the archive). No page scrolls sideways."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.hub.models import HubItem, HubShown, ItemStatus
from expertnet.sensitivity import Tlp
from tests.conftest import browser_sign_in, make_organisation, make_user
from tests.hub.factories import make_item
from tests.hub.test_search import FIXED_SET
from tests.requests.factories import ensure_topics

WIDTHS = [1280, 390]
KYC = FIXED_SET[0]["title"]


def _t(locale: str, text: str) -> str:
    with force_locale(locale):
        return gettext(text)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _page(page_factory, locale: str, width: int):
    return page_factory(width=width, height=900, locale="ar" if locale == "ar" else "en-GB")


@pytest.fixture
def hub(app):
    ensure_topics()
    editor = make_user(Role.COORDINATOR, full_name="Hana Editor")
    return {entry["title"]: make_item(editor, topics=[], **entry) for entry in FIXED_SET}, editor


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_member_searches_in_arabic_and_reads_english_guidance(hub, live_server, page_factory, locale, width):
    member = make_user(Role.MEMBER, make_organisation("Aqaba Customs", "JO"), locale=locale)
    page = _page(page_factory, locale, width)
    browser_sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/hub/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    page.fill("input[name=q]", "التحقق من هوية المشترين عند بيع سلائف المتفجرات")
    page.locator("form.hub-search button[type=submit]").click()
    page.wait_for_load_state()
    first = page.locator(".hub-card h2 a").first
    assert first.inner_text() == KYC
    assert _t(locale, "Close in meaning to") in page.locator(".hub-card .hub-reasons").first.inner_text()
    assert _fits(page)
    page.screenshot(path=f"/tmp/hub-search-{locale}-{width}.png", full_page=True)
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == KYC
    assert _fits(page)
    page.get_by_role("button", name=_t(locale, "This helped")).click()
    page.wait_for_load_state()
    assert _t(locale, "Thank you: the editors see which items help.") in page.content()
    page.screenshot(path=f"/tmp/hub-item-{locale}-{width}.png", full_page=True)
    page.problems.assert_clean()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_new_request_form_offers_hub_items_as_the_member_types(hub, live_server, page_factory, locale):
    member = make_user(Role.MEMBER, make_organisation("Aqaba Customs", "JO"), locale=locale)
    page = _page(page_factory, locale, 1280)
    browser_sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/requests/new")
    page.fill("input[name=title]", "Cyber attacks on industrial control systems of our chemical plants")
    panel = page.locator("#before-you-file")
    panel.wait_for(state="visible", timeout=15000)
    assert _t(locale, "These may already help") in panel.inner_text()
    assert FIXED_SET[2]["title"] in panel.inner_text()
    page.screenshot(path=f"/tmp/hub-before-you-file-{locale}.png", full_page=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(HubShown.id))) >= 1
    page.problems.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_an_editor_publishes_and_archives_an_item(hub, live_server, page_factory, locale, width):
    items, editor = hub
    item = make_item(editor, status=ItemStatus.IN_REVIEW, tlp=Tlp.CLEAR, title="Guide to drone incident reporting",
                     summary="What a site operator reports to police after a drone flies over the plant.")
    editor.locale = locale
    db.session.commit()
    page = _page(page_factory, locale, width)
    browser_sign_in(page, live_server.url, editor.email)
    page.goto(f"{live_server.url}/hub/{item.id}")
    page.get_by_role("button", name=_t(locale, "Publish"), exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#item-status").inner_text() == _t(locale, "Published")
    assert _fits(page)
    page.screenshot(path=f"/tmp/hub-editor-{locale}-{width}.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=_t(locale, "Archive"), exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#item-status").inner_text() == _t(locale, "Archived")
    db.session.expire_all()
    assert db.session.get(HubItem, item.id).status == ItemStatus.ARCHIVED
    page.problems.assert_clean()
