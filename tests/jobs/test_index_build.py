"""A real `flask jobs worker` builds the matcher index a suggestions page asked for (issue 15): the page says
suggestions are being prepared and enqueues the build; the worker process builds and saves it; the web side
then memory-maps it and ranks."""
import re

from expertnet.accounts.models import Role
from expertnet.experts.matcher_bridge import current_build
from tests.conftest import make_user
from tests.coordination.factories import make_assistance_request, make_expert
from tests.jobs.conftest import wait_until

PICKS = re.compile(r'name="expert_ids" value="(\d+)"')


def test_a_real_worker_builds_the_index_the_page_asked_for(app, client, auth, start_worker):
    expert = make_expert(headline="Customs targeting of precursor shipments at sea ports")
    coordinator = make_user(Role.COORDINATOR)
    assistance_request = make_assistance_request(coordinator=coordinator)
    auth.login(coordinator)
    url = f"/coordination/requests/{assistance_request.id}/suggestions"
    assert "Suggestions are being prepared" in client.get(url).get_data(as_text=True)
    assert app.extensions["jobs"].huey.pending_count() == 1

    start_worker("--no-periodic")
    wait_until(lambda: current_build() is not None, what="the matcher index build", timeout=180)
    html = client.get(url).get_data(as_text=True)
    assert [int(i) for i in PICKS.findall(html)] == [expert.id]
    assert app.extensions["expert_matcher"].build == current_build()
