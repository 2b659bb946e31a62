"""`flask matching evaluate` and `tune` on small recorded histories: figures computed by hand, a tuning stored
only when the held-out requests rank better (then the bridge ranks with it), and bad options refused."""
import math

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.coordination.desk import Refinement
from expertnet.db import utcnow
from expertnet.experts.matcher_bridge import fresh_index, tuned_parameters
from expertnet.experts.models import MatcherTuning
from expertnet.extensions import db
from tests.conftest import make_user
from tests.engagements.factories import accept, invite
from tests.matching_history.helpers import NEAR, TWIN, make_expert, matching_request, show


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


def test_evaluate_without_history_says_so(runner):
    result = runner.invoke(args=["matching", "evaluate"])
    assert result.exit_code == 0 and "No history to learn from yet" in result.output
    result = runner.invoke(args=["matching", "tune"])
    assert result.exit_code == 1 and "No history to learn from yet" in result.output and "Traceback" not in result.output


def test_evaluate_prints_the_figures_of_a_tiny_history(client, auth, coordinator, runner):
    best, second = make_expert(**TWIN), make_expert(**NEAR)
    assistance_request = matching_request(coordinator)
    auth.login(coordinator)
    assert show(client, assistance_request) == [best.id, second.id]
    accept(invite(coordinator, assistance_request, second))  # grade 3; `best`, ranked above, passed over: 0
    result = runner.invoke(args=["matching", "evaluate"])
    assert result.exit_code == 0, result.output
    # The ranker still puts `best` first: DCG = (2^3 - 1) / log2(3), ideal DCG = (2^3 - 1) / log2(2).
    ndcg = (7 / math.log2(3)) / (7 / math.log2(2))
    assert round(ndcg, 3) == 0.631
    expected = f"{ndcg:>8.3f} {0.5:>6.3f} {1.0:>6.3f}"
    lines = result.output.splitlines()
    assert "1 requests, 2 judged experts" in lines[0]
    assert any(line.split()[:2] == ["all", "1"] and line.endswith(expected) for line in lines), result.output
    assert any(line.split()[:2] == ["en", "1"] and line.endswith(expected) for line in lines)
    month = utcnow().strftime("%Y-%m")
    assert any(line.split()[:2] == [month, "1"] and line.endswith(expected) for line in lines)


def twins_history(client, auth, coordinator, invite_arabic_speaker: bool, n: int = 4):
    """Two experts with the same profile text: one covers Jordan, one speaks Arabic; each request (from Jordan,
    asking for Arabic) shows the Arabic speaker first (the language preference outweighs the region's), and the
    coordinator invites one of them, who accepts."""
    # The speaker first: on a tie of scores the lower id ranks first, so a tuning must do strictly better.
    speaker = make_expert(**TWIN, capacity=10, countries=["EG"], regions=[],
                          languages=[{"code": "ar", "proficiency": "native"}])
    regional = make_expert(**TWIN, capacity=10, countries=["JO"], regions=["middle-east"])
    auth.login(coordinator)
    for number in range(n):
        assistance_request = matching_request(coordinator, f"Agency {number}", languages=["ar"])
        assert show(client, assistance_request) == [speaker.id, regional.id]
        accept(invite(coordinator, assistance_request, speaker if invite_arabic_speaker else regional))
    return regional, speaker


def test_tune_stores_parameters_when_the_held_out_requests_rank_better(client, auth, coordinator, runner):
    regional, speaker = twins_history(client, auth, coordinator, invite_arabic_speaker=False)
    dry = runner.invoke(args=["matching", "tune", "--held-out", "0.5", "--seed", "3", "--dry-run"])
    assert dry.exit_code == 0 and "Dry run" in dry.output and db.session.scalar(sa.select(MatcherTuning.id)) is None
    result = runner.invoke(args=["matching", "tune", "--held-out", "0.5", "--seed", "3", "--by", "helena@example.org"])
    assert result.exit_code == 0, result.output
    assert "held out      0.631    1.000" in result.output and "Stored as tuning #" in result.output
    tuning = db.session.scalars(sa.select(MatcherTuning)).one()
    assert (tuning.created_by, tuning.train_requests, tuning.held_out_requests) == ("helena@example.org", 2, 2)
    assert tuning.held_out_after > tuning.held_out_before and tuning.parameters == tuned_parameters()
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "matching.tuned")).one()
    assert audit.object_id == tuning.id and audit.details["held_out_after"] == 1.0
    # The bridge refits with the tuned parameters: the regional expert now comes first.
    fresh = matching_request(coordinator, "A new agency", languages=["ar"])
    assert [p.id for p, _s, _r in Refinement().rank(fresh).experts] == [regional.id, speaker.id]
    with fresh_index() as index:
        params = index.matcher.get_params()
        assert all(params[name] == value for name, value in tuning.parameters.items())
    assert show(client, fresh)[0] == regional.id


def test_tune_keeps_the_configuration_when_the_held_out_requests_do_not_rank_better(client, auth, coordinator, runner):
    twins_history(client, auth, coordinator, invite_arabic_speaker=True)
    result = runner.invoke(args=["matching", "tune", "--held-out", "0.5", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "held out      1.000    1.000" in result.output and "configuration in force is kept" in result.output
    assert db.session.scalar(sa.select(MatcherTuning.id)) is None and tuned_parameters() == {}


@pytest.mark.parametrize("args, complaint", [
    (["tune", "--held-out", "1.5"], "--held-out"), (["tune", "--held-out", "0"], "--held-out"),
    (["tune", "--held-out", "lots"], "--held-out"), (["tune", "--seed", "-1"], "--seed"),
    (["tune", "--k", "0"], "--k"), (["evaluate", "--k", "x"], "--k"), (["tune", "--nope"], "--nope")])
def test_bad_options_are_usage_errors(runner, args, complaint):
    result = runner.invoke(args=["matching", *args])
    assert result.exit_code == 2 and complaint in result.output and "Traceback" not in result.output
