"""Notifications in headless Chromium, in English and Arabic, at desktop and phone widths: the bell's count
and name, the list with unread entries marked, opening one leads to its request and marks it read, no
horizontal scrolling. Screenshots go to test-artifacts/ (always, for a look at the pages)."""
import os

import pytest

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.requests import services as requests
from expertnet.requests.models import RequestStatus as S
from tests.conftest import ARTIFACTS, browser_sign_in, make_user
from tests.engagements.factories import make_assistance_request

BADGE = {"en": ("2 unread notifications", "1 unread notification"),
         "ar": ("إشعاران غير مقروءين", "إشعار واحد غير مقروء")}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_bell_the_list_and_opening_one(app, live_server, page_factory, locale, width):
    member = make_user(Role.MEMBER, locale=locale, full_name="Lina Khoury")
    coordinator = make_user(Role.COORDINATOR)
    assistance_request = make_assistance_request(member=member, coordinator=coordinator, status=S.TRIAGE)
    requests.change_status(coordinator, assistance_request, S.MATCHING)
    requests.post_message(coordinator, assistance_request, "Which terminals?")
    db.session.commit()

    page = page_factory(width=width, locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(page, live_server.url, member.email)
    bell = page.locator("a.notification-bell")
    assert bell.get_attribute("aria-label") == BADGE[locale][0]
    assert bell.locator(".notification-count").inner_text() == "2"
    bell.click()
    page.wait_for_load_state()
    assert page.locator("li.notification.unread").count() == 2
    assert page.locator("li.notification bdi").first.inner_text() == assistance_request.reference
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"notifications-{locale}-{width}.png"), full_page=True)

    page.locator("li.notification button").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/requests/{assistance_request.id}")
    assert page.locator("a.notification-bell").get_attribute("aria-label") == BADGE[locale][1]
    page.problems.assert_clean()
