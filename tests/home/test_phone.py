"""The layout on a phone (issue 13): at 390 px every role's home and the coordinator's queue keep the header to one
line (the navigation folds behind "Menu"), the queue's filters fold behind "Filters" so the first result shows
without scrolling, nothing scrolls sideways, no JavaScript error, no request leaves 127.0.0.1. English and Arabic."""
import os

import pytest
from flask_babel import force_locale, gettext

from expertnet.accounts.models import Role
from tests.conftest import ARTIFACTS, browser_sign_in, make_organisation, make_user
from tests.coordination.factories import make_assistance_request
from tests.requests.factories import ensure_topics

PHONE = {"width": 390, "height": 844}
ONE_LINE_HEADER = 64  # px: the brand and the Menu button side by side


def _t(locale: str, text: str) -> str:
    with force_locale(locale):
        return gettext(text)


def _check_header(page, locale: str) -> None:
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= ONE_LINE_HEADER, header
    button = page.locator(".menu-toggle")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-menu").is_visible()
    button.click()  # opens the menu: navigation, language, account
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-menu .main-nav").is_visible()
    assert page.locator("#site-menu").get_by_text(_t(locale, "Sign out")).is_visible()
    page.screenshot(path=os.path.join(ARTIFACTS, f"phone-menu-{locale}.png"))
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")  # closes it again, focus back on the button
    assert button.get_attribute("aria-expanded") == "false" and not page.locator("#site-menu").is_visible()
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_home_and_the_queue_on_a_phone(app, live_server, page_factory, locale):
    ensure_topics()
    coordinator = make_user(Role.COORDINATOR, locale=locale, full_name="Phone Coordinator")
    member = make_user(Role.MEMBER, make_organisation("Phone Port Customs", "JO"), locale=locale)
    make_assistance_request(member, coordinator=coordinator, title="Precursor shipments at the port")
    people = {"member": member, "expert": make_user(Role.EXPERT, locale=locale),
              "admin": make_user(Role.ADMIN, locale=locale), "coordinator": coordinator}  # the queue: coordinator's
    for role, user in people.items():
        page = page_factory(width=PHONE["width"], height=PHONE["height"], locale="ar" if locale == "ar" else "en-GB")
        browser_sign_in(page, live_server.url, user.email)
        page.goto(f"{live_server.url}/")
        assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
        os.makedirs(ARTIFACTS, exist_ok=True)
        page.screenshot(path=os.path.join(ARTIFACTS, f"phone-home-{role}-{locale}.png"), full_page=True)
        assert _fits(page), role
        _check_header(page, locale)
        page.problems.assert_clean()

    # The queue: results first, filters one tap away.
    page.goto(f"{live_server.url}/coordination/queue")
    page.screenshot(path=os.path.join(ARTIFACTS, f"phone-queue-{locale}.png"), full_page=True)
    assert _fits(page)
    _check_header(page, locale)
    filters = page.locator("details.filter-panel")
    assert filters.get_attribute("open") is None and not page.locator("form.filters").is_visible()
    first = page.locator("table.queue tbody tr").first.bounding_box()
    assert first["y"] + 40 <= PHONE["height"], first
    page.locator("details.filter-panel > summary").click()
    assert page.locator("form.filters select[name=country]").is_visible()
    page.select_option("form.filters select[name=country]", "JO")
    page.locator("form.filters [type=submit]").click()
    page.wait_for_load_state()
    assert "country=JO" in page.url and page.locator("table.queue tbody tr").count() == 1
    assert page.locator("details.filter-panel > summary .badge").inner_text() == "1"
    page.problems.assert_clean()


def test_without_javascript_the_menu_and_filters_stay_open(client, auth):
    auth.login(make_user(Role.COORDINATOR))
    html = client.get("/coordination/queue").get_data(as_text=True)
    assert '<details class="filter-panel" open' in html
    assert 'class="menu-toggle" aria-expanded="false" aria-controls="site-menu"' in html
    assert '<div class="header-menu" id="site-menu">' in html  # no "hidden": the CSS folds it only under .js
