""""Before you file" (issue 17, item 4): beside the new-request form, the hub items closest to what the member
writes; the member files anyway; what was shown is recorded and coordinators see it on the request's desk."""
from urllib.parse import parse_qs, urlparse

import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.hub.models import HubSearchGap, HubShown
from expertnet.requests.models import AssistanceRequest
from tests.hub.factories import make_item
from tests.requests.factories import ensure_topics, make_draft, new_form_url
from tests.requests.test_journey import form_data

PRECURSORS = dict(title="Risk indicators for precursor chemicals at sea ports",
                  summary="Customs risk profiling of ammonium nitrate and other precursor shipments by HS code.",
                  body="Target shipments declared under HS chapters 28 and 29; check consignees against watch-lists.")
DECON = dict(title="Decontamination of first responders after a chlorine release",
             summary="Steps for hazmat teams to decontaminate people after exposure to chlorine gas.",
             body="Strip, rinse with water, monitor for symptoms.")


def test_the_form_page_carries_the_panel_and_its_script(users, auth, client):
    ensure_topics()
    auth.login(users["member"])
    page = client.get(new_form_url(client)).get_data(as_text=True)
    assert 'id="before-you-file"' in page and "/hub/static/before-you-file.js" in page


def test_items_shown_while_writing_are_recorded_and_seen_on_the_desk(users, auth, client):
    ensure_topics()
    guidance = make_item(users["coordinator"], **PRECURSORS)
    make_item(users["coordinator"], **DECON)
    auth.login(users["member"])
    url = new_form_url(client)
    token = parse_qs(urlparse(url).query)["once"][0]
    fragment = client.get("/hub/before-you-file", query_string={
        "title": "مؤشرات المخاطر لشحنات السلائف الكيميائية في الموانئ",
        "summary": "تحتاج الجمارك إلى مؤشرات لتحديد شحنات نترات الأمونيوم المشبوهة", "once": token})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "These may already help" in body
    assert PRECURSORS["title"] in body
    assert db.session.scalar(sa.select(HubShown.item_id).where(HubShown.form_token == token)) == guidance.id
    # The member files anyway.
    assert client.post(url, data={**form_data(), "submit": "Submit request"}).status_code == 302
    filed = db.session.scalar(sa.select(AssistanceRequest))
    auth.logout()
    auth.login(users["coordinator"])
    desk = client.get(f"/coordination/requests/{filed.id}").get_data(as_text=True)
    assert "Hub items the member saw" in desk and PRECURSORS["title"] in desk


def test_short_or_unmatched_text_shows_nothing_and_a_gap_is_recorded(users, auth, client):
    make_item(users["coordinator"], **DECON)
    auth.login(users["member"])
    assert client.get("/hub/before-you-file", query_string={"title": "help"}).get_data(as_text=True).strip() == ""
    client.get("/hub/before-you-file", query_string={"title": "Quarterly budget spreadsheet formatting for HR payroll"})
    assert db.session.scalar(sa.select(HubSearchGap.source)) == "before_filing"


def test_without_javascript_the_saved_draft_shows_them(users, auth, client):
    make_item(users["coordinator"], **PRECURSORS)
    draft = make_draft(users["member"])
    auth.login(users["member"])
    page = client.get(f"/requests/{draft.id}").get_data(as_text=True)
    assert "These may already help" in page and PRECURSORS["title"] in page
    assert db.session.scalar(sa.select(HubShown.request_id)) == draft.id


def test_only_members_ask(users, auth, client):
    auth.login(users["expert"])
    assert client.get("/hub/before-you-file", query_string={"title": "x"}).status_code == 403
