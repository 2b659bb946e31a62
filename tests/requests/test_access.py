"""visible_requests / may_read_detail: the need-to-know rules at the query and object level."""
import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from expertnet.audit.models import AuditEvent
from expertnet.engagements.models import InvitationStatus
from expertnet.extensions import db
from expertnet.requests import access
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from expertnet.sensitivity import Tlp
from tests.requests.factories import invite_expert, make_draft, make_request


def _visible_ids(user):
    return set(db.session.scalars(access.visible_requests(user).with_only_columns(AssistanceRequest.id)))


def test_scoping_by_role(users):
    member, other = users["member"], users["other_member"]
    draft = make_draft(member)
    submitted = make_request(member, S.SUBMITTED, users["coordinator"])
    others = make_request(other, S.TRIAGE, users["coordinator"])
    assert _visible_ids(member) == {draft.id, submitted.id}
    assert _visible_ids(other) == {others.id}
    assert _visible_ids(users["coordinator"]) == {submitted.id, others.id}  # drafts stay the agency's
    assert _visible_ids(users["admin"]) == {submitted.id, others.id}
    assert _visible_ids(users["expert"]) == set()
    invite_expert(others, users["expert"])
    assert _visible_ids(users["expert"]) == {others.id}


def test_revoked_invitation_hides_request(users):
    r = make_request(users["member"], S.INVITING, users["coordinator"])
    invite_expert(r, users["expert"], status=InvitationStatus.REVOKED)
    assert _visible_ids(users["expert"]) == set()


def test_get_visible_or_404(users):
    r = make_request(users["member"], S.SUBMITTED, users["coordinator"])
    assert access.get_visible_request_or_404(users["member"], r.id) is r
    for name in ("other_member", "expert"):
        with pytest.raises(NotFound):
            access.get_visible_request_or_404(users[name], r.id)
    with pytest.raises(NotFound):
        access.get_visible_request_or_404(users["member"], 999999)


@pytest.mark.parametrize("accepted,terms,expected", [(False, False, False), (True, False, False), (True, True, True)])
def test_expert_detail_needs_accepted_terms(users, accepted, terms, expected):
    r = make_request(users["member"], S.INVITING, users["coordinator"], annex_tlp="TLP:RED")
    invite_expert(r, users["expert"], accepted=accepted, terms=terms)
    assert access.may_read_detail(users["expert"], r) is expected
    assert access.may_read_part(users["expert"], r, Tlp.RED, "annex") is expected
    assert access.may_read_part(users["expert"], r, Tlp.GREEN, "summary") is True
    assert access.may_read_part(users["expert"], r, Tlp.RED, "summary") is expected


def test_detail_for_owner_and_staff_only(users):
    r = make_request(users["member"], S.SUBMITTED, users["coordinator"])
    assert access.may_read_detail(users["member"], r)
    assert access.may_read_detail(users["coordinator"], r)
    assert access.may_read_detail(users["admin"], r)
    assert not access.may_read_detail(users["other_member"], r)
    assert not access.may_read_detail(users["expert"], r)
    draft = make_draft(users["member"])
    assert not access.may_read_detail(users["coordinator"], draft)


def test_sensitive_reads_are_listed(users):
    r = make_request(users["member"], S.SUBMITTED, users["coordinator"])
    access.record_sensitive_read(users["coordinator"], r, "detail")
    access.record_sensitive_read(users["coordinator"], r, "annex")
    access.record_sensitive_read(users["member"], r, "detail")
    db.session.commit()
    access.record_sensitive_read(users["member"], r, "attachment", attachment_id=1)
    db.session.commit()
    readers = access.sensitive_readers(r)
    # One page view logs the text and its annex: it is one read, not two (issue 13 bug 12).
    assert {row["user"].id: (row["reads"], row["downloads"]) for row in readers} == {
        users["coordinator"].id: (1, 0), users["member"].id: (1, 1)}
    rows = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "request.read_sensitive")).all()
    assert {row.details["part"] for row in rows} == {"detail", "annex", "attachment"}
