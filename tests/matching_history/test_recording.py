"""The suggestions page records each list it shows: one row per list, one per shown expert with its rank and
score, the coordinator, the refinement and the ranker's configuration; the purge blanks a list's keywords."""
from datetime import timedelta
import time

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.matching_history.models import ShownExpert, ShownList
from expertnet.requests.models import RequestStatus as S
from expertnet.retention.services import apply_purge
from tests.conftest import make_user
from tests.engagements.factories import invite
from tests.matching_history.helpers import NEAR, TWIN, make_expert, matching_request, show


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


def lists_of(assistance_request) -> list[ShownList]:
    return list(db.session.scalars(sa.select(ShownList).where(ShownList.request_id == assistance_request.id)
                                   .order_by(ShownList.id)))


def test_the_page_records_what_it_showed_in_its_order(client, auth, coordinator):
    best, second = make_expert(**TWIN), make_expert(**NEAR)
    assistance_request = matching_request(coordinator)
    auth.login(coordinator)
    picks = show(client, assistance_request)
    assert picks == [best.id, second.id]
    [shown] = lists_of(assistance_request)
    assert shown.coordinator_id == coordinator.id and shown.locale == "en" and shown.keywords == ""
    assert len(shown.ranker_config) == 16 and shown.index_version is not None and shown.tuning_id is None
    assert [(e.rank, e.expert_id) for e in shown.experts] == [(1, best.id), (2, second.id)]
    assert shown.experts[0].score > shown.experts[1].score > 0 and not shown.experts[0].included


def test_each_view_is_a_list_with_its_refinement_and_invited_experts_leave_it(client, auth, coordinator):
    best, second = make_expert(**TWIN), make_expert(**NEAR)
    assistance_request = matching_request(coordinator)
    auth.login(coordinator)
    show(client, assistance_request)
    invite(coordinator, assistance_request, best)
    assert show(client, assistance_request, keywords="manifests review", language="en") == [second.id]
    first, refined = lists_of(assistance_request)
    assert [e.expert_id for e in first.experts] == [best.id, second.id]
    assert (refined.keywords, refined.required_language) == ("manifests review", "en")
    assert [(e.rank, e.expert_id) for e in refined.experts] == [(1, second.id)]
    assert refined.shown_at >= first.shown_at


def test_an_empty_list_is_not_recorded(client, auth, coordinator):
    assistance_request = matching_request(coordinator)
    auth.login(coordinator)
    assert show(client, assistance_request) == []
    assert lists_of(assistance_request) == []


def test_the_purge_blanks_a_lists_keywords_and_keeps_who_was_shown(client, auth, coordinator):
    expert = make_expert(**TWIN)
    assistance_request = matching_request(coordinator)
    auth.login(coordinator)
    show(client, assistance_request, keywords="north gate scanner broken")
    from expertnet.requests.lifecycle import transition

    transition(assistance_request, S.REJECTED, coordinator, "Out of scope.")
    assistance_request.status_changed_at = utcnow() - timedelta(days=800)
    db.session.commit()
    apply_purge(utcnow())
    db.session.commit()
    [shown] = lists_of(assistance_request)
    assert shown.keywords == "" and [e.expert_id for e in shown.experts] == [expert.id]


def test_recording_costs_little_next_to_the_page(client, auth, coordinator):
    """One list row and one multi-row insert: recording 20 experts adds well under the page's own time."""
    for number in range(25):
        make_expert(headline=f"{TWIN['headline']} {number}", expertise_statement=TWIN["expertise_statement"])
    assistance_request = matching_request(coordinator)
    auth.login(coordinator)
    show(client, assistance_request)  # warm the index
    from expertnet.coordination.desk import Refinement
    from expertnet.matching_history.services import record_shown

    ranked = Refinement().rank(assistance_request)
    assert len(ranked.experts) == 20
    started = time.perf_counter()
    for _ in range(20):
        record_shown(coordinator, assistance_request, ranked)
    db.session.commit()
    per_list = (time.perf_counter() - started) / 20
    assert db.session.scalar(sa.select(sa.func.count(ShownExpert.id))) == 21 * 20
    assert per_list < 0.05, per_list
