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
