"""Grades read from invitations and answers (see expertnet/matching_history/judgments.py): accepted 3; invited
and not refused as a misfit 2; taken back by a coordinator 1; declined as outside one's expertise 0; passed
over for someone ranked below 0; the rest of a list unjudged."""
import pytest

from expertnet.accounts.models import Role
from expertnet.engagements import services
from expertnet.engagements.models import DeclineReason
from expertnet.experts.matcher_bridge import Suggestions
from expertnet.extensions import db
from expertnet.matching_history.judgments import judged_requests
from expertnet.matching_history.services import record_shown
from tests.conftest import make_user
from tests.engagements.factories import accept, invite
from tests.matching_history.helpers import TWIN, make_expert, matching_request


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


def shown_in_order(coordinator, assistance_request, profiles) -> None:
    listed = Suggestions([(p, 1.0 - rank / 100, []) for rank, p in enumerate(profiles)], {}, False, len(profiles))
    record_shown(coordinator, assistance_request, listed)
    db.session.commit()


def test_grades_follow_the_invitations_and_answers(coordinator):
    experts = [make_expert(**TWIN) for _ in range(8)]
    passed, accepted, pending, dates, misfit, taken_back, unjudged, never_shown = experts
    assistance_request = matching_request(coordinator)
    assistance_request.experts_wanted = 3
    db.session.commit()
    shown_in_order(coordinator, assistance_request, experts[:7])
    accept(invite(coordinator, assistance_request, accepted))
    invite(coordinator, assistance_request, pending)
    for expert, reason in ((dates, DeclineReason.DATES), (misfit, DeclineReason.OUT_OF_EXPERTISE)):
        services.decline_invitation(expert.user, invite(coordinator, assistance_request, expert), reason, "")
    services.revoke_invitation(coordinator, invite(coordinator, assistance_request, taken_back), "Wrong person.")
    db.session.commit()
    [judged] = judged_requests()
    assert judged.request.id == assistance_request.id and judged.lists == 1
    assert judged.judgments == {passed.id: 0, accepted.id: 3, pending.id: 2, dates.id: 2, misfit.id: 0,
                                taken_back.id: 1}
    assert unjudged.id not in judged.judgments and never_shown.id not in judged.judgments


def test_an_invitation_outranks_being_passed_over_and_lists_without_decisions_judge_nobody(coordinator):
    first, second, third = (make_expert(**TWIN) for _ in range(3))
    assistance_request = matching_request(coordinator)
    other = matching_request(coordinator, "Another agency")
    shown_in_order(coordinator, other, [first, second])  # shown, nobody invited: no judgments
    shown_in_order(coordinator, assistance_request, [first, second, third])
    invite(coordinator, assistance_request, second)
    assert judged_requests()[0].judgments == {first.id: 0, second.id: 2}
    shown_in_order(coordinator, assistance_request, [first, third])  # later, the skipped expert is invited
    invite(coordinator, assistance_request, first)
    [judged] = judged_requests()
    assert judged.judgments == {first.id: 2, second.id: 2} and judged.lists == 2


def test_invitations_before_a_list_was_shown_do_not_make_anyone_passed_over(coordinator):
    first, second = make_expert(**TWIN), make_expert(**TWIN)
    assistance_request = matching_request(coordinator)
    invite(coordinator, assistance_request, second)
    shown_in_order(coordinator, assistance_request, [first, second])
    assert judged_requests()[0].judgments == {second.id: 2}
