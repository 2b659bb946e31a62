"""Factories for requests: `make_request(member, status=...)` builds a complete request and walks the real
lifecycle to `status`, so every test starts from a state the machine could really produce."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from expertnet.taxonomy.models import Topic
from expertnet.taxonomy.services import load_bundled_topics
from tests.conftest import make_user

NOTES = {S.INFO_REQUESTED: "How many sites are concerned?", S.ON_HOLD: "Waiting for the venue.",
         S.REJECTED: "Outside the network's scope.", S.WITHDRAWN: "Solved locally."}


def ensure_topics() -> None:
    if not db.session.scalar(sa.select(sa.func.count(Topic.id))):
        load_bundled_topics()
        db.session.commit()


def request_data(**overrides) -> dict:
    """A valid, complete RequestIn payload."""
    data = {
        "title": "Targeting precursor shipments at the port",
        "summary": "Customs needs risk indicators for precursor chemicals arriving by sea.",
        "gap_statement": "Our risk engine has no indicators for HS chapters 28 and 29; three ammonium nitrate "
                         "shipments declared as fertiliser passed unchecked last year.",
        "desired_outcome": "Indicators in the risk engine and twenty trained officers.",
        "gap_type": "both", "modality": "training_workshop", "topics": ["customs-interdiction"],
        "sectors": ["ports"], "languages": ["en", "ar"], "country": "JO", "urgency": "routine",
        "experts_wanted": 2, "authorised_declaration": True, "consent_statistics": True,
    }
    data.update(overrides)
    return data


def new_form_url(client) -> str:
    """The new-request form's address as its page gives it: with a one-time form token (expertnet.form_tokens)."""
    return client.get("/requests/new").headers["Location"]


def make_draft(member, **overrides) -> AssistanceRequest:
    from expertnet.requests import services
    from expertnet.requests.schemas import RequestIn

    ensure_topics()
    assistance_request = services.create_draft(member, RequestIn().load(request_data(**overrides)))
    db.session.commit()
    return assistance_request


def walk_to(assistance_request: AssistanceRequest, status: S, member, coordinator=None) -> AssistanceRequest:
    """Drive the real machine from draft (or from where the request is, on the way) to `status`, member and
    coordinator each doing their part."""
    coordinator = coordinator or make_user(Role.COORDINATOR)
    steps = lifecycle.path_to(status)
    if assistance_request.status in steps:
        steps = steps[steps.index(assistance_request.status) + 1:]
    for step in steps:
        actor = member if lifecycle.MEMBER in lifecycle.rule_for(assistance_request, step).actors else coordinator
        lifecycle.transition(assistance_request, step, actor, NOTES.get(step, ""), **lifecycle.backfill_details(step))
    db.session.commit()
    return assistance_request


def make_request(member, status: S = S.DRAFT, coordinator=None, **overrides) -> AssistanceRequest:
    return walk_to(make_draft(member, **overrides), status, member, coordinator)


def invite_expert(assistance_request: AssistanceRequest, expert_user, accepted: bool = False,
                  terms: bool = True, status=None):
    """An invitation row as the invitations service would leave it (that service is another feature's)."""
    from datetime import timedelta

    from expertnet.db import utcnow
    from expertnet.engagements.models import Engagement, Invitation, InvitationStatus
    from expertnet.experts.models import ExpertProfile, VettingStatus

    profile = expert_user.expert_profile or ExpertProfile(user=expert_user, vetting_status=VettingStatus.APPROVED)
    db.session.add(profile)
    db.session.flush()
    inviter_id = assistance_request.lead_coordinator_id or assistance_request.created_by_id
    invitation = Invitation(request_id=assistance_request.id, expert_id=profile.id, invited_by_id=inviter_id,
                            respond_by=utcnow() + timedelta(days=7),
                            status=status or (InvitationStatus.ACCEPTED if accepted else InvitationStatus.PENDING))
    if accepted:
        invitation.responded_at = utcnow()
        invitation.terms_version, invitation.terms_accepted_at = ("2026-1", utcnow()) if terms else (None, None)
        # Accepting opens the engagement that carries the expert's need-to-know.
        db.session.add(Engagement(invitation=invitation, request_id=assistance_request.id, expert_id=profile.id))
    db.session.add(invitation)
    db.session.commit()
    return invitation
