"""Every foundation route against every role: anonymous, member, expert, coordinator, admin."""
import pytest

from expertnet.extensions import db
from expertnet.taxonomy.services import load_bundled_topics

ROLES = ["anonymous", "member", "expert", "coordinator", "admin"]
SIGN_IN = 302  # anonymous users are sent to the sign-in page

# path -> expected status per role, in ROLES order
MATRIX = {
    "/": [200, 200, 200, 200, 200],
    "/sign-in": [200, 302, 302, 302, 302],
    "/apply": [200] * 5,
    "/password/forgot": [200] * 5,
    "/settings": [SIGN_IN, 200, 200, 200, 200],
    "/vetting": [SIGN_IN, 403, 403, 200, 200],
    "/admin/invite": [SIGN_IN, 403, 403, 200, 200],
    "/admin/organisations": [SIGN_IN, 403, 403, 403, 200],
    "/admin/organisations/new": [SIGN_IN, 403, 403, 403, 200],
    "/admin/organisations/{organisation}": [SIGN_IN, 403, 403, 403, 200],
    "/admin/organisations/999999": [SIGN_IN, 403, 403, 403, 404],
    "/admin/users": [SIGN_IN, 403, 403, 403, 200],
    "/admin/users/{member}": [SIGN_IN, 403, 403, 403, 200],
    "/admin/users/999999": [SIGN_IN, 403, 403, 403, 404],
    "/admin/taxonomy": [SIGN_IN, 403, 403, 403, 200],
    "/admin/taxonomy/{topic}": [SIGN_IN, 403, 403, 403, 200],
    "/admin/audit": [SIGN_IN, 403, 403, 403, 200],
    "/vetting/999999": [SIGN_IN, 403, 403, 404, 404],
}
# POST-only actions: method, path, expected per role
POST_MATRIX = {
    "/sign-out": [SIGN_IN, 302, 302, 302, 302],
    "/admin/users/{member}/active": [SIGN_IN, 403, 403, 403, 302],
}


@pytest.fixture
def objects(users):
    from expertnet.taxonomy.models import Topic
    import sqlalchemy as sa

    load_bundled_topics()
    db.session.commit()
    return {"organisation": users["member"].organisation_id, "member": users["member"].id,
            "topic": db.session.scalar(sa.select(Topic.id).where(Topic.parent_id.is_not(None)).limit(1))}


def _cases(matrix):
    return [(path, role, statuses[i]) for path, statuses in matrix.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize("path,role,expected", _cases(MATRIX))
def test_get_matrix(client, auth, users, objects, path, role, expected):
    if role != "anonymous":
        auth.login(users[role])
    assert client.get(path.format(**objects)).status_code == expected


@pytest.mark.parametrize("path,role,expected", _cases(POST_MATRIX))
def test_post_matrix(client, auth, users, objects, path, role, expected):
    if role != "anonymous":
        auth.login(users[role])
    assert client.post(path.format(**objects), data={"active": "1"}).status_code == expected
