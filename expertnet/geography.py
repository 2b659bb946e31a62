"""Which of the network's regions a country lies in (the region slugs of i18n.REGION_NAMES).

The matcher prefers experts who cover a request's country or one of its regions (issue 14, item 3); an
expert's profile names either, so a request in Jordan asks for "JO", "middle-east" and "mena". Regions
overlap on purpose ("mena" holds the Middle East and North Africa, "africa" the whole continent).
"""
from __future__ import annotations

_MIDDLE_EAST = "AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE"
_NORTH_AFRICA = "DZ EG EH LY MA MR SD TN"
_AFRICA = (_NORTH_AFRICA + " AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MU MW MZ"
           " NA NE NG RE RW SC SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW")
_AMERICAS = ("AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GT GY HN HT JM KN KY LC"
             " MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI")
_EUROPE = ("AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD"
           " ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA")
_CENTRAL_ASIA = "AF KG KZ TJ TM UZ"
_ASIA_PACIFIC = ("AS AU BD BN BT CC CK CN CX FJ FM GU HK ID IN IO JP KH KI KP KR LA LK MH MM MN MO MP MV MY NC NF NP"
                 " NR NU NZ PF PG PH PK PN PW SB SG TH TK TL TO TV TW VN VU WF WS")

REGION_COUNTRIES: dict[str, frozenset[str]] = {
    "middle-east": frozenset(_MIDDLE_EAST.split()),
    "north-africa": frozenset(_NORTH_AFRICA.split()),
    "mena": frozenset((_MIDDLE_EAST + " " + _NORTH_AFRICA).split()),
    "africa": frozenset(_AFRICA.split()),
    "americas": frozenset(_AMERICAS.split()),
    "europe": frozenset(_EUROPE.split()),
    "central-asia": frozenset(_CENTRAL_ASIA.split()),
    "asia-pacific": frozenset(_ASIA_PACIFIC.split()),
}


def regions_of(country: str | None) -> frozenset[str]:
    """The region slugs a country (ISO 3166 alpha-2, any case) lies in; none for an unknown code."""
    code = (country or "").strip().upper()
    return frozenset(slug for slug, members in REGION_COUNTRIES.items() if code in members)
