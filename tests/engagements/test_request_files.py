"""Issue 13 bug 6: the accepted expert finds the agency's files on their engagement page, with download links;
files they may not read (a TLP:RED file once their engagement closed, another expert's deliverables) are
neither listed nor reachable."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from expertnet.accounts.models import Role
from expertnet.attachments.services import store_attachment
from expertnet.engagements import services
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from expertnet.sensitivity import Tlp
from tests.conftest import make_user
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(user, assistance_request, name: str, tlp: Tlp, engagement=None):
    return store_attachment(user, assistance_request, FileStorage(io.BytesIO(PDF), name), tlp,
                            **({"engagement_id": engagement.id} if engagement else {}))


@pytest.fixture
def scene(app):
    coordinator = make_user(Role.COORDINATOR)
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator, experts_wanted=2)
    member = assistance_request.created_by
    amber = upload(member, assistance_request, "port-layout.pdf", Tlp.AMBER)
    red = upload(member, assistance_request, "guard-rota.pdf", Tlp.RED)
    mine = accept(invite(coordinator, assistance_request, make_expert()))
    other = accept(invite(coordinator, assistance_request, make_expert()))
    theirs = upload(other.expert.user, assistance_request, "other-experts-draft.pdf", Tlp.AMBER, other)
    db.session.commit()
    return coordinator, assistance_request, mine, {"amber": amber, "red": red, "theirs": theirs}


def download(client, assistance_request, attachment):
    return client.get(f"/requests/{assistance_request.id}/attachments/{attachment.id}")


def test_the_accepted_expert_sees_and_downloads_the_agencys_files(client, auth, scene):
    _coordinator, assistance_request, mine, files = scene
    auth.login(mine.expert.user)
    page = client.get(f"/engagements/{mine.id}").get_data(as_text=True)
    for name in ("amber", "red"):
        assert f'/requests/{assistance_request.id}/attachments/{files[name].id}"' in page
        assert download(client, assistance_request, files[name]).status_code == 200
    assert "other-experts-draft.pdf" not in page
    assert download(client, assistance_request, files["theirs"]).status_code == 404


def test_a_closed_engagement_keeps_the_files_but_not_the_red_one(client, auth, scene):
    coordinator, assistance_request, mine, files = scene
    services.start_engagement(mine.expert.user, mine)
    services.submit_report(mine.expert.user, mine, "Done.")
    services.accept_report(coordinator, mine)
    services.close_engagement(coordinator, mine)
    db.session.commit()
    auth.login(mine.expert.user)
    page = client.get(f"/engagements/{mine.id}").get_data(as_text=True)
    assert "port-layout.pdf" in page and download(client, assistance_request, files["amber"]).status_code == 200
    assert "guard-rota.pdf" not in page and download(client, assistance_request, files["red"]).status_code == 404
