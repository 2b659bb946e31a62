"""The register's pages: who may read and who may curate, the edit form's inline errors, the import page's row
errors, retirement behind a confirmation, tagging a request from its text's suggestions, the dashboard's counts
by substance and by list, and Arabic pages with no English left."""
import io
import re

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.chemicals import services
from expertnet.chemicals.models import Substance, SubstanceVersion
from expertnet.extensions import db
from expertnet.i18n import catalogue_files
from tests.chemicals.factories import make_substance, seed_register
from tests.conftest import make_user
from tests.engagements.factories import make_assistance_request, make_expert
from tests.platform.test_access_matrix import ROLES, SIGN_IN, _cases

GET_MATRIX = {
    "/chemicals/": [SIGN_IN, 200, 200, 200, 200],
    "/chemicals/{substance}": [SIGN_IN, 200, 200, 200, 200],
    "/chemicals/999999": [SIGN_IN, 404, 404, 404, 404],
    "/chemicals/new": [SIGN_IN, 403, 403, 403, 200],
    "/chemicals/{substance}/edit": [SIGN_IN, 403, 403, 403, 200],
    "/chemicals/{substance}/retire": [SIGN_IN, 403, 403, 403, 200],
    "/chemicals/import": [SIGN_IN, 403, 403, 403, 200],
    "/coordination/requests/{request}/substances": [SIGN_IN, 403, 403, 200, 200],
    "/coordination/experts/{expert}/substances": [SIGN_IN, 403, 403, 200, 200],
    "/profile/substances": [SIGN_IN, 403, 404, 403, 403],  # the matrix's expert has no profile yet
}
POST_MATRIX = {
    "/chemicals/{substance}/retire": [SIGN_IN, 403, 403, 403, 302],
    "/chemicals/{substance}/restore": [SIGN_IN, 403, 403, 403, 409],  # not retired: a conflict
    "/chemicals/import": [SIGN_IN, 403, 403, 403, 422],
}


@pytest.fixture
def objects(users):
    substance = make_substance()
    assistance_request = make_assistance_request(member=users["member"], coordinator=users["coordinator"])
    expert = make_expert()
    return {"substance": substance.id, "request": assistance_request.id, "expert": expert.id}


@pytest.mark.parametrize("path,role,expected", _cases(GET_MATRIX))
def test_get_matrix(client, auth, users, objects, path, role, expected):
    if role != "anonymous":
        auth.login(users[role])
    assert client.get(path.format(**objects)).status_code == expected


@pytest.mark.parametrize("path,role,expected", _cases(POST_MATRIX))
def test_post_matrix(client, auth, users, objects, path, role, expected):
    if role != "anonymous":
        auth.login(users[role])
    assert client.post(path.format(**objects)).status_code == expected


def test_a_retired_substance_is_hidden_from_readers_but_not_from_admins(client, auth, users, objects):
    services.retire_substance(users["admin"], db.session.get(Substance, objects["substance"]))
    db.session.commit()
    auth.login(users["member"])
    assert client.get(f"/chemicals/{objects['substance']}").status_code == 404
    assert "6484-52-2" not in client.get("/chemicals/").get_data(as_text=True)
    auth.logout()
    auth.login(users["admin"])
    assert client.get(f"/chemicals/{objects['substance']}").status_code == 200
    assert "6484-52-2" in client.get("/chemicals/?retired=1").get_data(as_text=True)


def test_search_by_any_languages_name_or_cas_and_facets_by_list(client, auth, users):
    seed_register()
    auth.login(users["member"])
    for query in ("nitrate d'ammonium", "نترات الامونيوم", "6484-52-2", "NITRATO DE AMONIO"):
        page = client.get("/chemicals/", query_string={"q": query}).get_data(as_text=True)
        assert "6484-52-2" in page and "7757-79-1" not in page, query
    page = client.get("/chemicals/", query_string={"list": "cwc-3a"}).get_data(as_text=True)
    assert {"75-44-5", "506-77-4", "74-90-8", "76-06-2"} <= set(re.findall(r"\d+-\d\d-\d", page))
    assert "107-44-8" not in page


def form_data(**overrides):
    data = {"cas": "7722-84-1", "names": "Hydrogen peroxide", "names_ar": "بيروكسيد الهيدروجين",
            "names_fr": "peroxyde d'hydrogène", "names_es": "peróxido de hidrógeno", "note": ""}
    data.update(overrides)
    return data


def test_the_edit_form_shows_errors_inline_and_saves_a_version(client, auth, users):
    seed_register()
    auth.login(users["admin"])
    response = client.post("/chemicals/new", data=form_data(cas="7722-84-2", names=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="cas-error">[^<]*check digit', page) and re.search(r'id="names-error">[^<]*English name', page)
    response = client.post("/chemicals/new", data=form_data())  # already in the register
    assert response.status_code == 422 and "Another substance of the register has this CAS number" in response.get_data(as_text=True)
    eu = db.session.scalar(sa.text("select id from control_list where code = 'eu-2019-1148-ii'"))
    response = client.post("/chemicals/new", data=form_data(cas="7647-01-0", names="Hydrochloric acid\nHydrogen chloride",
                                                            names_ar="حمض الهيدروكلوريك", **{f"on_{eu}": "y", f"threshold_{eu}": "test"}))
    assert response.status_code == 302
    substance = db.session.scalar(sa.select(Substance).where(Substance.cas == "7647-01-0"))
    assert substance.preferred("ar") == "حمض الهيدروكلوريك" and [x.threshold for x in substance.listings] == ["test"]
    assert db.session.scalar(sa.select(SubstanceVersion.change).where(SubstanceVersion.substance_id == substance.id)) == "created"


def test_the_import_page_lists_row_errors_and_writes_nothing(client, auth, users):
    seed_register()
    before = db.session.scalar(sa.select(sa.func.count(Substance.id)))
    auth.login(users["admin"])
    csv = "cas,lists,en\n7647-01-0,eu-2019-1148-ii,Hydrochloric acid\n7647-01-1,,Bad\n1333-74-0,made-up-list,Hydrogen\n"
    response = client.post("/chemicals/import", data={"file": (io.BytesIO(csv.encode()), "register.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 2:" in page and "Row 3:" in page and "Row 1:" not in page and "made-up-list" in page
    assert db.session.scalar(sa.select(sa.func.count(Substance.id))) == before


def test_retiring_asks_first_then_takes_the_substance_out_of_tagging(client, auth, users, objects):
    auth.login(users["admin"])
    page = client.get(f"/chemicals/{objects['substance']}/retire").get_data(as_text=True)
    assert "Retire the substance" in page and "Cancel" in page
    assert client.post(f"/chemicals/{objects['substance']}/retire").status_code == 302
    assert db.session.get(Substance, objects["substance"]).is_retired
    assert client.post(f"/chemicals/{objects['substance']}/retire", follow_redirects=True).status_code == 409


def test_a_request_naming_a_substance_is_offered_for_tagging_then_counted_on_the_dashboard(client, auth, users):
    seed_register()
    assistance_request = make_assistance_request(
        member=users["member"], coordinator=users["coordinator"],
        summary="شحنة من ٦٤٨٤-٥٢-٢ وصلت إلى الميناء دون شهادة المستخدم النهائي.")
    auth.login(users["coordinator"])
    dashboard = client.get("/coordination/dashboard").get_data(as_text=True)
    assert f"/coordination/requests/{assistance_request.id}/substances" in dashboard  # to tag
    page = client.get(f"/coordination/requests/{assistance_request.id}/substances").get_data(as_text=True)
    ammonium = db.session.scalar(sa.select(Substance.id).where(Substance.cas == "6484-52-2"))
    assert 'id="suggested-substances"' in page
    assert re.search(rf'value="{ammonium}"[^>]*checked', page)
    assert client.post(f"/coordination/requests/{assistance_request.id}/substances",
                       data={"substances": [str(ammonium)]}).status_code == 302
    dashboard = client.get("/coordination/dashboard").get_data(as_text=True)
    by_substance = dashboard[dashboard.index('id="by-substance"'):dashboard.index('id="by-list"')]
    by_list = dashboard[dashboard.index('id="by-list"'):]
    assert "Ammonium nitrate" in by_substance and "Annex I" in by_list.split("</section>")[0]
    assert 'id="untagged-naming"' not in dashboard
    assert client.post(f"/coordination/requests/{assistance_request.id}/substances",
                       data={"substances": ["999999"]}).status_code == 422


def test_an_expert_tags_their_own_profile_from_what_it_names(client, auth):
    seed_register()
    profile = make_expert(headline="Thiodiglycol and mustard precursors",
                          expertise_statement="End-use checks on thiodiglycol (111-48-8) exports.")
    thiodiglycol = db.session.scalar(sa.select(Substance.id).where(Substance.cas == "111-48-8"))
    auth.login(profile.user)
    page = client.get("/profile/substances").get_data(as_text=True)
    assert re.search(rf'value="{thiodiglycol}"[^>]*checked', page)
    assert client.post("/profile/substances", data={"substances": [str(thiodiglycol)]}).status_code == 302
    assert [s.cas for s in services.expert_substances(profile.id)] == ["111-48-8"]
    assert "/profile/substances" in client.get("/profile/preview").get_data(as_text=True)


def english_messages() -> list[str]:
    """The English texts of the register's catalogue that are long enough to be recognised in a page."""
    text = next(p for p in catalogue_files("ar") if "chemicals" in str(p)).read_text(encoding="utf-8")
    return [m for m in re.findall(r'^msgid "(.+)"$', text, re.M) if len(m) > 8 and "%(" not in m]


def test_arabic_pages_have_no_untranslated_text(client, auth, users, objects):
    seed_register()
    admin = make_user(Role.ADMIN, locale="ar")
    coordinator = make_user(Role.COORDINATOR, locale="ar")
    ammonium = db.session.scalar(sa.select(Substance.id).where(Substance.cas == "6484-52-2"))
    pages = {admin: ["/chemicals/", f"/chemicals/{ammonium}", f"/chemicals/{ammonium}/edit", "/chemicals/new",
                     f"/chemicals/{ammonium}/retire", "/chemicals/import"],
             coordinator: [f"/coordination/requests/{objects['request']}/substances", "/coordination/dashboard"]}
    for user, paths in pages.items():
        auth.logout()
        auth.login(user)
        for path in paths:
            page = client.get(path).get_data(as_text=True)
            visible = re.sub(r"<[^>]+>", " ", page)
            left = [m for m in english_messages() if m in visible]
            assert not left, (path, left)
            assert 'dir="rtl"' in page
