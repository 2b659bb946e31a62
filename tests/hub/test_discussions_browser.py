"""A discussion in headless Chromium, in English and Arabic, at 1280 and 390 px (issue 17): a member starts a
thread on a topic and replies in it; a coordinator reports the opening post, then hides it from the moderation
queue after confirming. No JavaScript error, no request leaving 127.0.0.1, no page scrolling sideways."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.hub.discussions.models import Post, PostStatus
from tests.conftest import browser_sign_in, make_organisation, make_user
from tests.hub.discussion_factories import TOPIC
from tests.requests.factories import ensure_topics

TITLE = {"en": "Questions at the counter for peroxide buyers", "ar": "أسئلة البائع لمشتري بيروكسيد الهيدروجين"}
BODY = {"en": "Which questions do your retailers ask a buyer of hydrogen peroxide above 12%?",
        "ar": "ما الأسئلة التي يطرحها البائعون على مشتري بيروكسيد الهيدروجين بتركيز يزيد على 12%؟"}


def _t(locale: str, text: str) -> str:
    with force_locale(locale):
        return gettext(text)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _signed_in(page_factory, live_server, user, locale, width):
    page = page_factory(width=width, height=900, locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(page, live_server.url, user.email)
    return page


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_start_reply_report_and_hide(app, live_server, page_factory, locale, width):
    ensure_topics()
    member = make_user(Role.MEMBER, make_organisation("Aqaba Customs", "JO"), full_name="Lina Khoury", locale=locale)
    coordinator = make_user(Role.COORDINATOR, full_name="Helena Marsh", locale=locale)
    page = _signed_in(page_factory, live_server, member, locale, width)
    page.goto(f"{live_server.url}/hub/discussions/topic/{TOPIC}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    assert _t(locale, "No discussion here yet") in page.content()
    page.fill("input[name=title]", TITLE[locale])
    page.select_option("select[name=language]", locale)
    page.fill("textarea[name=body]", BODY[locale])
    page.get_by_role("button", name=_t(locale, "Start the discussion")).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == TITLE[locale]
    assert _fits(page)
    page.fill("textarea[name=body]", "@Helena.Marsh " + BODY[locale])
    page.get_by_role("button", name=_t(locale, "Send the reply")).click()
    page.wait_for_load_state()
    assert page.locator("article.discussion-post").count() == 2
    page.screenshot(path=f"/tmp/discussion-thread-{locale}-{width}.png", full_page=True)
    page.problems.assert_clean()

    moderator = _signed_in(page_factory, live_server, coordinator, locale, width)
    moderator.goto(f"{live_server.url}/hub/discussions/")
    moderator.get_by_role("link", name=TITLE[locale]).click()
    moderator.wait_for_load_state()
    first = moderator.locator("article.discussion-post").first
    first.locator("details.report-post summary").click()
    first.locator("details.report-post input[name=reason]").fill("Too precise about one shop")
    first.get_by_role("button", name=_t(locale, "Send the report")).click()
    moderator.wait_for_load_state()
    assert _t(locale, "Thank you: the moderators will look at this post.") in moderator.content()
    moderator.goto(f"{live_server.url}/hub/discussions/moderation")
    assert "Too precise about one shop" in moderator.content()
    assert _fits(moderator)
    moderator.fill("form.moderation input[name=reason]", "Names a shop")
    moderator.once("dialog", lambda dialog: dialog.accept())
    moderator.get_by_role("button", name=_t(locale, "Hide"), exact=True).click()
    moderator.wait_for_load_state()
    assert _t(locale, "The post is hidden.") in moderator.content()
    assert _fits(moderator)
    moderator.screenshot(path=f"/tmp/discussion-queue-{locale}-{width}.png", full_page=True)
    moderator.problems.assert_clean()
    db.session.expire_all()
    opening = db.session.scalars(sa.select(Post).order_by(Post.id)).first()
    assert opening.status == PostStatus.HIDDEN and opening.hidden_reason == "Names a shop"
