"""Agencies submitting at the same moment on PostgreSQL: every submission succeeds with its own reference
(the per-year number was read by both and the second failed on the unique constraint: a 409 for a valid
request)."""
import pytest
import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.conftest import POSTGRES_URL, make_user
from tests.engagements.test_races import at_once, signed_in, statuses
from tests.requests.factories import make_draft

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")


def test_parallel_submissions_each_get_their_own_reference(app):
    members = [make_user() for _ in range(8)]
    drafts = [make_draft(member) for member in members]
    clients = [signed_in(app, member) for member in members]
    calls = [lambda c=client, d=draft.id: c.post(f"/requests/{d}/submit") for client, draft in zip(clients, drafts)]
    assert statuses(at_once(app, calls)) == [302] * len(members)
    db.session.expire_all()
    submitted = db.session.scalars(sa.select(AssistanceRequest).where(AssistanceRequest.status == S.SUBMITTED)).all()
    references = [r.reference for r in submitted]
    assert len(submitted) == len(members) and len(set(references)) == len(members), references


def test_one_form_sent_at_once_from_several_tabs_files_one_request(app):
    """The same new-request form sent six times at the same moment (issue 13 bug 1): the first use of its token
    files the request; the others wait on the token's unique index, then get the "already sent" page."""
    from expertnet.form_tokens import FormToken
    from tests.requests.factories import ensure_topics, new_form_url
    from tests.requests.test_journey import form_data

    ensure_topics()
    member = make_user()
    clients = [signed_in(app, member) for _ in range(6)]
    url = new_form_url(clients[0])
    calls = [lambda c=client: c.post(url, data={**form_data(), "submit": "Submit request"}) for client in clients]
    results = at_once(app, calls)
    assert sorted(statuses(results)) == [200] * 5 + [302]
    db.session.expire_all()
    filed = db.session.scalars(sa.select(AssistanceRequest)).all()
    assert len(filed) == 1 and filed[0].status == S.SUBMITTED
    assert db.session.scalar(sa.select(sa.func.count(FormToken.id))) == 1
    assert all(f'href="/requests/{filed[0].id}"' in r.get_data(as_text=True) for r in results if r.status_code == 200)
