"""Issue 18: the agency tags its request with substances of the chemicals register on the request form (a picker
searchable by any language's name or CAS number); the substances its text names are suggested, ticked; the tags
are stored with the request, shown on the coordinator's page and raise the experts who know those substances.

The journey: a request naming a precursor only by its CAS number, in Arabic, is tagged and matched to the right
experts (the expert tagged with the substance ranks above the same profile without it)."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.chemicals import services as chemicals
from expertnet.experts.matcher_bridge import rank_experts
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.chemicals.factories import make_substance
from tests.conftest import make_user
from tests.engagements.factories import make_expert
from tests.requests.factories import ensure_topics, new_form_url, walk_to
from tests.requests.test_journey import form_data

PEROXIDE = dict(cas="7722-84-1", en=("Hydrogen peroxide",), ar=("بيروكسيد الهيدروجين",),
                fr=("peroxyde d'hydrogène",), es=("peróxido de hidrógeno",),
                lists=({"code": "eu-2019-1148-i", "threshold": "12 % w/w"},))
ARABIC = dict(title="شحنات مشبوهة من المادة 7722-84-1 عبر الميناء",
              summary="ضبطت الجمارك شحنات متكررة من المادة 7722-84-1 بتركيز مرتفع مصرح عنها كمواد تنظيف.",
              gap_statement="لا نعرف حدود التركيز التي تستوجب الترخيص ولا كيف نتحقق من المستخدم النهائي قبل الإفراج.",
              desired_outcome="قائمة تحقق للمستخدم النهائي لموظفي الخط الأمامي.", languages=["ar"])
TWIN = dict(headline="Customs targeting of precursor shipments at sea ports",
            expertise_statement="Risk profiling of precursor chemical shipments, HS codes 28 and 29, port targeting.")


def _tags(assistance_request) -> set[str]:
    return {s.cas for s in chemicals.request_substances(assistance_request.id)}


def test_an_arabic_request_naming_a_precursor_by_cas_number_is_tagged_and_matched(client, auth, users):
    ensure_topics()
    peroxide = make_substance(**PEROXIDE)
    tagged, plain = make_expert(**TWIN), make_expert(**TWIN)
    chemicals.tag_expert(None, tagged, [peroxide.id])
    db.session.commit()
    member = users["member"]
    auth.login(member)

    # Filed in Arabic with the substance named only by its CAS number: its tag is added, and the page says so.
    saved = client.post(new_form_url(client), data={**form_data(**ARABIC), "save": "Save draft"},
                        follow_redirects=True)
    assistance_request = db.session.scalar(sa.select(AssistanceRequest))
    assert _tags(assistance_request) == {"7722-84-1"}
    assert "tagged with it" in saved.get_data(as_text=True)

    # The edit form suggests it, ticked; the picker finds it by its names in every language.
    edit = client.get(f"/requests/{assistance_request.id}/edit").get_data(as_text=True)
    assert 'id="named-substances"' in edit and "Hydrogen peroxide" in edit
    assert f'value="{peroxide.id}" id="substances-' in edit and "checked" in edit.split(f'value="{peroxide.id}"')[1][:40]
    assert "بيروكسيد الهيدروجين" in edit and "peróxido de hidrógeno" in edit  # the picker's data-search

    # Unticking a suggestion the officer was shown is respected; ticking it again and submitting keeps it.
    offered = {"substances_offered": str(peroxide.id)}
    client.post(f"/requests/{assistance_request.id}/edit", data={**form_data(**ARABIC), **offered, "save": "Save"})
    assert _tags(assistance_request) == set()
    client.post(f"/requests/{assistance_request.id}/edit", data={
        **form_data(**ARABIC), **offered, "substances": [str(peroxide.id)], "submit": "Submit request"})
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.SUBMITTED and _tags(assistance_request) == {"7722-84-1"}

    # The coordinator's request page shows the tag; the expert who knows the substance ranks above their twin.
    coordinator = users["coordinator"]
    walk_to(assistance_request, S.MATCHING, member, coordinator)
    auth.logout()
    auth.login(coordinator)
    desk = client.get(f"/coordination/requests/{assistance_request.id}").get_data(as_text=True)
    assert 'id="request-substances"' in desk and "Hydrogen peroxide" in desk and "7722-84-1" in desk
    ranked = {profile.id: (position, reasons)
              for position, (profile, _score, reasons) in enumerate(rank_experts(assistance_request, set()).experts)}
    assert ranked[tagged.id][0] < ranked[plain.id][0]
    assert "knows Hydrogen peroxide" in [r.label for r in ranked[tagged.id][1]]
    arabic = rank_experts(assistance_request, set(), locale="ar").experts
    assert "يعرف بيروكسيد الهيدروجين" in [r.label for p, _s, reasons in arabic if p.id == tagged.id for r in reasons]


def test_a_substance_not_in_the_register_is_refused_on_its_field(client, auth, users):
    ensure_topics()
    auth.login(users["member"])
    page = client.post(new_form_url(client), data={**form_data(), "substances": ["999999"], "save": "Save draft"})
    assert page.status_code == 422 and "Choose substances of the register." in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AssistanceRequest.id))) == 0
