"""Arabic pages in headless Chromium keep mixed-direction fragments apart (issue 13, bug 9): every organisation
name, request reference, person's name and request title printed inline is the whole text of an element
the browser isolates (computed `unicode-bidi: isolate` or `plaintext`: <bdi>, dir="auto", .ltr), so
"Mexican Federal Commission · TA-2026-0015 · المكسيك" cannot interleave. The DOM is asserted, not the status."""
import os

import pytest

from expertnet.accounts.models import Role
from expertnet.requests.models import RequestStatus as S
from tests.conftest import ARTIFACTS, browser_sign_in, make_organisation, make_user
from tests.coordination.factories import make_assistance_request, make_expert
from tests.engagements.factories import accept, invite

AGENCY = "Mexican Federal Commission for Chemical Risk Regulation"
TITLE = "Chemical risk regulation for ports"
EXPERT = "Dana Example-Expert"

# For each text node holding `fragment`: the nearest ancestor the browser isolates must hold exactly the
# fragment (an isolate around the whole row would not keep the row's parts apart).
UNISOLATED = """fragment => {
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let seen = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.includes(fragment)) continue;
    seen += 1;
    let el = node.parentElement;
    while (el && !['isolate', 'plaintext', 'isolate-override'].includes(getComputedStyle(el).unicodeBidi)) {
      el = el.parentElement;
    }
    if (!el || el.textContent.trim() !== fragment) bad.push((el || node.parentElement).outerHTML.slice(0, 200));
  }
  return {seen, bad};
}"""


def assert_isolated(page, *fragments) -> None:
    for fragment in fragments:
        found = page.evaluate(UNISOLATED, fragment)
        assert found["seen"], f"{fragment!r} is not on {page.url}"
        assert found["bad"] == [], f"{fragment!r} not isolated on {page.url}: {found['bad']}"


@pytest.mark.parametrize("width", [1280, 390])
def test_arabic_coordinator_pages_isolate_names_and_references(live_server, page_factory, width):
    coordinator = make_user(Role.COORDINATOR, locale="ar", full_name="Browser Coordinator")
    member = make_user(Role.MEMBER, make_organisation(AGENCY, "MX"))
    assistance_request = make_assistance_request(member, S.MATCHING, coordinator, title=TITLE, country="MX",
                                                 languages=["es", "en"])
    expert = make_expert(user=make_user(Role.EXPERT, full_name=EXPERT))
    engagement = accept(invite(coordinator, assistance_request, expert))
    reference = assistance_request.reference
    page = page_factory(width=width, height=900, locale="ar")
    browser_sign_in(page, live_server.url, coordinator.email)
    pages = {
        "queue": ("/coordination/queue?status=active", (AGENCY, reference, TITLE)),
        "desk": (f"/coordination/requests/{assistance_request.id}", (AGENCY, reference, TITLE, EXPERT)),
        "request": (f"/requests/{assistance_request.id}", (reference, TITLE)),
        "engagements": ("/coordination/engagements", (reference, TITLE, EXPERT)),
        "engagement": (f"/coordination/engagements/{engagement.id}", (reference, TITLE, EXPERT)),
    }
    os.makedirs(ARTIFACTS, exist_ok=True)
    for name, (path, fragments) in pages.items():
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.screenshot(path=os.path.join(ARTIFACTS, f"bidi-{name}-ar-{width}.png"), full_page=True)
        assert_isolated(page, *fragments)
    page.goto(f"{live_server.url}/coordination/queue?status=active")
    assert "المكسيك" in page.locator("table.queue").inner_text() and "MX" not in page.locator("table.queue").inner_text()
    page.problems.assert_clean()


def test_arabic_expert_pages_isolate_references(live_server, page_factory):
    coordinator = make_user(Role.COORDINATOR)
    member = make_user(Role.MEMBER, make_organisation(AGENCY, "MX"))
    assistance_request = make_assistance_request(member, S.MATCHING, coordinator, title=TITLE)
    expert = make_expert(user=make_user(Role.EXPERT, full_name=EXPERT, locale="ar"))
    accept(invite(coordinator, assistance_request, expert))
    page = page_factory(locale="ar")
    browser_sign_in(page, live_server.url, expert.user.email)
    for path in ("/invitations", "/engagements"):
        page.goto(live_server.url + path)
        assert_isolated(page, assistance_request.reference, TITLE)
    page.problems.assert_clean()
