"""The coordinator's journey in headless Chromium, in English and Arabic: triage a request, open the suggestions
and read the reasons, invite, see the acceptance, follow the engagement. No JS errors, no external requests,
no sideways scrolling on a phone; screenshots of each page land in test-artifacts/."""
import os
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.engagements.models import Invitation
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from tests.conftest import ARTIFACTS, browser_sign_in, make_organisation, make_user
from tests.coordination.factories import make_assistance_request, make_expert
from tests.engagements.factories import accept

TWIN = dict(headline="Customs targeting of precursor shipments at sea ports",
            expertise_statement="Risk profiling of precursor chemical shipments, HS codes 28 and 29, port targeting.")
TEXT = {"en": {"reasons": "Topics", "accepted": "Accepted", "active": "Active"},
        "ar": {"reasons": "المجالات", "accepted": "قَبِل", "active": "نشط"}}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def look(page, name: str) -> None:
    """Save a screenshot and check the page does not scroll sideways, also on a phone."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"coordination-{name}.png"), full_page=True)
    assert fits(page), f"{name} scrolls sideways"
    size = page.viewport_size
    if size["width"] > 390:
        page.set_viewport_size({"width": 390, "height": 844})
        assert fits(page), f"{name} scrolls sideways on a phone"
        page.set_viewport_size(size)


@pytest.mark.parametrize("locale, width", [("en", 1280), ("ar", 390)])
def test_coordinator_journey_in_the_browser(live_server, page_factory, locale, width):
    coordinator = make_user(Role.COORDINATOR, locale=locale, full_name="Browser Coordinator")
    best = make_expert(**TWIN)
    make_expert(topics=("lab-analysis-accreditation",), headline="Forensic laboratory accreditation",
                expertise_statement="ISO 17025 quality systems.")
    member = make_user(Role.MEMBER, make_organisation("Browser Port Customs", "JO"))
    assistance_request = make_assistance_request(member, S.SUBMITTED, coordinator, title="Precursor shipments at the port",
                                                 start_date=date.today() + timedelta(days=90),
                                                 end_date=date.today() + timedelta(days=95))
    page = page_factory(width=width, height=900)
    browser_sign_in(page, live_server.url, coordinator.email)
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")

    # Triage from the queue.
    page.goto(f"{live_server.url}/coordination/queue")
    look(page, f"queue-{locale}")
    page.click(f"a[href='/coordination/requests/{assistance_request.id}']")
    look(page, f"desk-{locale}")
    page.click("button[name=to_status][value=triage]")
    page.click("button[name=to_status][value=matching]")

    # Suggestions with their reasons; invite the best match.
    page.click(f"a[href='/coordination/requests/{assistance_request.id}/suggestions']")
    look(page, f"suggestions-{locale}")
    row = page.locator("table.suggestions tbody tr").first
    assert TEXT[locale]["reasons"] in row.inner_text()
    page.check(f"#pick-{best.id}")
    page.fill("textarea[name=message]", "Could you advise the port customs on precursor targeting?")
    page.fill("input[name=respond_by]", (date.today() + timedelta(days=5)).isoformat())
    page.click("[type=submit][name=submit_invite]")
    page.wait_for_url(f"**/coordination/requests/{assistance_request.id}")
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.request_id == assistance_request.id))
    assert invitation is not None and invitation.expert_id == best.id

    # The expert accepts (their side is another feature); the coordinator sees it and follows the engagement.
    engagement = accept(invitation)
    page.reload()
    assert TEXT[locale]["accepted"] in page.locator("#invitations").inner_text()
    page.click(f"a[href='/coordination/engagements/{engagement.id}']")
    page.fill("input[name=title]", "Indicators drafted")
    page.fill("input[name=due_on]", (date.today() + timedelta(days=92)).isoformat())
    page.click("[type=submit][name=submit_milestone]")
    page.click("form.engagement-action button[type=submit]")  # start the engagement
    look(page, f"engagement-{locale}")
    assert TEXT[locale]["active"] in page.locator(".page-head").inner_text()
    assert "Indicators drafted" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/coordination/dashboard")
    look(page, f"dashboard-{locale}")
    page.problems.assert_clean()
