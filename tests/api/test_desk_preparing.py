"""Before the matcher's first index is built, the API's suggestions say so as the page does (issue 16, item 3):
a 503 problem with Retry-After, the build enqueued once; after the build, the ranking."""
import pytest

from tests.api.test_desk_api import TWIN, make_expert
from tests.coordination.test_suggestions_page import coordinator, matching_request  # noqa: F401 - fixtures
from tests.experts.test_matcher_index import run_queued_jobs


@pytest.fixture
def app_config(app_config, tmp_path):
    """A queue that only stores tasks (a separate worker runs them in production), no encoder (fast)."""
    return {**app_config, "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}", "MATCHER_ENCODER": "none"}


def test_suggestions_answer_503_with_retry_after_while_the_index_is_being_prepared(app, api_as, coordinator,
                                                                                  matching_request):
    twin = make_expert(**TWIN)
    desk = api_as(coordinator)
    path = f"/requests/{matching_request.id}/suggestions"
    preparing = desk.get(path)
    assert preparing.status_code == 503 and preparing.headers["Retry-After"] == "5"
    assert preparing.content_type == "application/problem+json"
    assert "being prepared" in preparing.get_json()["detail"]
    invite = desk.post(f"/requests/{matching_request.id}/invitations", json={
        "expert_ids": [twin.id], "message": "Help?", "respond_by": "2099-01-01"})
    assert invite.status_code == 503 and invite.headers["Retry-After"] == "5"
    assert app.extensions["jobs"].huey.pending_count() == 1, "the build is enqueued once"
    assert run_queued_jobs(app) == 1
    assert [e["expert_id"] for e in desk.get(path).get_json()["experts"]] == [twin.id]
