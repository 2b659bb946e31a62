"""CAS Registry Numbers: the check digit, the one written form, and numbers found in running text."""
import pytest

from expertnet.chemicals.cas import cas_numbers_in, check_digit, normalise_cas
from expertnet.chemicals.files import bundled_substances


@pytest.mark.parametrize("written, normal", [
    ("7732-18-5", "7732-18-5"), ("6484-52-2", "6484-52-2"), ("50782-69-9", "50782-69-9"), ("0000107-44-8", "107-44-8"),
    (" 107 44 8 ", "107-44-8"), ("107–44–8", "107-44-8"), ("٦٤٨٤-٥٢-٢", "6484-52-2"), ("۷۷۳۲-۱۸-۵", "7732-18-5")])
def test_valid_numbers_are_normalised(written, normal):
    assert normalise_cas(written) == normal


@pytest.mark.parametrize("written", ["107-44-9", "6484-52-3", "6484522", "64-8452-2", "1-23-4", "12345678-12-3",
                                     "abc-de-f", "", "6484-52-2x"])
def test_invalid_numbers_are_refused(written):
    assert normalise_cas(written) is None


def test_the_check_digit_is_the_positional_sum_modulo_ten():
    assert check_digit("773218") == 5  # 8*1 + 1*2 + 2*3 + 3*4 + 7*5 + 7*6 = 105


def test_numbers_in_text_are_found_once_each_and_wrong_ones_ignored():
    text = "طلب بخصوص المادة ٦٤٨٤-٥٢-٢ و 6484-52-2 ثم 107-44-9 (خطأ) و75-44-5."
    assert cas_numbers_in(text) == ["6484-52-2", "75-44-5"]
    assert cas_numbers_in("order 2024-10-1 and phone 0123-45-6789") == []


def test_every_bundled_substance_has_a_valid_normal_cas_number():
    entries = bundled_substances()
    assert len(entries) >= 90
    assert all(normalise_cas(entry["cas"]) == entry["cas"] for entry in entries)
