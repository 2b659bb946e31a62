"""20 people register for 5 seats at the same moment, each with their own HTTP client and database connection:
exactly 5 hold a seat and 15 wait, in one line without gaps; then the 5 cancel at once and exactly the first
5 waiting move up, never more than the capacity (PostgreSQL: SELECT ... FOR UPDATE really blocks)."""
import threading

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from expertnet.accounts.models import Role
from expertnet.events.models import Registration, RegistrationStatus as R
from expertnet.extensions import db
from tests.conftest import PASSWORD, POSTGRES_URL, make_user
from tests.events.factories import make_event

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")
PEOPLE, SEATS = 20, 5


def signed_in_client(app, email) -> FlaskClient:
    client = FlaskClient(app, app.response_class, use_cookies=True)
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def all_at_once(app, users, path: str) -> list[int]:
    emails = [user.email for user in users]
    barrier, results = threading.Barrier(len(users)), []

    def act(email):
        client = signed_in_client(app, email)
        barrier.wait()
        results.append(client.post(path).status_code)

    threads = [threading.Thread(target=act, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def statuses(event) -> dict[int, R]:
    db.session.expire_all()
    rows = db.session.execute(sa.select(Registration.user_id, Registration.status)
                              .where(Registration.event_id == event.id)).all()
    return dict(rows)


def test_parallel_registrations_never_exceed_the_capacity(app, users):
    event = make_event(users["coordinator"], capacity=SEATS)
    people = [make_user(Role.MEMBER) for _ in range(PEOPLE)]
    register = f"/events/{event.id}/register"

    results = all_at_once(app, people, register)

    assert sorted(results) == [303] * PEOPLE  # no 5xx, no refusal
    held = statuses(event)
    assert list(held.values()).count(R.REGISTERED) == SEATS
    assert list(held.values()).count(R.WAITLISTED) == PEOPLE - SEATS

    # Twice the same person at once: one row, still within capacity.
    again = all_at_once(app, people[:4], register)
    assert sorted(again) == [303] * 4 and len(statuses(event)) == PEOPLE

    seated = [user for user in people if held[user.id] == R.REGISTERED]
    order = db.session.scalars(sa.select(Registration.user_id).where(
        Registration.event_id == event.id, Registration.status == R.WAITLISTED)
        .order_by(Registration.queued_at, Registration.id)).all()
    results = all_at_once(app, seated, f"/events/{event.id}/cancel")
    assert sorted(results) == [303] * SEATS
    after = statuses(event)
    now_seated = {user_id for user_id, status in after.items() if status == R.REGISTERED}
    assert now_seated == set(order[:SEATS])  # the first five waiting, no one else
    assert list(after.values()).count(R.WAITLISTED) == PEOPLE - 2 * SEATS
