"""CAS Registry Numbers: the check digit and the one written form NNNNNNN-NN-N (no leading zeros).

The last digit is the sum of the other digits, each times its position counted from the right (1, 2, ...),
modulo 10 (Chemical Abstracts Service's published rule): 7732-18-5 -> (8*1 + 1*2 + 2*3 + 3*4 + 7*5 + 7*6) % 10 = 5.
"""
import re

_WRITTEN = re.compile(r"^\s*0*(\d{2,7})\s*[-\u2010-\u2015\u2212 ]\s*(\d{2})\s*[-\u2010-\u2015\u2212 ]\s*(\d)\s*$")
# A CAS number inside running text (Arabic-Indic digits are folded to ASCII first).
IN_TEXT = re.compile(r"(?<![\d-])(\d{2,7})-(\d{2})-(\d)(?![\d-])")
_ARABIC_DIGITS = str.maketrans({**{chr(0x0660 + d): str(d) for d in range(10)},
                                **{chr(0x06F0 + d): str(d) for d in range(10)}})


def check_digit(digits: str) -> int:
    """The check digit of the CAS number whose other digits are `digits` (e.g. '773218')."""
    return sum(int(d) * position for position, d in enumerate(reversed(digits), start=1)) % 10


def normalise_cas(text: str) -> str | None:
    """'0007732-18-5', '7732 18 5' or '٧٧٣٢-١٨-٥' -> '7732-18-5'; None when not a CAS number or its check digit is wrong."""
    match = _WRITTEN.match(str(text or "").translate(_ARABIC_DIGITS))
    if match is None:
        return None
    head, middle, check = match.groups()
    if check_digit(head + middle) != int(check):
        return None
    return f"{head}-{middle}-{check}"


def cas_numbers_in(text: str) -> list[str]:
    """The valid CAS numbers written in a text, in order, each once."""
    found: list[str] = []
    for match in IN_TEXT.finditer(str(text or "").translate(_ARABIC_DIGITS)):
        number = normalise_cas("-".join(match.groups()))
        if number and number not in found:
            found.append(number)
    return found
