"""Display language quality (issue 13, bugs 8, 10 and 13): names instead of codes on coordinators' pages, the
reader's list punctuation, Arabic wording, plural forms, durations, one date style in the user's time zone."""
import re
from datetime import datetime, timezone

import pytest
from flask_babel import force_locale

from expertnet.accounts import services as account_services
from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.i18n import format_days, format_hours, format_names, format_when
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_organisation, make_user
from tests.coordination.factories import make_assistance_request
from tests.requests.factories import make_draft

NAMES = {"en": ("Jordan", "Arabic and English"), "ar": ("الأردن", "العربية والإنجليزية")}


def text_of(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def filed(app):
    member = make_user(Role.MEMBER, make_organisation("Mexican Federal Commission for Chemical Risk Regulation", "MX"))
    return make_assistance_request(member, S.SUBMITTED, languages=["ar", "en"], country="JO")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_coordinator_queue_and_desk_name_countries_and_languages(client, auth, filed, locale):
    auth.login(make_user(Role.COORDINATOR, locale=locale))
    country, languages = NAMES[locale]
    queue = text_of(client.get("/coordination/queue"))
    assert f"<bdi>{country}</bdi>" in queue and ">JO<" not in queue
    desk = text_of(client.get(f"/coordination/requests/{filed.id}"))
    assert f"<dd>{country}</dd>" in desk and f"<dd>{languages}</dd>" in desk
    assert ">JO<" not in desk and "ar, en" not in desk and "العربية, " not in desk


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_request_page_lists_languages_the_readers_way(client, auth, filed, locale):
    auth.login(make_user(Role.COORDINATOR, locale=locale))
    page = text_of(client.get(f"/requests/{filed.id}"))
    country, languages = NAMES[locale]
    assert f"<dd>{languages}</dd>" in page and f"<dd>{country}</dd>" in page


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_dashboard_charts_countries_by_name_and_counts_requests_without_one_apart(client, auth, locale):
    member = make_user(Role.MEMBER, make_organisation("Dashboard agency", "JO"))
    for _ in range(2):
        make_assistance_request(member, S.SUBMITTED, country="JO")
    for _ in range(3):
        make_assistance_request(member, S.SUBMITTED, country=None)
    auth.login(make_user(Role.COORDINATOR, locale=locale))
    page = text_of(client.get("/coordination/dashboard"))
    labels = re.findall(r'<div class="bar-row">\s*<span>(.*?)</span>', page)
    assert NAMES[locale][0] in labels and "JO" not in labels and "—" not in labels
    note = re.search(r'<p class="muted small" id="without-country">(.*?)</p>', page).group(1)
    assert note.startswith({"en": "3 requests name no country", "ar": "3 طلبات لا تحدد بلدًا"}[locale])
    countries_over_time = page.split("</table>")[-2]
    assert f"<td>{NAMES[locale][0]}</td>" in countries_over_time and "<td>—</td>" not in countries_over_time


def test_the_coordinators_priority_field_reads_al_awlawiya_in_arabic(client, auth, filed):
    auth.login(make_user(Role.COORDINATOR, locale="ar"))
    page = text_of(client.get(f"/coordination/requests/{filed.id}"))
    assert re.search(r'<label for="priority">الأولوية</label>', page)
    assert "ذو أولوية</label>" not in page


@pytest.mark.parametrize("locale, items, expected", [
    ("en", ["Arabic"], "Arabic"), ("en", ["Arabic", "English", "French"], "Arabic, English, and French"),
    ("ar", ["العربية", "الإنجليزية"], "العربية والإنجليزية"),
    ("ar", ["العربية", "الإنجليزية", "الفرنسية"], "العربية والإنجليزية والفرنسية"),
])
def test_lists_are_joined_in_the_readers_language(app, locale, items, expected):
    with app.test_request_context(), force_locale(locale):
        assert format_names(items) == expected


def test_listed_user_text_is_escaped(app):
    with app.test_request_context(), force_locale("en"):
        assert str(format_names(["<b>x</b>", "y"])) == "&lt;b&gt;x&lt;/b&gt; and y"


@pytest.mark.parametrize("locale, count, caption", [
    ("en", 1, "draft not yet submitted"), ("en", 2, "drafts not yet submitted"),
    ("ar", 1, "مسودة لم تُقدَّم بعد"), ("ar", 2, "مسودتان لم تُقدَّما بعد"), ("ar", 3, "مسودات لم تُقدَّم بعد"),
    ("ar", 11, "مسودةً لم تُقدَّم بعد"),
])
def test_member_home_counts_drafts_with_the_right_plural_form(client, auth, locale, count, caption):
    member = make_user(Role.MEMBER, make_organisation("Plural agency", "JO"), locale=locale)
    for _ in range(count):
        make_draft(member)
    auth.login(member)
    page = text_of(client.get("/"))
    assert f'<span class="figure">{count}</span><span class="caption">{caption}</span>' in page


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_coordinator_home_says_one_report_to_review_in_the_singular(client, auth, locale):
    auth.login(make_user(Role.COORDINATOR, locale=locale))
    page = text_of(client.get("/"))
    assert {"en": "(0 reports to review)", "ar": "(لا تقارير بانتظار المراجعة)"}[locale] in page


@pytest.mark.parametrize("locale, days, text", [
    ("en", 1, "1 day"), ("en", 6.0, "6 days"), ("en", 1.5, "1.5 days"), ("en", 0, "0 days"),
    ("ar", 1, "يوم واحد"), ("ar", 2, "يومان"), ("ar", 6.0, "6 أيام"), ("ar", 11, "11 يومًا"), ("ar", 100, "100 يوم"),
    ("ar", 1.5, "1.5 يوم"),
])
def test_days_take_plural_forms_and_no_trailing_zero(app, locale, days, text):
    with app.test_request_context(), force_locale(locale):
        assert format_days(days) == text


def test_durations_in_hours_turn_into_days_from_two_days(app):
    with app.test_request_context(), force_locale("en"):
        assert (format_hours(1), format_hours(30), format_hours(144), format_hours(60)) == (
            "1 hour", "30 hours", "6 days", "2.5 days")


MOMENT = datetime(2026, 12, 6, 21, 5, tzinfo=timezone.utc)


def test_times_are_shown_in_the_users_zone_with_the_zone_named(client, auth):
    user = make_user(Role.COORDINATOR, locale="en")
    auth.login(user)
    response = client.post("/settings", data={"settings-full_name": user.full_name, "settings-locale": "en",
                                              "settings-time_zone": "Asia/Amman", "settings-submit": "Save"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.time_zone == "Asia/Amman"
    user.created_at = MOMENT
    db.session.commit()
    page = text_of(client.get("/settings"))
    assert "Dec 7, 2026, 12:05\u202fAM (Amman)" in page or "Dec 7, 2026, 12:05 AM (Amman)" in page
    assert '<option selected value="Asia/Amman">' in page


def test_without_a_chosen_zone_times_are_in_the_networks_default_zone(app):
    with app.test_request_context(), force_locale("en"):
        assert format_when(MOMENT).endswith("9:05\u202fPM (UTC)") or format_when(MOMENT).endswith("9:05 PM (UTC)")
    with app.test_request_context(), force_locale("ar"):
        assert format_when(MOMENT).startswith("06\u200f/12\u200f/2026")


@pytest.mark.parametrize("locale, message", [("en", "Choose a time zone from the list."),
                                             ("ar", "اختر منطقة زمنية من القائمة.")])
def test_an_unknown_time_zone_is_refused_with_a_message(client, auth, locale, message):
    user = make_user(Role.MEMBER, make_organisation("Zone agency", "JO"), locale=locale)
    auth.login(user)
    response = client.post("/settings", data={"settings-full_name": user.full_name, "settings-locale": locale,
                                              "settings-time_zone": "Mars/Olympus_Mons", "settings-submit": "Save"})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.time_zone is None


def test_the_service_refuses_an_unknown_time_zone_too(app):
    user = make_user(Role.MEMBER, make_organisation("Zone agency", "JO"))
    with pytest.raises(account_services.AccountError) as refused:
        account_services.update_settings(user, "Name", None, "Europe/Atlantis")
    assert refused.value.code == "unknown_time_zone"
