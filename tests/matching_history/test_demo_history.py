"""The demo's history of shown lists and decisions: three languages, several months and agencies, decisions that
follow what each request was written for (not the ranker), some refusals as outside one's expertise; both
commands print real figures on it, and seeding again adds nothing."""
import re

import sqlalchemy as sa

from expertnet.demo.matching_history import FITS, history, intent
from expertnet.demo.seed import seed_demo_network
from expertnet.engagements.models import DeclineReason, Invitation, InvitationStatus
from expertnet.extensions import db
from expertnet.matching_history.judgments import judged_requests
from expertnet.matching_history.models import ShownList


def test_the_demo_history_feeds_both_commands(demo_network, runner):
    judged = judged_requests()
    entries = {e["title"]: e for e in history()}
    assert len(judged) == len(entries) == 24
    assert {entries[j.request.title]["written_in"] for j in judged} == {"en", "ar", "fr"}
    assert len({j.month for j in judged}) >= 5 and len({j.request.organisation_id for j in judged}) >= 12
    invitations = db.session.scalars(sa.select(Invitation).where(
        Invitation.request_id.in_([j.request.id for j in judged]))).all()
    for invitation in invitations:  # decisions follow the requests' own intent
        fit = intent(invitation.expert, entries[invitation.request.title])
        if invitation.status == InvitationStatus.ACCEPTED:
            assert fit >= FITS
        if invitation.decline_reason == DeclineReason.OUT_OF_EXPERTISE:
            assert fit < FITS
    assert sum(i.decline_reason == DeclineReason.OUT_OF_EXPERTISE for i in invitations) >= 3
    assert {0, 2, 3} <= {grade for j in judged for grade in j.judgments.values()}

    evaluated = runner.invoke(args=["matching", "evaluate"])
    assert evaluated.exit_code == 0, evaluated.output
    for key in ("all", "en", "ar", "fr"):
        assert re.search(rf"^{key}\s+\d+\s+0\.\d{{3}}\s+0\.\d{{3}}\s+[01]\.\d{{3}}$", evaluated.output, re.M), key
    tuned = runner.invoke(args=["matching", "tune", "--dry-run"])
    assert tuned.exit_code == 0 and re.search(r"held out\s+0\.\d{3}\s+0\.\d{3}", tuned.output), tuned.output

    lists = db.session.scalar(sa.select(sa.func.count(ShownList.id)))
    assert not seed_demo_network()
    assert db.session.scalar(sa.select(sa.func.count(ShownList.id))) == lists
