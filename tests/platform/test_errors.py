"""A database that cannot be reached is a 503 with a retry hint and one log line carrying the request id;
a genuine bug is a 500 whose full traceback is logged with the id; every response carries its id."""
import io
import logging
import socket

import pytest
from flask.logging import default_handler

from expertnet.app import create_app
from tests.conftest import POSTGRES_URL, base_config


def closed_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # released on close: nothing listens there


def unreachable_database_url(tmp_path) -> str:
    if POSTGRES_URL:
        return f"postgresql+psycopg://postgres@127.0.0.1:{closed_loopback_port()}/expertnet_test"
    return f"sqlite:///{tmp_path / 'missing-directory' / 'expertnet.sqlite3'}"


@pytest.fixture
def outage_app(tmp_path):
    """The real app, as in production (TESTING off), pointed at a database that refuses connections."""
    config = base_config(unreachable_database_url(tmp_path), tmp_path) | {"TESTING": False}
    app = create_app(config)

    @app.get("/api/_test/count-users")
    def count_users():
        from expertnet.accounts.models import User
        from expertnet.extensions import db
        return {"users": db.session.query(User).count()}

    with app.app_context():
        yield app


def error_lines(caplog, logger_name="expertnet"):
    return [record for record in caplog.records if record.name == logger_name and record.levelno >= logging.ERROR]


def test_a_page_needing_the_unreachable_database_is_a_503_page_with_one_log_line(outage_app, caplog):
    client = outage_app.test_client()
    with caplog.at_level(logging.INFO):
        response = client.post("/sign-in", data={"email": "someone@example.org", "password": "x" * 12})
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.mimetype == "text/html"
    assert "Temporarily unavailable" in response.text and 'class="site-header"' in response.text
    request_id = response.headers["X-Request-ID"]
    assert request_id in response.text
    lines = error_lines(caplog)
    assert len(lines) == 1, [record.getMessage() for record in caplog.records]
    assert lines[0].request_id == request_id and "database unavailable" in lines[0].getMessage()
    assert f"[{request_id}]" in default_handler.format(lines[0])
    assert lines[0].exc_info is None  # one line, not 30 KB of traceback
    assert "\n" not in lines[0].getMessage()
    assert all(record.exc_info is None for record in caplog.records)


def test_the_api_answers_problem_json_503_when_the_database_is_unreachable(outage_app, caplog):
    with caplog.at_level(logging.INFO):
        response = outage_app.test_client().get("/api/_test/count-users")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert response.get_json()["status"] == 503
    assert int(response.headers["Retry-After"]) > 0
    assert len(error_lines(caplog)) == 1


def test_a_locked_sqlite_database_is_still_a_conflict(app, client):
    from sqlalchemy.exc import OperationalError

    @app.post("/_test/locked")
    def locked():
        raise OperationalError("UPDATE x", {}, Exception("database is locked"))

    assert client.post("/_test/locked").status_code == 409


@pytest.fixture
def production_like_app(app_config):
    app = create_app(app_config | {"TESTING": False})

    @app.get("/_test/bug")
    def bug():
        raise ZeroDivisionError("a genuine bug")

    with app.app_context():
        yield app


def test_a_genuine_bug_logs_its_traceback_with_the_request_id(production_like_app, caplog):
    with caplog.at_level(logging.INFO):
        response = production_like_app.test_client().get("/_test/bug")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert request_id in response.text
    lines = error_lines(caplog)
    assert len(lines) == 1
    assert lines[0].request_id == request_id and f"[{request_id}]" in default_handler.format(lines[0])
    assert lines[0].exc_info[0] is ZeroDivisionError
    assert "a genuine bug" in caplog.text and "Traceback" in caplog.text


def test_every_response_has_a_request_id(client):
    first, second = client.get("/sign-in"), client.get("/sign-in")
    assert len(first.headers["X-Request-ID"]) >= 16
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize("incoming, kept", [("abc-123.DEF_9", True), ("x" * 65, False),
                                            ("id with spaces", False), ("<script>", False)])
def test_an_incoming_request_id_is_kept_only_when_it_is_a_short_safe_token(client, incoming, kept):
    response = client.get("/sign-in", headers={"X-Request-ID": incoming})
    assert (response.headers["X-Request-ID"] == incoming) is kept


@pytest.fixture
def default_log_output(app):
    """Flask's default handler on the app's logger, as in a deployment without its own logging setup."""
    buffer = io.StringIO()
    previous_stream = default_handler.setStream(buffer)
    app.logger.addHandler(default_handler)
    yield buffer
    app.logger.removeHandler(default_handler)
    default_handler.setStream(previous_stream)


def test_other_log_lines_of_a_request_carry_its_id_too(app, client, default_log_output):
    @app.get("/_test/logs")
    def logs():
        logging.getLogger("expertnet.notifications.services").warning("a line from deeper down")
        return "ok"

    response = client.get("/_test/logs")
    [line] = [line for line in default_log_output.getvalue().splitlines() if "a line from deeper down" in line]
    assert f"[{response.headers['X-Request-ID']}]" in line


def test_a_signed_in_user_gets_the_503_page_too(outage_app, caplog):
    """Loading the user from the session is itself what fails: the page is drawn as for a visitor."""
    client = outage_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = "1:nonce", True
    with caplog.at_level(logging.INFO):
        response = client.get("/requests/")
    assert response.status_code == 503 and "Temporarily unavailable" in response.text
    assert len(error_lines(caplog)) == 1
