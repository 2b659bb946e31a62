"""The member's journey in headless Chromium, in English and in Arabic: file a draft, submit, answer a
request for information, read the timeline. Screenshots are saved on failure by the `page` fixture."""
import pytest
from flask_babel import force_locale, gettext

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.requests import services
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.conftest import browser_sign_in, make_organisation, make_user
from tests.requests.factories import ensure_topics

TEXT = {
    "en": {"title": "Targeting precursor shipments at the port",
           "summary": "Customs needs risk indicators for precursor chemicals arriving by sea.",
           "gap": "Our risk engine has no indicators for HS chapters 28 and 29; three shipments passed unchecked.",
           "answer": "Twenty officers from two terminals would attend."},
    "ar": {"title": "تعزيز استهداف شحنات سلائف المتفجرات في الميناء",
           "summary": "تطلب الجمارك دعماً لتطوير مؤشرات المخاطر الخاصة بشحنات السلائف الكيميائية الواردة.",
           "gap": "لا يملك قسم إدارة المخاطر حالياً مؤشرات استهداف مخصصة للمواد المصنفة في الفصلين 28 و29.",
           "answer": "سيشارك عشرون موظفاً من محطتين."},
}
PHONE_WIDTH = 390


def _t(locale: str, text: str) -> str:
    with force_locale(locale):
        return gettext(text)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_member_journey_in_the_browser(app, live_server, page_factory, locale):
    ensure_topics()
    agency = make_organisation("Aqaba Customs", "JO")
    member = make_user(Role.MEMBER, agency, locale=locale, full_name="Lina Khoury")
    coordinator = make_user(Role.COORDINATOR, full_name="Helena Marsh")
    text = TEXT[locale]
    page = page_factory(locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(page, live_server.url, member.email)
    assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")

    # File a draft from the navigation.
    page.locator(".main-nav").get_by_text(_t(locale, "Our requests")).click()
    page.get_by_role("link", name=_t(locale, "New request")).first.click()
    page.fill("input[name=title]", text["title"])
    page.fill("textarea[name=summary]", text["summary"])
    page.fill("textarea[name=gap_statement]", text["gap"])
    for topic in ("customs-interdiction", "explosives-precursor-controls"):
        page.check(f"input[name=topics][value={topic}]")
    for language in ("ar", "en"):
        page.check(f"input[name=languages][value={language}]")
    page.select_option("select[name=country]", "JO")
    page.check("input[name=authorised_declaration]")
    page.click("input[name=save]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == text["title"]
    assert page.locator("#request-status").inner_text() == _t(locale, "Draft")

    # Submit it from its page.
    page.click("form[action$='/submit'] button")
    page.wait_for_load_state()
    assert page.locator("#request-status").inner_text() == _t(locale, "Submitted")
    assistance_request = db.session.query(AssistanceRequest).one()
    assert assistance_request.reference.startswith("TA-")

    # The coordinators ask a question (through the service: their pages are another feature's).
    services.change_status(coordinator, assistance_request, S.TRIAGE)
    services.change_status(coordinator, assistance_request, S.INFO_REQUESTED, "How many officers would attend?")
    db.session.commit()
    page.reload()
    assert page.locator("#info-request").is_visible()
    page.fill("textarea[name=answer]", text["answer"])
    page.locator("#info-request button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#request-status").inner_text() == _t(locale, "In triage")

    # Read the timeline: every step, with who and why.
    timeline = page.locator("#timeline").inner_text()
    for status in ("Submitted", "In triage", "Information requested"):
        assert _t(locale, status) in timeline
    assert "How many officers would attend?" in timeline and text["answer"] in timeline
    assert "Helena Marsh" in timeline
    assert text["answer"] in page.locator("#conversation").inner_text()
    page.screenshot(path=f"/tmp/request-detail-{locale}.png", full_page=True)

    # The list shows it; nothing overflows on a phone.
    page.goto(f"{live_server.url}/requests/")
    assert text["title"] in page.locator("table").inner_text()
    for path in ("/requests/", f"/requests/{assistance_request.id}", "/requests/new"):
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    page.screenshot(path=f"/tmp/request-phone-{locale}.png", full_page=True)
    page.problems.assert_clean()


def test_member_discusses_and_rates_in_arabic(app, live_server, page_factory):
    from tests.requests.factories import make_request

    ensure_topics()
    member = make_user(Role.MEMBER, make_organisation("Aqaba Customs", "JO"), locale="ar", full_name="سامر العبادي")
    assistance_request = make_request(member, S.EVALUATION)
    page = page_factory(width=PHONE_WIDTH, locale="ar")
    browser_sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/requests/{assistance_request.id}")
    page.fill("textarea[name=body]", "شكراً للخبراء على الزيارة.")
    page.locator("#conversation button[type=submit]").click()
    page.wait_for_load_state()
    assert "شكراً للخبراء على الزيارة." in page.locator("#conversation").inner_text()
    page.select_option("select[name=usefulness]", "5")
    page.select_option("select[name=timeliness]", "3")
    page.select_option("select[name=expertise]", "4")
    page.fill("textarea[name=comment]", "مفيد جداً")
    page.click("input[name=send]")
    page.wait_for_load_state()
    feedback = page.locator("#feedback").inner_text()
    assert "3 / 5" in feedback and "مفيد جداً" in feedback
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path="/tmp/request-feedback-ar.png", full_page=True)
    page.problems.assert_clean()
