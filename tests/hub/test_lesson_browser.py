"""An agency member approves a lesson in Arabic on a 390 px screen (issue 17, "Lessons from engagements"): the
request page offers the pending approval, the review form fits, the label is chosen and the lesson is approved."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.hub.models import HubItem, ItemStatus
from expertnet.hub.services import move_item
from expertnet.sensitivity import Tlp
from tests.conftest import browser_sign_in
from tests.hub.test_browser import _fits, _page, _t
from tests.hub.test_lessons import closed  # noqa: F401 - the fixture
from expertnet.hub import lessons


def test_the_agency_approves_a_lesson_in_arabic_at_390(closed, live_server, page_factory):  # noqa: F811
    engagement, coordinator, member = closed
    member.locale = "ar"
    lesson, _removed = lessons.draft_lesson(coordinator, engagement, "ar")
    move_item(coordinator, lesson, ItemStatus.AWAITING_AGENCY)
    db.session.commit()
    page = _page(page_factory, "ar", 390)
    browser_sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/requests/{engagement.request_id}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name=_t("ar", "Review and approve")).first.click()
    page.wait_for_load_state()
    assert _fits(page)
    page.select_option("select[name=tlp]", Tlp.GREEN.value)
    page.screenshot(path="/tmp/hub-lesson-approve-ar-390.png", full_page=True)
    page.get_by_role("button", name=_t("ar", "Approve the lesson")).click()
    page.wait_for_load_state()
    assert _fits(page)
    db.session.expire_all()
    approved = db.session.scalar(sa.select(HubItem).where(HubItem.id == lesson.id))
    assert approved.status == ItemStatus.APPROVED and approved.tlp == Tlp.GREEN
