"""Locale choice (user preference, then Accept-Language), text direction, and the translation catalogues.

Each feature keeps its own catalogue in <feature>/translations, so features are translated independently;
Flask-Babel merges them.
"""
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

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


# The network's named regions: the slugs expert profiles carry and a coordinator may require.
NETWORK_REGIONS = {
    "mena": _l("Middle East and North Africa"), "europe": _l("Europe"), "africa": _l("Sub-Saharan Africa"),
    "asia-pacific": _l("Asia and the Pacific"), "americas": _l("The Americas"), "central-asia": _l("Central Asia"),
}


def region_choices(kept=()) -> list[tuple[str, str]]:
    """The named regions by name, then any other slug in `kept` (stored before the list existed) as is."""
    named = sorted(((slug, str(label)) for slug, label in NETWORK_REGIONS.items()), key=lambda c: c[1])
    return named + [(slug, slug) for slug in kept if slug not in NETWORK_REGIONS]


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

    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
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
