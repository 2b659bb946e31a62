"""A regional coordinator's journey in headless Chromium, in Arabic, at desktop and phone width (issue 18, "done
when"): the MENA coordinator opens the triage queue (their region's requests only), triages one, opens the group
space from the list of groups (its requests, open gaps, members and hub shelf), starts a discussion in the group's
own discussion space and finds it on the group page, and removes a member after the confirmation. No JS error, no external request, no sideways scroll."""
import os

import pytest
from flask_babel import force_locale, gettext

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from expertnet.sensitivity import Tlp
from tests.conftest import ARTIFACTS, browser_sign_in, make_organisation, make_user
from tests.coordination.factories import make_assistance_request
from tests.groups.factories import make_group, regional_coordinator
from tests.hub.factories import make_item


def _t(text: str) -> str:
    with force_locale("ar"):
        return gettext(text)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _look(page, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"groups-{name}.png"), full_page=True)
    assert _fits(page), f"{name} scrolls sideways"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_mena_coordinator_works_the_region_in_arabic(live_server, page_factory, width):
    aqaba = make_organisation("جمارك العقبة", "JO")
    mombasa = make_organisation("Kenya Chemical Crimes Unit", "KE")
    colleague = make_user(Role.EXPERT, full_name="خبير الموانئ")
    mena = make_group("mena", organisations=[aqaba], people=[colleague], name="الشرق الأوسط وشمال أفريقيا",
                      description="الشبكة الإقليمية للشرق الأوسط وشمال أفريقيا")
    make_group("sub-saharan-africa", organisations=[mombasa], name="Sub-Saharan Africa")
    coordinator = regional_coordinator(mena, locale="ar", full_name="ليلى المصري")
    ours = make_assistance_request(make_user(Role.MEMBER, aqaba), S.SUBMITTED, coordinator,
                                   title="مؤشرات مخاطر شحنات السلائف في ميناء العقبة")
    theirs = make_assistance_request(make_user(Role.MEMBER, mombasa), S.SUBMITTED, coordinator,
                                     title="Chemical crimes in Mombasa")
    make_item(tlp=Tlp.AMBER, title="قائمة تفتيش إقليمية لشحنات نترات الأمونيوم", language="ar",
              summary="قائمة تفتيش مشتركة لأعضاء الشبكة الإقليمية فقط، لشحنات نترات الأمونيوم.",
              audience_groups=[mena.id])
    db.session.commit()

    page = page_factory(width=width, height=900, locale="ar")
    page.on("dialog", lambda dialog: dialog.accept())
    browser_sign_in(page, live_server.url, coordinator.email)
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.goto(f"{live_server.url}/coordination/queue")
    queue = page.content()
    assert ours.reference in queue and theirs.reference not in queue
    _look(page, f"queue-{width}")
    page.click(f"a[href='/coordination/requests/{ours.id}']")
    page.click("button[name=to_status][value=triage]")
    page.wait_for_load_state()
    db.session.refresh(ours)
    assert ours.status == S.TRIAGE
    _look(page, f"desk-{width}")

    assert page.request.get(f"{live_server.url}/coordination/requests/{theirs.id}").status == 404  # same session

    page.goto(f"{live_server.url}/groups/")
    assert "Sub-Saharan Africa" not in page.content()
    page.click("a[href='/groups/mena']")
    page.wait_for_load_state()
    space = page.content()
    for heading in ("The group's requests", "Open gaps", "The group's hub shelf", "Members"):
        assert _t(heading) in space, heading
    assert ours.title in space and "قائمة تفتيش إقليمية لشحنات نترات الأمونيوم" in space
    assert theirs.title not in space
    _look(page, f"space-{width}")

    page.click("a[href='/hub/discussions/group/mena#new-thread']")
    page.fill("#title", "جدول زيارات التفتيش المشتركة للموانئ")
    page.fill("#body", "أقترح أن نتفق على جدول زيارات مشتركة قبل ورشة الربيع. ما المواعيد المناسبة لكم؟")
    page.locator("form[action$='#new-thread'] [type=submit]").click()
    page.wait_for_load_state()
    assert "جدول زيارات التفتيش المشتركة للموانئ" in page.locator("h1").inner_text()
    _look(page, f"group-discussion-{width}")
    page.goto(f"{live_server.url}/groups/mena")
    assert "جدول زيارات التفتيش المشتركة للموانئ" in page.locator(".group-discussions").inner_text()

    page.locator("form[action$='/people/%d/remove'] button" % colleague.id).click()
    page.wait_for_load_state()
    assert _t("%(name)s is no longer in the group.") % {"name": "خبير الموانئ"} in page.content()
    _look(page, f"space-after-removal-{width}")
    page.problems.assert_clean()
