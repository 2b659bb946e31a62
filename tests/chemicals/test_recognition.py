"""Issue 18, item 4: a substance's CAS number or any language's name in a request is that substance's concept for
the matcher, so an Arabic request naming a precursor only by its CAS number finds the experts who write about it
in English; and an untagged request naming one is offered the tag."""
import pytest

from expertnet.accounts.models import Role
from expertnet.chemicals import services
from expertnet.experts.matcher_bridge import rank_experts
from expertnet.extensions import db
from tests.chemicals.factories import make_substance, seed_register
from tests.conftest import make_user
from tests.engagements.factories import make_assistance_request, make_expert

FERTILISER = dict(headline="Fertiliser-grade ammonium nitrate security",
                  expertise_statement="Diversion of ammonium nitrate from farm supply chains; storage audits and "
                                      "know-your-customer checks for ammonium nitrate sellers.")
CHLORINE = dict(headline="Chlorine and toxic industrial gases",
                expertise_statement="Emergency response to chlorine releases at water treatment plants.")
PORTS = dict(headline="Port security and container screening",
             expertise_statement="Container screening, manifests and risk targeting at sea ports.")


@pytest.fixture
def experts(app):
    seed_register()
    return {name: make_expert(topics=(), countries=[], regions=[], **fields)
            for name, fields in (("ports", PORTS), ("chlorine", CHLORINE), ("fertiliser", FERTILISER))}


def arabic_request(text_with_substance: str):
    coordinator = make_user(Role.COORDINATOR)
    return make_assistance_request(
        coordinator=coordinator, topics=("customs-interdiction",), languages=[], country=None,
        title="طلب دعم فني بشأن شحنات مشبوهة في الميناء",
        summary=f"ضبطت الجمارك شحنات من المادة {text_with_substance} مصرح عنها كسماد، ونحتاج إلى خبير لتقييم خطر تحويلها.",
        gap_statement="لا توجد لدينا إجراءات للتحقق من المستخدم النهائي.", desired_outcome="")


@pytest.mark.parametrize("named_as", ["6484-52-2", "٦٤٨٤-٥٢-٢", "نترات الأمونيوم"])
def test_an_arabic_request_naming_the_precursor_ranks_the_english_expert_on_it_first(experts, named_as):
    assistance_request = arabic_request(named_as)
    ranked = rank_experts(assistance_request, set(), locale="ar").experts
    assert ranked and ranked[0][0].id == experts["fertiliser"].id
    reasons = [r[0] for r in ranked[0][2]]
    assert "نترات الأمونيوم" in reasons  # the concept is named in the reader's language


def test_an_untagged_request_naming_a_substance_is_offered_the_tag_and_tagging_records_it(experts):
    assistance_request = arabic_request("6484-52-2 وكذلك الأسيتون")
    suggested = {s.cas for s in services.recognise(" ".join([assistance_request.title, assistance_request.summary]))}
    assert suggested == {"6484-52-2", "67-64-1"}
    coordinator = make_user(Role.COORDINATOR)
    ids = [s.id for s in services.recognise(assistance_request.summary)]
    services.tag_request(coordinator, assistance_request, ids)
    db.session.commit()
    assert {s.cas for s in services.request_substances(assistance_request.id)} == suggested


def reason_labels(assistance_request) -> set[str]:
    return {r[0] for _p, _s, reasons in rank_experts(assistance_request, set()).experts for r in reasons}


def test_retiring_a_substance_takes_its_concept_out_of_the_matcher(app):
    substance = make_substance(cas="7757-79-1", en=("Potassium nitrate",), ar=("نترات البوتاسيوم",), fr=(), es=(),
                               lists=({"code": "eu-2019-1148-ii", "threshold": ""},))
    make_expert(topics=(), countries=[], regions=[], headline="Saltpetre and black powder",
                expertise_statement="Potassium nitrate in improvised black powder.")
    assistance_request = arabic_request("7757-79-1")
    assert "Potassium nitrate" in reason_labels(assistance_request)
    services.retire_substance(make_user(Role.ADMIN), substance)
    db.session.commit()
    assert "Potassium nitrate" not in reason_labels(assistance_request)
