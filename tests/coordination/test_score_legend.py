"""Issue 14, item 4: the suggestions page says how to read its scores and reasons, in English and Arabic, and its
reasons name the request's own signals (the ticked topic with the expert's level, the asked-for language)."""
import html as html_lib
import re
from datetime import date, timedelta

import pytest

from expertnet.accounts.models import Role
from expertnet.experts.matcher_bridge import score_legend
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_organisation, make_user
from tests.coordination.factories import make_assistance_request, make_expert

START = date.today() + timedelta(days=200)
TEXTS = {
    "en": ("How to read these scores", "Close in meaning", "the score is raised by", "Customs risk targeting (expert)",
           "Arabic"),
    "ar": ("كيف تُقرأ هذه الدرجات", "قريب في المعنى", "ترتفع الدرجة بنسبة", "(خبير)", "العربية"),
}


def arabic_request_and_speaker(organisation: str):
    """A request in Jordan asking for Arabic, its topic ticked, and an Arabic-speaking expert holding that topic."""
    member = make_user(Role.MEMBER, make_organisation(organisation, "JO"))
    assistance_request = make_assistance_request(member, S.MATCHING, start_date=START, end_date=START + timedelta(days=5),
                                                 languages=["ar"], topics=("customs-interdiction",))
    make_expert(headline="Customs targeting of precursor shipments at sea ports",
                expertise_statement="Risk profiling of precursor chemical shipments, HS codes 28 and 29, port targeting.",
                languages=[{"code": "ar", "proficiency": "native"}])
    return assistance_request


@pytest.fixture
def page_for(client, auth, app):
    assistance_request = arabic_request_and_speaker("Aqaba Port Customs")

    def page(locale):
        auth.login(make_user(Role.COORDINATOR, locale=locale))
        response = client.get(f"/coordination/requests/{assistance_request.id}/suggestions")
        assert response.status_code == 200
        return html_lib.unescape(response.get_data(as_text=True))
    return page


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_legend_and_the_signals_reasons_in_the_readers_language(page_for, locale):
    html = page_for(locale)
    legend = re.search(r'<details class="score-legend[^>]*>(.*?)</details>', html, re.S)
    assert legend, "no legend on the page"
    heading, meaning, raised, topic_reason, language = TEXTS[locale]
    assert heading in legend.group(1) and meaning in legend.group(1) and raised in legend.group(1)
    sizes = score_legend()
    for kind in ("topic", "language", "region"):  # the sizes quoted are the matcher's own
        assert f"{round(sizes[kind] * 100)}%" in legend.group(1)
    reasons = html[legend.end():]
    assert topic_reason in reasons and language in reasons
    if locale == "ar":
        english = TEXTS["en"]
        assert not any(text in html for text in english[:3])
        assert "Percentages" not in html and "Beside a topic" not in html


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_legend_opens_and_fits_a_phone_in_the_browser(live_server, page_factory, locale):
    import os

    from tests.conftest import ARTIFACTS, browser_sign_in
    assistance_request = arabic_request_and_speaker("Browser Legend Customs")
    coordinator = make_user(Role.COORDINATOR, locale=locale)
    page = page_factory(width=1280, height=900)
    browser_sign_in(page, live_server.url, coordinator.email)
    page.goto(f"{live_server.url}/coordination/requests/{assistance_request.id}/suggestions")
    legend = page.locator("details.score-legend")
    assert not legend.locator("dl").is_visible()  # folded until asked for
    legend.locator("summary").click()
    assert legend.locator("dl").is_visible() and TEXTS[locale][1] in legend.inner_text()
    os.makedirs(ARTIFACTS, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(ARTIFACTS, f"coordination-score-legend-{locale}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls sideways at {width}"
