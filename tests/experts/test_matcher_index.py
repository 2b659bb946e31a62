"""The matcher index is built by a job, saved under MATCHER_INDEX_PATH and memory-mapped by every web worker
(issue 15): a worker never fits; with no build yet the suggestions page says so and the build is enqueued;
an edit is applied on top of the loaded build at once in every worker; a build replaces the live one atomically
and is skipped when the live one is current."""
import json
import os

import pytest
import sqlalchemy as sa

from expertnet.app import create_app
from expertnet.experts import matcher_bridge
from expertnet.experts.matcher_bridge import BUILD_POINTER, build_index, current_build, index_root
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.jobs import tasks
from expertnet.requests.models import AssistanceRequest
from tests.coordination.factories import make_expert
from tests.coordination.test_suggestions_page import coordinator, matching_request  # noqa: F401 - fixtures
from tests.matching_history.helpers import PICKS, TWIN

NEAR = dict(headline="Customs officer", expertise_statement="Precursor chemicals at borders; manifests review.")


@pytest.fixture
def app_config(app_config, tmp_path):
    """A queue that only stores tasks (as in production: a separate worker runs them), no encoder (fast)."""
    return {**app_config, "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}", "MATCHER_ENCODER": "none"}


def page(client, assistance_request):
    response = client.get(f"/coordination/requests/{assistance_request.id}/suggestions")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return response, html, [int(i) for i in PICKS.findall(html)]


def ranked_in(worker, request_id: int) -> list[int]:
    """The suggestions as another worker process (its own app, index and database session) ranks them."""
    assistance_request = db.session.get(AssistanceRequest, request_id)
    ranked = matcher_bridge.rank_experts(assistance_request, set())
    db.session.rollback()
    return [p.id for p, _s, _r in ranked.experts]


def run_queued_jobs(app) -> int:
    """What `flask jobs worker` does with each queued task."""
    huey, ran = app.extensions["jobs"].huey, 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


def test_without_a_build_the_page_says_suggestions_are_being_prepared_and_the_job_builds_it(
        app, client, auth, coordinator, matching_request):
    twin = make_expert(**TWIN)
    auth.login(coordinator)
    response, html, picks = page(client, matching_request)
    assert "Suggestions are being prepared" in html and picks == [] and response.headers["Refresh"] == "5"
    assert app.extensions["jobs"].huey.pending_count() == 1, "the build is enqueued"
    assert app.extensions["expert_matcher"].matcher is None, "the worker did not fit"
    page(client, matching_request)
    assert app.extensions["jobs"].huey.pending_count() == 1, "asked once, not on every page"

    assert run_queued_jobs(app) == 1
    response, html, picks = page(client, matching_request)
    assert picks == [twin.id] and "Refresh" not in response.headers
    assert app.extensions["expert_matcher"].build == current_build()

    coordinator.locale = "ar"
    db.session.commit()
    run_queued_jobs(app)
    # A fresh worker process in Arabic, before any build: translated.
    root = index_root()
    (root / BUILD_POINTER).unlink()
    app.extensions.pop("expert_matcher")
    _response, html, _picks = page(client, matching_request)
    assert "يجري إعداد الاقتراحات" in html and "Suggestions are being prepared" not in html


def test_a_build_is_a_new_directory_made_live_atomically_and_skipped_when_current(app):
    make_expert(**TWIN)
    first = tasks.build_matcher_index() or current_build()
    root = index_root()
    directory = root / first
    assert (root / BUILD_POINTER).read_text() == first
    assert (directory / "matcher").is_dir() and (directory / "eligibility.npz").is_file()
    meta = json.loads((directory / "meta.json").read_text())
    assert meta["experts"] == 1 and meta["data_version"] == matcher_bridge._data_version()
    assert build_index() is None, "the live build reflects the data: nothing to do"
    assert not [p for p in root.iterdir() if p.name.startswith(".")], "no temporary left behind"
    names = [build_index(force=True) for _ in range(4)]
    assert current_build() == names[-1] and len(set(names)) == 4
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == sorted(names[-matcher_bridge.KEEP_BUILDS:])


def test_an_edit_is_visible_at_once_in_every_worker_without_a_new_build(app, client, auth, coordinator,
                                                                        matching_request, app_config):
    twin, near = make_expert(**TWIN), make_expert(**NEAR)
    build_index()
    build = current_build()
    auth.login(coordinator)
    assert page(client, matching_request)[2] == [twin.id, near.id]
    other = create_app(app_config)  # a second worker process: its own index, the same build and database
    with other.app_context():
        assert ranked_in(other, matching_request.id) == [twin.id, near.id]

    near.headline, near.expertise_statement = TWIN["headline"] + " and precursor chemicals", TWIN["expertise_statement"]
    twin.capacity = 0
    db.session.commit()
    assert page(client, matching_request)[2] == [near.id]
    with other.app_context():
        assert ranked_in(other, matching_request.id) == [near.id]
        assert other.extensions["expert_matcher"].build == build and other.extensions["expert_matcher"].applied
        db.session.remove()
        db.engine.dispose()
    assert current_build() == build and app.extensions["jobs"].huey.pending_count() == 0, "no build was needed"


def test_a_change_updates_cannot_carry_asks_for_a_build_and_the_worker_ranks_meanwhile(
        app, client, auth, coordinator, matching_request):
    twin = make_expert(**TWIN)
    build_index()
    auth.login(coordinator)
    assert page(client, matching_request)[2] == [twin.id]
    matcher_bridge.mark_all_changed()  # a tuning or taxonomy change: every profile is read again
    db.session.commit()
    assert page(client, matching_request)[2] == [twin.id], "the live build still answers"
    assert app.extensions["jobs"].huey.pending_count() == 1
    run_queued_jobs(app)
    page(client, matching_request)
    index = app.extensions["expert_matcher"]
    assert index.build == current_build() and index.version == matcher_bridge._data_version() and not index.applied


def test_a_rolled_back_change_applied_in_its_transaction_is_undone_from_the_build(app, matching_request):
    twin = make_expert(**TWIN)
    build_index()
    assert [p.id for p, _s, _r in matcher_bridge.rank_experts(matching_request, set()).experts] == [twin.id]
    twin.capacity = 0
    assert matcher_bridge.rank_experts(matching_request, set()).excluded_experts[twin.id] == "at_capacity"
    db.session.rollback()
    assert [p.id for p, _s, _r in matcher_bridge.rank_experts(matching_request, set()).experts] == [twin.id]


def test_build_index_command(app, runner):
    make_expert(**TWIN)
    result = runner.invoke(args=["matching", "build-index"])
    assert result.exit_code == 0 and "it is live" in result.output, result.output
    result = runner.invoke(args=["matching", "build-index", "--if-stale"])
    assert result.exit_code == 0 and "nothing to do" in result.output, result.output
    assert os.path.isdir(index_root() / current_build())
    assert db.session.scalar(sa.select(sa.func.count(ExpertProfile.id))) == 1
