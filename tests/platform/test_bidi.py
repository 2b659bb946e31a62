"""User text carrying a right-to-left override is shown isolated (FSI ... PDI, the character form of <bdi>)
on every page and in mail, so it cannot reverse the text around it."""
import re

import pytest
from flask import render_template_string
from markupsafe import Markup

from expertnet.accounts.models import Role
from expertnet.bidi import FSI, PDF, PDI, isolate
from expertnet.extensions import db
from expertnet.notifications.services import send_mail
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_organisation, make_user
from tests.requests.factories import make_request

FIELD_VALUE = re.compile(r'<input [^>]*value="[^"]*"')
RLO = "\u202e"
NAME = f"Mallory {RLO}fdp.exe"
ISOLATED_NAME = f"{FSI}{NAME}{PDF}{PDI}"


def assert_only_isolated(text: str, value: str, isolated: str):
    """`value` appears, and every time as `isolated`. A form field's own value is left as typed (it must
    come back unchanged when submitted) and needs nothing: a form control is a bidi paragraph of its own."""
    text = FIELD_VALUE.sub("", text)
    assert text.count(isolated) >= 1, f"{value!r} not isolated"
    assert text.count(value) == text.count(isolated), f"{value!r} shown without isolation"


@pytest.mark.parametrize("value, expected", [
    ("plain", "plain"),
    ("عربي", "عربي"),
    (f"a{RLO}b", f"{FSI}a{RLO}b{PDF}{PDI}"),
    # A stray closer must not end the isolate put around the value and let the override out.
    (f"a{PDI}{RLO}b", f"{FSI}a{RLO}b{PDF}{PDI}"),
    (f"a{PDF}{PDF}b", f"{FSI}ab{PDI}"),
    ("\u2067x\u202ey", f"{FSI}\u2067x\u202ey{PDF}{PDI}{PDI}"),
    ("\u2067x\u202ey\u2069z", f"{FSI}\u2067x\u202ey\u2069z{PDI}"),
])
def test_isolate(value, expected):
    assert isolate(value) == expected


def test_markup_and_other_values_are_left_alone():
    assert isolate(Markup(f"<b>{RLO}</b>")) == Markup(f"<b>{RLO}</b>")
    assert isolate(3) == 3 and isolate(None) is None


def test_values_in_attributes_and_translated_sentences_are_isolated(app):
    with app.test_request_context():
        page = render_template_string('<a title="{{ n }}">{{ _("Hello %(name)s, welcome", name=n) }}</a>', n=NAME)
    assert page == f'<a title="{ISOLATED_NAME}">Hello {ISOLATED_NAME}, welcome</a>'


@pytest.fixture
def rlo_member(app):
    organisation = make_organisation(name=f"Agency {RLO}lanoitan", country="JO")
    return make_user(Role.MEMBER, organisation, full_name=NAME)


def test_an_rlo_name_is_isolated_on_the_pages_that_show_it(app, client, auth, users, rlo_member):
    organisation_name = rlo_member.organisation.name
    isolated_organisation = f"{FSI}{organisation_name}{PDF}{PDI}"
    assistance_request = make_request(rlo_member, S.SUBMITTED, title=f"Port {RLO}txt.exe plan")
    title = assistance_request.title
    isolated_title = f"{FSI}{title}{PDF}{PDI}"

    auth.login(rlo_member)
    for path in ("/", "/settings", "/requests/", f"/requests/{assistance_request.id}"):
        page = client.get(path).get_data(as_text=True)
        assert_only_isolated(page, NAME, ISOLATED_NAME)  # the header's user link, at least
    assert f'value="{NAME}"' in client.get("/settings").get_data(as_text=True)
    assert_only_isolated(client.get("/requests/").get_data(as_text=True), title, isolated_title)
    auth.logout()

    auth.login(users["admin"])
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert_only_isolated(users_page, NAME, ISOLATED_NAME)
    assert_only_isolated(users_page, organisation_name, isolated_organisation)
    assert_only_isolated(client.get("/admin/organisations").get_data(as_text=True), organisation_name,
                         isolated_organisation)
    auth.logout()

    auth.login(users["coordinator"])
    queue = client.get("/coordination/queue").get_data(as_text=True)
    assert_only_isolated(queue, title, isolated_title)
    assert_only_isolated(queue, organisation_name, isolated_organisation)


def test_an_rlo_name_is_isolated_in_mail(app, rlo_member):
    assistance_request = make_request(rlo_member, S.SUBMITTED)
    message = send_mail(rlo_member.email, "request_status_changed", assistance_request=assistance_request,
                        status=assistance_request.status, note=f"See {RLO}fdp.exe")
    db.session.commit()
    for body in (message.html_body, message.text_body):
        assert_only_isolated(body, NAME, ISOLATED_NAME)
        assert f"{FSI}See {RLO}fdp.exe{PDF}{PDI}" in body
