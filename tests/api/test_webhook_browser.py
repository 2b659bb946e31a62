"""The webhooks pages in headless Chromium, in English and Arabic, at desk and phone widths: clean (no console
errors, nothing from outside 127.0.0.1) and without horizontal scrolling."""
import os

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.webhooks.models import WebhookDelivery
from expertnet.webhooks.services import register_endpoint
from tests.conftest import browser_sign_in, make_user
from tests.platform.test_browser import PHONE_WIDTH, no_horizontal_scroll
from tests.requests.factories import make_request
from expertnet.requests.models import RequestStatus as S

SHOTS = os.environ.get("EXPERTNET_SCREENSHOTS")  # a folder: save each view there, to look at by eye


def test_the_webhooks_pages_in_both_languages_and_widths(app, live_server, page_factory, users):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1", ".partner.example"]
    member = users["member"]
    endpoint = register_endpoint(member, "https://crm.partner.example/expertnet/events/incoming-webhook-endpoint",
                                 ["request.submitted", "request.status_changed", "message.created"], "نظام القضايا")
    db.session.commit()
    make_request(member, S.SUBMITTED)  # its deliveries fail: nothing listens there
    assert db.session.scalar(sa.select(sa.func.count(WebhookDelivery.id))) == 2
    for locale in ("en-GB", "ar"):
        page = page_factory(locale=locale)
        member.locale = locale[:2]
        db.session.commit()
        browser_sign_in(page, live_server.url, member.email)
        for path in ("/settings/webhooks", f"/settings/webhooks/{endpoint.id}"):
            for width in (1280, PHONE_WIDTH):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(live_server.url + path)
                assert no_horizontal_scroll(page), (locale, path, width)
                if SHOTS:
                    page.screenshot(path=f"{SHOTS}/{locale}-{path.strip('/').replace('/', '-')}-{width}.png",
                                    full_page=True)
        page.problems.assert_clean()
