"""The journey in headless Chromium, in English and Arabic, at 1280 and 390 px: a member registers for a webinar
(and cancels another, confirming); after the event the organiser marks attendance and adds the slides; the
member opens the event again and downloads them; the organiser publishes them in the hub and the member finds
them there from the event's page (issue 18). No horizontal scrolling, nothing loaded from elsewhere.
Screenshots go to test-artifacts/."""
import os

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.events.models import Registration, RegistrationStatus as R
from expertnet.extensions import db
from tests.attachments.test_storage import PDF_BYTES
from tests.conftest import ARTIFACTS, browser_sign_in, make_user
from tests.events.factories import make_event, move_into_past

TITLE = {"en": "Drones over chemical sites", "ar": "الطائرات المسيّرة فوق المواقع الكيميائية (UAS)"}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_register_attend_and_download(app, live_server, page_factory, locale, width):
    organiser = make_user(Role.COORDINATOR, locale=locale, full_name="Helena Marsh")
    member = make_user(Role.MEMBER, locale=locale, full_name="لينا خوري" if locale == "ar" else "Lina Khoury")
    webinar = make_event(organiser, title=TITLE[locale], languages=("en", "ar"), capacity=20)
    other = make_event(organiser, title="Second webinar")
    url, tag = live_server.url, f"{locale}-{width}"

    page = page_factory(width=width, locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(page, url, member.email)
    page.goto(f"{url}/events")
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    assert _fits(page)
    _shot(page, f"events-list-{tag}")
    page.locator("a", has_text=TITLE[locale]).click()
    page.wait_for_load_state()
    page.locator("#registration button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#registration .badge.ok").count() == 1
    assert page.locator("a[href^='https://meet.example.org']").count() == 1  # the joining link, now that a seat is held
    assert _fits(page)
    _shot(page, f"event-registered-{tag}")

    page.goto(f"{url}/events/{other.id}")
    page.locator("#registration button[type=submit]").click()
    page.wait_for_load_state()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#registration form[data-confirm] button").click()
    page.wait_for_load_state()
    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(Registration.event_id, Registration.status)
                                       .where(Registration.user_id == member.id)).all())
    assert statuses == {webinar.id: R.REGISTERED, other.id: R.CANCELLED}

    move_into_past(webinar)
    staff = page_factory(width=width, locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(staff, url, organiser.email)
    staff.goto(f"{url}/events/{webinar.id}/registrations")
    staff.locator("#attendance input[name=attended]").check()
    staff.locator("#attendance [type=submit]").click()
    staff.wait_for_load_state()
    staff.fill("#materials input[name=title]", "Slides")
    staff.set_input_files("#materials input[name=file]",
                          files=[{"name": "slides.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    staff.locator("#materials [type=submit]").last.click()
    staff.wait_for_load_state()
    assert staff.locator("#materials a", has_text="Slides").count() == 1
    assert _fits(staff)
    _shot(staff, f"event-organiser-{tag}")
    db.session.expire_all()
    assert db.session.scalars(sa.select(Registration.attended).where(Registration.user_id == member.id,
                                                                    Registration.event_id == webinar.id)).one()
    # Issue 18: the organiser publishes the materials in the hub (the form comes filled in), landing on the item.
    staff.goto(f"{url}/events/{webinar.id}/publish")
    assert staff.locator("#material_ids input:checked").count() == 1 and _fits(staff)
    _shot(staff, f"event-publish-{tag}")
    staff.locator("form [type=submit]").last.click()
    staff.wait_for_load_state()
    assert staff.locator("#from-event a").count() == 1 and _fits(staff)

    reader = page_factory(width=width, locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(reader, url, member.email)
    reader.goto(f"{url}/events?when=past")
    reader.locator("a", has_text=TITLE[locale]).click()
    reader.wait_for_load_state()
    with reader.expect_download() as download:
        reader.locator("#materials a", has_text="Slides").click()
    assert download.value.suggested_filename == "slides.pdf"
    assert open(download.value.path(), "rb").read() == PDF_BYTES
    assert _fits(reader)
    _shot(reader, f"event-materials-{tag}")
    reader.locator("#hub-items a").click()  # later, the member finds the material in the hub
    reader.wait_for_load_state()
    assert reader.locator("#from-event a").count() == 1 and _fits(reader)
    _shot(reader, f"event-hub-item-{tag}")
    for each in (page, staff, reader):
        each.problems.assert_clean()
