"""Multi-selects as pickers (issue 13): the request form's topics and languages and the expert's countries and
regions are checkbox lists a keyboard drives (a filter box, Enter, Space, Escape), in English and in Arabic;
everything chosen is saved and shown. Without JavaScript they are plain checkboxes (the test client's view)."""
import os

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest
from expertnet.taxonomy.models import Topic
from tests.conftest import ARTIFACTS, browser_sign_in, make_organisation, make_user
from tests.coordination.factories import make_expert
from tests.requests.factories import ensure_topics

LANGUAGE_NAMES = {"en": ("Arabic", "English"), "ar": ("العربية", "الإنجليزية")}


def _t(locale: str, text: str) -> str:
    with force_locale(locale):
        return gettext(text)


def _topic_label(slug: str, locale: str) -> str:
    return db.session.scalar(sa.select(Topic).where(Topic.slug == slug)).label(locale)


def _shot(page, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"pickers-{name}.png"), full_page=True)


def _pick_by_typing(page, picker: str, text: str) -> None:
    """Type into the picker's filter box and press Enter: the first match is chosen, the form not sent."""
    search = page.locator(f"{picker} .picker-search")
    search.focus()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # clears the filter
    assert search.input_value() == ""


def test_plain_checkboxes_without_javascript(app, client, auth):
    ensure_topics()
    auth.login(make_user(Role.MEMBER, make_organisation("Aqaba Customs", "JO")))
    html = client.get("/requests/new", follow_redirects=True).get_data(as_text=True)  # to its one-time address
    assert '<select multiple' not in html and 'name="topics" multiple' not in html
    assert '<fieldset class="field picker' in html and "<legend>Topics</legend>" in html
    assert 'type="checkbox" name="topics" value="customs-interdiction"' in html
    assert 'type="checkbox" name="languages" value="ar"' in html and "Ctrl" not in html


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_topics_and_languages_chosen_with_the_keyboard(app, live_server, page_factory, locale):
    ensure_topics()
    member = make_user(Role.MEMBER, make_organisation("Aqaba Customs", "JO"), locale=locale)
    page = page_factory(locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/requests/new")
    page.fill("input[name=title]", "Targeting precursor shipments")

    # 1: filter and Enter; 2: filter, arrow down, Space; 3: Escape twice, Tab to the first topic, Enter.
    _pick_by_typing(page, "#topics", _topic_label("customs-interdiction", locale))
    search = page.locator("#topics .picker-search")
    search.focus()
    page.keyboard.type(_topic_label("explosives-precursor-controls", locale))
    assert page.locator("#topics .picker-options li:not([hidden])").count() == 1
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.keyboard.press("Escape")  # from the list back to the filter box
    page.keyboard.press("Escape")  # clears it: the whole list again
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    first = page.locator("#topics input[type=checkbox]").first.get_attribute("value")
    chosen = {"customs-interdiction", "explosives-precursor-controls", first}
    assert len(chosen) == 3
    for name in LANGUAGE_NAMES[locale]:
        _pick_by_typing(page, "#languages", name)

    # Every choice is shown as a chip, in Arabic too.
    chips = page.locator("#topics .picker-chip")
    assert chips.count() == 3
    assert _topic_label("customs-interdiction", locale) in page.locator("#topics .picker-chosen").inner_text()
    assert page.locator("#languages .picker-chip").count() == 2
    _shot(page, f"request-form-{locale}")
    page.click("input[name=save]")
    page.wait_for_load_state()

    assistance_request = db.session.scalar(sa.select(AssistanceRequest))
    db.session.refresh(assistance_request)
    assert {t.slug for t in assistance_request.topics} == chosen
    assert set(assistance_request.languages) == {"ar", "en"}
    body = page.locator("main").inner_text()
    for slug in chosen:
        assert _topic_label(slug, locale) in body, slug
    # Editing shows all of them chosen again.
    page.goto(f"{live_server.url}/requests/{assistance_request.id}/edit")
    assert page.locator("#topics .picker-chip").count() == 3
    page.problems.assert_clean()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_expert_chooses_countries_and_regions(app, live_server, page_factory, locale):
    profile = make_expert(locale=locale, countries=["JO"], regions=[])
    page = page_factory(width=390, height=844, locale="ar" if locale == "ar" else "en-GB")
    browser_sign_in(page, live_server.url, profile.user.email)
    page.goto(f"{live_server.url}/profile")
    with force_locale(locale):
        from babel import Locale
        names = Locale.parse(locale).territories
    assert page.locator("#countries .picker-chip").count() == 1  # Jordan, by name
    assert names["JO"] in page.locator("#countries .picker-chosen").inner_text()
    _pick_by_typing(page, "#countries", names["EG"])
    _pick_by_typing(page, "#regions", _t(locale, "Middle East and North Africa"))
    _pick_by_typing(page, "#conflict_countries", names["IL"])
    # A chip removes its choice.
    page.locator("#countries .picker-chip", has_text=names["JO"]).click()
    assert page.locator("#countries .picker-chip").count() == 1
    _shot(page, f"profile-{locale}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("form [type=submit][name=submit]").click()
    page.wait_for_load_state()
    db.session.refresh(profile)
    assert profile.countries == ["EG"] and profile.regions == ["mena"] and profile.conflict_countries == ["IL"]
    page.problems.assert_clean()
