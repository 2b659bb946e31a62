"""Sign-in throttling shared by every worker: counters in the database, a progressive capped delay instead of
a lock-out, an office address that does not refuse a colleague, and addresses read through ProxyFix only
when it is configured."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role, ThrottleCounter
from expertnet.accounts.throttle import Policy
from expertnet.app import create_app
from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.extensions import db
from tests.conftest import PASSWORD, POSTGRES_URL, AuthActions, make_user

WRONG = "wrong password here"


def counter(scope: str, subject: str) -> ThrottleCounter | None:
    db.session.expire_all()
    return db.session.get(ThrottleCounter, (scope, subject))


def let_the_delay_pass(email: str) -> None:
    """Time passes, as far as the throttle can tell: the running delay ends now."""
    db.session.execute(sa.update(ThrottleCounter).where(ThrottleCounter.subject == email)
                       .values(wait_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def fail(auth, user, times: int) -> None:
    for _ in range(times):
        assert auth.login(user, WRONG).status_code == 200


def test_delay_starts_after_the_free_failures_doubles_and_is_capped():
    policy = Policy("test", free=5, base_seconds=1, max_seconds=300, window_seconds=900)
    assert [policy.delay_after(n) for n in range(1, 16)] == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert policy.delay_after(10**6) == 300


def test_after_five_failures_the_next_attempt_waits_with_a_clear_message(auth):
    user = make_user(Role.MEMBER)
    fail(auth, user, 5)
    response = auth.login(user, WRONG)
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert "Try again in 1 second." in response.get_data(as_text=True)
    # During the delay even the right password waits: it is not checked at all.
    assert auth.login(user).status_code == 429
    assert counter("sign_in_account", user.email).events == 5


def test_the_wait_is_told_in_arabic_too(client, auth):
    user = make_user(Role.MEMBER)
    fail(auth, user, 5)
    let_the_delay_pass(user.email)
    fail(auth, user, 1)
    client.post("/language", data={"locale": "ar"})
    assert "حاول مرة أخرى بعد ثانيتين" in auth.login(user, WRONG).get_data(as_text=True)


def test_each_further_failure_doubles_the_delay(auth):
    user = make_user(Role.MEMBER)
    fail(auth, user, 5)
    delays = []
    for _ in range(3):
        let_the_delay_pass(user.email)
        fail(auth, user, 1)
        delays.append(auth.login(user, WRONG).headers["Retry-After"])
    assert delays == ["2", "4", "8"]


def test_rightful_user_signs_in_after_the_delay_and_the_counter_starts_again(client, auth):
    user = make_user(Role.MEMBER)
    fail(auth, user, 5)
    assert auth.login(user).status_code == 429
    let_the_delay_pass(user.email)
    assert auth.login(user).status_code == 302
    assert counter("sign_in_account", user.email) is None
    auth.logout()
    fail(auth, user, 4)  # a fresh allowance, not one failure from the next delay


def test_old_failures_are_forgotten_after_a_quiet_window(auth):
    user = make_user(Role.MEMBER)
    fail(auth, user, 5)
    db.session.execute(sa.update(ThrottleCounter).values(last_event_at=utcnow() - timedelta(minutes=16),
                                                        wait_until=None))
    db.session.commit()
    fail(auth, user, 1)
    assert counter("sign_in_account", user.email).events == 1


def test_unknown_accounts_are_throttled_alike(auth):
    fail(auth, "nobody@example.org", 5)
    assert auth.login("nobody@example.org", WRONG).status_code == 429


def test_two_workers_share_the_count(app, app_config, auth):
    """Two create_app on one database are two gunicorn workers: their failures add up."""
    user = make_user(Role.MEMBER)
    other_worker = create_app(app_config)
    with other_worker.app_context():
        other_auth = AuthActions(other_worker.test_client())
        for turn in range(5):
            assert (auth if turn % 2 else other_auth).login(user, WRONG).status_code == 200
        assert other_auth.login(user, WRONG).status_code == 429
        db.session.remove()
    assert auth.login(user, WRONG).status_code == 429


def test_a_colleague_behind_the_same_address_still_signs_in(app, auth):
    app.config["SIGN_IN_ADDRESS_FREE_FAILURES"] = 3
    victim, colleague, typo_colleague = (make_user(Role.MEMBER) for _ in range(3))
    fail(auth, typo_colleague, 1)
    fail(auth, victim, 2)  # three failures: the office address now has a delay running
    assert counter("sign_in_address", "127.0.0.1").wait_until is not None
    assert auth.login(colleague).status_code == 302
    auth.logout()
    # An account that already failed waits out the address's delay too: guessing goes on at its pace only.
    assert auth.login(typo_colleague).status_code == 429


@pytest.mark.parametrize("proxies,expected", [(0, "10.0.0.1"), (1, "203.0.113.7")])
def test_address_comes_from_x_forwarded_for_only_behind_a_configured_proxy(app, app_config, proxies, expected):
    proxied = create_app({**app_config, "PROXY_FIX_X_FOR": proxies})
    with proxied.app_context():
        client = proxied.test_client()
        response = client.post("/sign-in", data={"email": "nobody@example.org", "password": WRONG},
                               environ_base={"REMOTE_ADDR": "10.0.0.1"},
                               headers={"X-Forwarded-For": "203.0.113.7"})
        assert response.status_code == 200
        assert list(db.session.scalars(sa.select(ThrottleCounter.subject)
                                       .where(ThrottleCounter.scope == "sign_in_address"))) == [expected]
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed"))
        assert event.details["address"] == expected
        db.session.remove()


@pytest.mark.parametrize("path,free", [("/password/forgot", 10), ("/apply", 20)])
def test_public_forms_slow_down_one_address_in_the_shared_counter(app, app_config, client, path, free):
    other_worker = create_app(app_config)
    with other_worker.app_context():
        other_client = other_worker.test_client()
        for turn in range(free):
            assert (client if turn % 2 else other_client).post(path, data={"email": "x@example.org"}).status_code < 400
        db.session.remove()
    response = client.post(path, data={"email": "x@example.org"})
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"


def test_successful_sign_in_is_not_refused_for_an_existing_counter_of_another_account(auth):
    fail(auth, "someone.else@example.org", 5)
    assert auth.login(make_user(Role.MEMBER), PASSWORD).status_code == 302


def wrong_sign_in_in_own_worker(app, barrier, statuses, email):
    """One browser's attempt: its own app context, session and database connection."""
    with app.app_context():
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post("/sign-in", data={"email": email, "password": WRONG}).status_code)
        db.session.remove()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")
def test_parallel_failures_are_all_counted_and_never_exceed_the_free_guesses(app):
    user = make_user(Role.MEMBER)
    barrier, statuses = threading.Barrier(10), []
    threads = [threading.Thread(target=wrong_sign_in_in_own_worker, args=(app, barrier, statuses, user.email))
               for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    failures_audited = db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                                         .where(AuditEvent.action == "auth.sign_in_failed"))
    assert sorted(statuses) == [200] * 5 + [429] * 5
    assert counter("sign_in_account", user.email).events == failures_audited == 5
    assert counter("sign_in_address", "127.0.0.1").events == 5
