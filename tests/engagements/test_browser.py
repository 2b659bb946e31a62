"""The expert journey in headless Chromium, in English and Arabic: edit the profile, open the invitation, accept
the terms, accept, post progress, submit the completion report. No JS errors, no external requests, no sideways
scrolling on a phone."""
import os

import pytest

from expertnet.accounts.models import Role
from tests.conftest import ARTIFACTS, browser_sign_in, make_user
from tests.engagements.factories import SECRET_GAP, invite, make_assistance_request, make_expert

TEXT = {
    "en": {"saved": "How the matcher sees me", "accepted": "full request and the conversation are open",
           "report": "completion report is submitted"},
    "ar": {"saved": "كيف يراني نظام المطابقة", "accepted": "أصبح الطلب كاملًا والمحادثة متاحين لك",
           "report": "قُدّم تقرير الإنجاز"},
}


def fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_expert_journey_in_the_browser(live_server, page_factory, locale):
    coordinator = make_user(Role.COORDINATOR)
    expert = make_expert(locale=locale)
    invitation = invite(coordinator, make_assistance_request(coordinator=coordinator), expert)
    text = TEXT[locale]
    page = page_factory(width=390, height=844)
    browser_sign_in(page, live_server.url, expert.user.email)

    page.goto(f"{live_server.url}/profile")
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    assert fits_phone(page), "profile form scrolls sideways"
    page.fill("input[name=headline]", "Customs targeting and precursor risk profiling")
    page.fill("textarea[name=biography]", "Twenty years at sea ports.")
    page.fill("input[name='experiences-0-role']", "Head of targeting unit")
    page.fill("input[name='experiences-0-start_year']", "2012")
    page.fill("textarea[name='experiences-0-description']", "Risk indicators for HS chapters 28 and 29.")
    page.click("form.card [type=submit][name=submit]")
    page.wait_for_load_state()
    assert text["saved"] in page.content()
    shot(page, f"expert-preview-{locale}")
    assert fits_phone(page), "preview scrolls sideways"

    page.goto(f"{live_server.url}/invitations")
    assert fits_phone(page), "inbox scrolls sideways"
    shot(page, f"expert-inbox-{locale}")
    page.click(f"a[href='/invitations/{invitation.id}']")
    page.wait_for_load_state()
    assert SECRET_GAP not in page.content()
    assert fits_phone(page), "invitation scrolls sideways"
    shot(page, f"expert-invitation-{locale}")
    page.check("input[name=agree]")
    page.click("form[action$='/terms'] [type=submit]")
    page.wait_for_load_state()
    page.click("form[action$='/accept'] [type=submit]")
    page.wait_for_load_state()
    assert text["accepted"] in page.content() and SECRET_GAP in page.content()

    page.click("form[action$='/start'] [type=submit]")
    page.wait_for_load_state()
    page.fill("#progress textarea[name=body]", "Kick-off call held; indicators drafted.")
    page.click("#progress [type=submit]")
    page.wait_for_load_state()
    assert "Kick-off call held" in page.content()
    page.fill("textarea[name=report]", "Indicators delivered and twenty officers trained.")
    page.fill("input[name=days_spent]", "5")
    page.click("#report [type=submit]")
    page.wait_for_load_state()
    assert text["report"] in page.content()
    assert fits_phone(page), "engagement page scrolls sideways"
    shot(page, f"expert-engagement-{locale}")

    wide = page_factory(width=1280, height=900)
    browser_sign_in(wide, live_server.url, expert.user.email)
    wide.goto(f"{live_server.url}/profile")
    shot(wide, f"expert-profile-wide-{locale}")
    page.problems.assert_clean()
    wide.problems.assert_clean()
