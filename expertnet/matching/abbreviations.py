"""Domain abbreviations of the chemical-security field and the words they stand for.

A recognised abbreviation keeps its own token (so 'IED' still matches 'IED') and also emits its
expansion, so a request saying 'IED' meets a profile saying 'improvised explosive device'.
"""

EXPANSIONS = {
    "ied": "improvised explosive device",
    "hme": "homemade explosives",
    "tic": "toxic industrial chemicals",
    "tics": "toxic industrial chemicals",
    "cwc": "chemical weapons convention",
    "uas": "unmanned aircraft systems drones",
    "uav": "unmanned aerial vehicle drones",
    "ics": "industrial control systems",
    "ot": "operational technology",
    "scada": "industrial control systems",
    "bec": "business email compromise",
    "kyc": "know your customer",
    "sva": "security vulnerability assessment",
    "opcw": "organisation prohibition chemical weapons",
    "cbrn": "chemical biological radiological nuclear",
    "cbrne": "chemical biological radiological nuclear explosives",
    "hazmat": "hazardous materials",
    "ims": "ion mobility spectrometry",
    "ftir": "fourier transform infrared spectroscopy",
    "gcms": "gas chromatography mass spectrometry",
    "ppe": "personal protective equipment",
    "ppp": "public private partnership",
    "tatp": "triacetone triperoxide explosive",
    "anfo": "ammonium nitrate fuel oil explosive",
}


def expand(token: str) -> tuple[str, str | None]:
    """(canonical token, expansion or None) for a case-folded token; 'ieds' -> ('ied', ...)."""
    if token in EXPANSIONS:
        return token, EXPANSIONS[token]
    if len(token) > 2 and token.endswith("s") and token[:-1] in EXPANSIONS:
        return token[:-1], EXPANSIONS[token[:-1]]
    return token, None
