"""The service accounts page in headless Chromium, in English and Arabic, at desk and phone widths: clean (no
console errors, nothing from outside 127.0.0.1), without horizontal scrolling, and its confirmations asked."""
import os

from expertnet.accounts import service_accounts
from expertnet.accounts.api_tokens import Scope
from expertnet.extensions import db
from tests.conftest import browser_sign_in
from tests.platform.test_browser import PHONE_WIDTH, no_horizontal_scroll

SHOTS = os.environ.get("EXPERTNET_SCREENSHOTS")  # a folder: save each view there, to look at by eye


def test_the_service_accounts_page_in_both_languages_and_widths(app, live_server, page_factory, users):
    member = users["member"]
    service_accounts.create_account(member, "نظام إدارة القضايا — Aqaba customs case-management system",
                                    Scope.WRITE, None)
    retired, _token, _secret = service_accounts.create_account(member, "Old system", Scope.READ, None)
    service_accounts.deactivate_account(member, retired)
    db.session.commit()
    for locale in ("en-GB", "ar"):
        page = page_factory(locale=locale)
        member.locale = locale[:2]
        db.session.commit()
        browser_sign_in(page, live_server.url, member.email)
        for width in (1280, PHONE_WIDTH):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + "/settings/service-accounts")
            assert no_horizontal_scroll(page), (locale, width)
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/{locale}-service-accounts-{width}.png", full_page=True)
        assert page.locator("form[data-confirm]").count() == 2  # revoke the live token, deactivate the account
        page.problems.assert_clean()
