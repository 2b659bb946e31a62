"""The register in headless Chromium, in English at 1280 px and Arabic at 390 px: an admin searches it, opens a
substance, sees the edit form's inline errors and the retirement question; a coordinator follows the dashboard to
a request naming a precursor by CAS number and saves the suggested tag. No sideways scrolling, no external
requests; screenshots land in test-artifacts/."""
import os

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from expertnet.accounts.models import Role
from expertnet.chemicals.services import request_substances
from expertnet.extensions import db
from expertnet.chemicals.models import Substance
from tests.chemicals.factories import seed_register
from tests.conftest import ARTIFACTS, browser_sign_in, make_user
from tests.engagements.factories import make_assistance_request


def look(page, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"chemicals-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name} scrolls sideways"


@pytest.mark.parametrize("locale, width", [("en", 1280), ("ar", 390)])
def test_the_register_and_tagging_in_the_browser(live_server, page_factory, locale, width):
    seed_register()
    admin = make_user(Role.ADMIN, locale=locale)
    coordinator = make_user(Role.COORDINATOR, locale=locale)
    assistance_request = make_assistance_request(coordinator=coordinator,
                                                 summary="وصلت شحنة من 6484-52-2 إلى الميناء دون شهادة مستخدم نهائي.")
    page = page_factory(width=width, height=900)
    browser_sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/chemicals/?q=" + ("نترات الأمونيوم" if locale == "ar" else "ammonium nitrate"))
    look(page, f"index-{locale}-{width}")
    ammonium = db.session.scalar(sa.select(Substance.id).where(Substance.cas == "6484-52-2"))
    page.click(f"table a[href='/chemicals/{ammonium}']")
    expect(page.locator("body")).to_contain_text("6484-52-2")
    look(page, f"substance-{locale}-{width}")
    page.click("a[href$='/edit']")
    page.fill("#cas", "6484-52-3")
    page.click(".card form input[type=submit]")
    expect(page.locator("#cas-error")).to_be_visible()  # waits for the page the click opened
    look(page, f"edit-errors-{locale}-{width}")
    page.goto(f"{live_server.url}/chemicals/import")
    look(page, f"import-{locale}-{width}")
    page.goto(f"{live_server.url}/chemicals/{ammonium}/retire")
    look(page, f"retire-{locale}-{width}")

    page.context.clear_cookies()
    browser_sign_in(page, live_server.url, coordinator.email)
    page.goto(f"{live_server.url}/coordination/dashboard")
    page.click(f"#untagged-naming a[href='/coordination/requests/{assistance_request.id}/substances']")
    expect(page.locator("#suggested-substances")).to_be_visible()  # waits for the page the click opened
    look(page, f"tag-{locale}-{width}")
    with page.expect_navigation():  # the save redirects; the tags are read only after it
        page.click(".card form input[type=submit]")
    look(page, f"desk-after-tagging-{locale}-{width}")
    db.session.expire_all()
    assert [s.cas for s in request_substances(assistance_request.id)] == ["6484-52-2"]
    page.goto(f"{live_server.url}/coordination/dashboard")
    expect(page.locator("#by-substance")).to_be_visible()
    look(page, f"dashboard-{locale}-{width}")
