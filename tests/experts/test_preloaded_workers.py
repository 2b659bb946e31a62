"""gunicorn as deployed (the project's gunicorn.conf.py, `preload_app`): the master loads the built matcher index
before it forks, so the workers share it (issue 15). Here a real gunicorn on loopback serves the suggestions page
from the built index, and the master process is seen holding the index's files mapped (it would not without the
preload: only workers that ranked would)."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from expertnet.experts.matcher_bridge import build_index, current_build, index_root
from expertnet.extensions import db
from tests.conftest import PASSWORD
from tests.coordination.factories import make_expert
from tests.coordination.test_suggestions_page import coordinator, matching_request  # noqa: F401 - fixtures
from tests.matching_history.helpers import PICKS, TWIN

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}", "MATCHER_ENCODER": "none"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _until_up(opener, base: str, server: subprocess.Popen, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with opener.open(base + "/sign-in", timeout=10) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer (exit code {server.poll()})")


def test_workers_serve_suggestions_from_the_index_the_master_loaded(app, app_config, tmp_path, coordinator,
                                                                    matching_request):
    twin = make_expert(**TWIN)
    db.session.commit()
    build_index()
    build = index_root() / current_build()
    email, request_id, twin_id = coordinator.email, matching_request.id, twin.id
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "EXPERTNET_DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
           "EXPERTNET_MATCHER_INDEX_PATH": app_config["MATCHER_INDEX_PATH"], "EXPERTNET_MATCHER_ENCODER": "none",
           "EXPERTNET_JOBS_URL": app_config["JOBS_URL"], "EXPERTNET_SECRET_KEY": "preload-test",
           "EXPERTNET_MAIL_BACKEND": "log"}
    db.session.remove()  # the server's workers read and write this database
    log = open(tmp_path / "gunicorn.log", "w")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                               "--workers", "2", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        opener = _opener()
        token = CSRF.search(_until_up(opener, base, server)).group(1)
        form = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token})
        opener.open(base + "/sign-in", form.encode(), timeout=30).read()
        with opener.open(f"{base}/coordination/requests/{request_id}/suggestions", timeout=60) as answer:
            assert answer.status == 200
            assert twin_id in [int(i) for i in PICKS.findall(answer.read().decode())]
        assert str(build) in Path(f"/proc/{server.pid}/maps").read_text(), "the master mapped the built index"
    finally:
        server.terminate()
        server.wait(30)
        log.close()
