"""Implicit judgments: how well each shown expert fitted a request, read from what the coordinators and the
experts did afterwards (the current invitation rows; nothing is stored twice).

Grades (0-3, the scale of the evaluation set), per request and expert:

  3  invited and accepted
  2  invited, and the coordinator's judgement of the fit stands: no answer yet, expired, declined for
     capacity, dates, a conflict of interest or another reason, a conflict declared, or closed because the
     request ended or was filled
  1  invited, then the invitation was taken back by a coordinator (second thoughts: weak evidence)
  0  declined as "outside my expertise"; or shown but not invited while an expert ranked below them in the
     same list was invited after that list was shown (the coordinator passed over them)

An invitation's grade wins over "passed over" (an expert skipped once may be invited from a later list).
Other shown experts are not judged. Requests whose texts the retention purge removed are left out (there is
nothing left to rank them by).
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from expertnet.engagements.models import DeclineReason, Invitation, InvitationStatus
from expertnet.extensions import db
from expertnet.matching_history.models import ShownExpert, ShownList
from expertnet.requests.models import AssistanceRequest

ACCEPTED, FIT, TAKEN_BACK, NOT_A_FIT = 3, 2, 1, 0
RELEVANT = FIT  # the evaluation counts grade 2 and above as relevant (MRR, recall)


@dataclass
class JudgedRequest:
    """One request's judgments: expert id -> grade; `first_shown`: when its first list was shown."""

    request: AssistanceRequest
    judgments: dict[int, int]
    first_shown: datetime
    lists: int

    @property
    def month(self) -> str:
        return self.first_shown.strftime("%Y-%m")


def grade_of(invitation: Invitation) -> int:
    """The grade an invitation gives its expert for its request (see the module's docstring)."""
    if invitation.status == InvitationStatus.ACCEPTED:
        return ACCEPTED
    if invitation.status == InvitationStatus.DECLINED and invitation.decline_reason == DeclineReason.OUT_OF_EXPERTISE:
        return NOT_A_FIT
    if invitation.status == InvitationStatus.REVOKED and invitation.closed_because is None:
        return TAKEN_BACK
    return FIT


def _passed_over(ranked: list[tuple[int, int]], invited_at: dict[int, datetime], shown_at: datetime) -> set[int]:
    """Experts of one list (rank, expert id) not invited while someone ranked below them was, after the list."""
    invited_ranks = [rank for rank, expert_id in ranked
                     if expert_id in invited_at and invited_at[expert_id] >= shown_at]
    if not invited_ranks:
        return set()
    lowest = max(invited_ranks)
    return {expert_id for rank, expert_id in ranked if rank < lowest and expert_id not in invited_at}


def judged_requests() -> list[JudgedRequest]:
    """Every request with a recorded suggestions list and at least one judged expert, oldest first."""
    lists = db.session.execute(
        sa.select(ShownList.id, ShownList.request_id, ShownList.shown_at)
        .join(AssistanceRequest, AssistanceRequest.id == ShownList.request_id)
        .where(AssistanceRequest.anonymised_at.is_(None)).order_by(ShownList.shown_at, ShownList.id)).all()
    if not lists:
        return []
    shown: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for list_id, expert_id, rank in db.session.execute(
            sa.select(ShownExpert.shown_list_id, ShownExpert.expert_id, ShownExpert.rank)
            .where(ShownExpert.shown_list_id.in_([row.id for row in lists]))):
        shown[list_id].append((rank, expert_id))
    request_ids = {row.request_id for row in lists}
    invitations: dict[int, list[Invitation]] = defaultdict(list)
    for invitation in db.session.scalars(sa.select(Invitation).where(Invitation.request_id.in_(request_ids))):
        invitations[invitation.request_id].append(invitation)
    by_request: dict[int, list] = defaultdict(list)
    for row in lists:
        by_request[row.request_id].append(row)
    requests = {r.id: r for r in db.session.scalars(sa.select(AssistanceRequest).where(
        AssistanceRequest.id.in_(request_ids)))}
    judged = []
    for request_id, request_lists in by_request.items():
        invited_at = {i.expert_id: i.created_at for i in invitations[request_id]}
        judgments = {}
        for row in request_lists:
            judgments.update(dict.fromkeys(_passed_over(sorted(shown[row.id]), invited_at, row.shown_at), NOT_A_FIT))
        judgments.update({i.expert_id: grade_of(i) for i in invitations[request_id]})
        if judgments:
            judged.append(JudgedRequest(requests[request_id], judgments, request_lists[0].shown_at, len(request_lists)))
    return sorted(judged, key=lambda j: (j.first_shown, j.request.id))
