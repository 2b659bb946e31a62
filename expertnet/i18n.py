"""Locale choice (user preference, then Accept-Language), text direction, and the translation catalogues.

Each feature keeps its own catalogue in <feature>/translations, so features are translated independently;
Flask-Babel merges them.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path

import pytz
from babel import Locale, dates, lists
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, has_request_context, request, session
from flask_babel import (
    format_decimal, get_locale, get_timezone, lazy_gettext as _l, ngettext, refresh, to_user_timezone)
from flask_login import current_user
from markupsafe import Markup, escape

PACKAGE_ROOT = Path(__file__).parent
LANGUAGE_NAMES = {"en": "English", "ar": "العربية"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and mail rendered outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


# CLDR also names codes ISO 3166-1 does not assign to a country: its exceptional reservations (unions,
# organisations, islands with codes of their own) and the user-assigned ranges (AA, QM-QZ, XA-XZ, ZZ) that
# CLDR uses for test locales, Kosovo and "Outlying Oceania". What is left are the 249 assigned codes.
NOT_ISO_3166_1 = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "TA", "UN"})


def _user_assigned(code: str) -> bool:
    return code in ("AA", "ZZ") or code[0] == "X" or (code[0] == "Q" and code[1] >= "M")


def _is_country(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and not _user_assigned(code) and code not in NOT_ISO_3166_1


# Every code a reader may choose, in either language (CLDR's lists differ by a code between languages).
COUNTRY_CODES = frozenset(code for locale in LANGUAGE_NAMES for code in Locale.parse(locale).territories
                          if _is_country(code))


def country_choices(locale: str) -> list[tuple[str, str]]:
    """ISO 3166 alpha-2 codes with their names in the reader's language, sorted by name."""
    names = Locale.parse(locale).territories
    codes = sorted((code for code in names if _is_country(code)), key=lambda code: names[code])
    return [(code, names[code]) for code in codes]


def language_choices(codes, locale: str) -> list[tuple[str, str]]:
    """ISO 639-1 codes with their names in the reader's language, in the order given."""
    names = Locale.parse(locale).languages
    return [(code, names.get(code, code)) for code in codes]


# While a message for someone else is rendered (`in_time_zone_of`), their zone, not the signed-in user's.
_recipient_zone: ContextVar[str | None] = ContextVar("recipient_zone", default=None)


@contextmanager
def in_time_zone_of(zone: str | None):
    """Render for another person: times in their zone (the installation's when they chose none)."""
    token = _recipient_zone.set(zone if zone in TIME_ZONES else current_app.config["BABEL_DEFAULT_TIMEZONE"])
    refresh()  # Flask-Babel caches the zone per request; the forced locale survives this
    try:
        yield
    finally:
        _recipient_zone.reset(token)
        refresh()


def select_timezone() -> str:
    """The signed-in user's IANA zone, else the installation's (`BABEL_DEFAULT_TIMEZONE`)."""
    if (recipient := _recipient_zone.get()) is not None:
        return recipient
    if has_request_context() and current_user and current_user.is_authenticated:
        zone = getattr(current_user, "time_zone", None)
        if zone in TIME_ZONES:
            return zone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


# -- Names of codes, in the reader's language: one helper per kind, used by every template as a filter. --

# The network's regions (the slugs expert profiles and the matcher use); other slugs show as written.
REGION_NAMES = {
    "africa": _l("Africa"), "americas": _l("Americas"), "asia-pacific": _l("Asia-Pacific"),
    "central-asia": _l("Central Asia"), "europe": _l("Europe"), "mena": _l("Middle East and North Africa"),
    "middle-east": _l("Middle East"), "north-africa": _l("North Africa"),
}


def region_choices(kept=()) -> list[tuple[str, str]]:
    """The network's regions by name, then any other slug in `kept` (stored before the list existed) as is."""
    named = sorted(((slug, str(label)) for slug, label in REGION_NAMES.items()), key=lambda c: c[1])
    return named + [(slug, slug) for slug in kept if slug not in REGION_NAMES]


def _reader_locale(locale: str | None = None) -> Locale:
    return Locale.parse(locale or str(get_locale()))


def country_name(code: str | None, locale: str | None = None) -> str:
    """'JO' -> 'Jordan' / 'الأردن' (in `locale`, else the reader's); an unknown code shows as given."""
    code = (code or "").upper()
    return _reader_locale(locale).territories.get(code, code) if _is_country(code) else code


def language_name(code: str | None) -> str:
    """'ar' -> 'Arabic' / 'العربية'."""
    return _reader_locale().languages.get(code or "", code or "")


def region_name(slug: str | None) -> str:
    slug = (slug or "").lower()
    return str(REGION_NAMES[slug]) if slug in REGION_NAMES else slug.replace("-", " ")


def place_name(code: str | None) -> str:
    """A country code or a region slug (the matcher's region reasons hold either), named."""
    return country_name(code) if _is_country((code or "").upper()) else region_name(code)


def format_names(items, style: str = "standard") -> Markup:
    """A list joined the reader's way ("Arabic and English", "العربية والإنجليزية"); each item escaped
    unless it is markup already (an isolated name), so user text can be listed safely."""
    parts = [str(escape(item)) for item in items if item is not None and str(item) != ""]
    return Markup(lists.format_list(parts, style=style, locale=_reader_locale())) if parts else Markup("")


def labels(items) -> list[str]:
    """Things that name themselves in a language (topics: `label(locale)`), in the reader's."""
    locale = str(get_locale())
    return [item.label(locale) for item in items]


def bdi(value) -> Markup:
    """Isolate user text or a code inside a sentence of the other direction (names, references)."""
    return Markup("<bdi>%s</bdi>") % value if value not in (None, "") else Markup("")


# -- One date and time style app-wide, in the reader's time zone, with the zone shown. --

TIME_ZONES = frozenset(pytz.common_timezones)


def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(TIME_ZONES)]


def zone_label() -> str:
    """The reader's zone as a place name ("Amman", "عمّان", "UTC")."""
    return dates.get_timezone_location(get_timezone(), locale=_reader_locale(), return_city=True)


def format_when(moment: datetime | None, _style: str | None = None) -> str:
    """A moment as medium date + short time in the reader's zone, with the zone: "Dec 7, 2026, 12:05 AM
    (Amman)". Every template prints moments this way, whatever style it once asked for."""
    if moment is None:
        return ""
    locale, local = _reader_locale(), to_user_timezone(moment)
    pattern = str(locale.datetime_formats["medium"])
    text = pattern.replace("{1}", dates.format_date(local, "medium", locale=locale)).replace(
        "{0}", dates.format_time(local, "short", locale=locale))
    return f"{text} ({zone_label()})"


def format_day(day: date | datetime | str | None, _style: str | None = None) -> str:
    """A calendar day (a datetime is first moved into the reader's zone; a schema's ISO string is read)."""
    if not day:
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    if isinstance(day, datetime):
        day = to_user_timezone(day).date()
    return dates.format_date(day, "medium", locale=_reader_locale())


def _plural_count(value: float) -> int:
    """The count that picks a number's plural form. CLDR gives a fraction (1.5 days) the "other" form in
    English and Arabic alike; 100 selects exactly that form in both languages' plural rules."""
    return int(value) if value.is_integer() else 100


def format_days(days) -> str:
    """A number of days, at most one decimal, no ".0": "1 day", "6 days", "1.5 days", "٦ أيام"."""
    value = round(float(days), 1)
    return ngettext("%(number)s day", "%(number)s days", _plural_count(value), number=format_decimal(value))


def format_hours(hours) -> str:
    """A duration given in hours: whole hours under two days, days (one decimal) from then on."""
    if float(hours) >= 48:
        return format_days(float(hours) / 24)
    count = int(round(float(hours)))
    return ngettext("%(number)s hour", "%(number)s hours", count, number=format_decimal(count))


TEMPLATE_FILTERS = {"country_name": country_name, "language_name": language_name, "region_name": region_name,
                    "place_name": place_name, "names": format_names, "bdi": bdi, "labels": labels,
                    "days": format_days, "hours": format_hours}
TEMPLATE_GLOBALS = {"format_datetime": format_when, "format_date": format_day, "zone_label": zone_label,
                    "country_name": country_name}


def text_direction(locale: str) -> str:
    return "rtl" if str(locale).split("_")[0] in current_app.config["RTL_LANGUAGES"] else "ltr"


def translation_directories() -> list[str]:
    return sorted(str(path) for path in PACKAGE_ROOT.rglob("translations") if path.is_dir())


def catalogue_files(locale: str = "ar") -> list[Path]:
    return sorted(PACKAGE_ROOT.rglob(f"translations/{locale}/LC_MESSAGES/messages.po"))


def compile_catalogues() -> int:
    """Compile every feature's .po into .mo (part of the build); returns how many were written."""
    count = 0
    for po_path in catalogue_files("ar"):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale="ar")
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        count += 1
    return count


EXTRACTION_METHODS = [("**/matching/**", "ignore"), ("**.py", "python"), ("**/templates/**.html", "jinja2"),
                      ("**/templates/**.txt", "jinja2")]
EXTRACTION_OPTIONS = {"**/templates/**": {"extensions": "jinja2.ext.do"}}


def source_messages() -> dict[str, str]:
    """Every translatable string in the package: msgid -> first place it occurs."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE_ROOT), EXTRACTION_METHODS, EXTRACTION_OPTIONS, keywords):
        for msgid in (message if isinstance(message, tuple) else (message,)):
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def translated_messages(locale: str = "ar") -> set[str]:
    translated = set()
    for po_path in catalogue_files(locale):
        with po_path.open("rb") as po_file:
            for entry in read_po(po_file, locale=locale):
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                if entry.id and all(strings):
                    translated.update(entry.id if isinstance(entry.id, tuple) else (entry.id,))
    return translated


def missing_translations(locale: str = "ar") -> dict[str, str]:
    done = translated_messages(locale)
    return {msgid: where for msgid, where in source_messages().items() if msgid not in done}
