"""Factories for experts, matchable requests and invitations; each states only what a test cares about."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.db import utcnow
from expertnet.engagements import services
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.experts.models import ExpertProfile, ExpertTopic, TopicLevel, VettingStatus
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from expertnet.sensitivity import Tlp
from expertnet.taxonomy.models import Topic
from expertnet.taxonomy.services import load_bundled_topics, topics_by_slug
from tests.conftest import make_organisation, make_user

# The request lifecycle's main path (kept here so these factories do not depend on another feature's tests).
MAIN_PATH = [S.SUBMITTED, S.TRIAGE, S.MATCHING, S.INVITING, S.ASSIGNED, S.IN_PROGRESS, S.DELIVERED, S.EVALUATION,
             S.CLOSED]


def ensure_topics() -> None:
    if not db.session.scalar(sa.select(sa.func.count(Topic.id))):
        load_bundled_topics()
        db.session.commit()

SECRET_GAP = "GAP-SECRET: the north gate scanner has been broken since March"
SECRET_OUTCOME = "OUTCOME-SECRET: indicators loaded before the audit"
SECRET_ANNEX = "ANNEX-SECRET: warehouse 7 floor plan and guard rota"
SECRET_URGENCY = "URGENCY-SECRET: minister asked"


def make_expert(topics=("customs-interdiction",), level=TopicLevel.EXPERT, vetted=True, user=None,
                **overrides) -> ExpertProfile:
    """A committed, vetted (unless told) expert profile (its change reaches the matcher through change capture)."""
    ensure_topics()
    user = user or make_user(Role.EXPERT, locale=overrides.pop("locale", None))
    fields = dict(headline="Customs risk targeting adviser",
                  expertise_statement="Risk profiling of precursor shipments, HS codes and targeting at ports.",
                  languages=[{"code": "en", "proficiency": "fluent"}], countries=["JO"], regions=["middle-east"],
                  capacity=2)
    fields.update(overrides)
    topic_rows = list(topics_by_slug(topics).values())
    profile = ExpertProfile(user=user, **fields)
    db.session.add(profile)
    if vetted:
        profile.vetting_status, profile.vetted_at = VettingStatus.APPROVED, utcnow()
    profile.topics = [ExpertTopic(topic=t, level=level) for t in topic_rows]
    db.session.commit()  # the new profile marks itself changed (experts/change_capture.py)
    return profile


def make_assistance_request(member=None, status: S = S.MATCHING, coordinator=None, **overrides) -> AssistanceRequest:
    """A complete request walked through the real lifecycle to `status` (on the main path)."""
    ensure_topics()
    member = member or make_user(Role.MEMBER, make_organisation(f"Requesting agency {utcnow().timestamp()}"))
    coordinator = coordinator or make_user(Role.COORDINATOR)
    fields = dict(title="Targeting precursor shipments at the port",
                  summary="Customs needs risk indicators for precursor chemicals arriving by sea.",
                  gap_statement=SECRET_GAP, desired_outcome=SECRET_OUTCOME, annex=SECRET_ANNEX,
                  urgency_reason=SECRET_URGENCY, languages=["en"], country="JO", experts_wanted=1,
                  authorised_declaration=True, summary_tlp=Tlp.GREEN, detail_tlp=Tlp.AMBER, annex_tlp=Tlp.RED)
    topic_slugs = overrides.pop("topics", ("customs-interdiction",))
    fields.update(overrides)
    topic_rows = list(topics_by_slug(topic_slugs).values())
    assistance_request = AssistanceRequest(organisation_id=member.organisation_id, created_by_id=member.id, **fields)
    assistance_request.topics = topic_rows
    db.session.add(assistance_request)
    db.session.flush()
    for step in MAIN_PATH[:MAIN_PATH.index(status) + 1]:
        actor = member if lifecycle.MEMBER in lifecycle.rule_for(assistance_request, step).actors else coordinator
        lifecycle.transition(assistance_request, step, actor, "", **lifecycle.backfill_details(step))
    db.session.commit()
    return assistance_request


def invite(coordinator, assistance_request, profile, days: int = 7, **kwargs):
    invitation = services.invite_expert(coordinator, assistance_request, profile, kwargs.pop("message", "Can you help?"),
                                        utcnow() + timedelta(days=days), **kwargs)
    db.session.commit()
    return invitation


def accept(invitation):
    user = invitation.expert.user
    services.accept_terms(user, invitation, CONFIDENTIALITY_TERMS_VERSION)
    engagement = services.accept_invitation(user, invitation)
    db.session.commit()
    return engagement
