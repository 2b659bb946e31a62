"""Issue 13, the member sees the outcome: the completion report the coordinators accepted, with its
deliverables and what happens next, on the agency's request page; never a report under review or sent back,
nor its files."""
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
REPORT = "REPORT-TEXT: indicators reviewed, three gaps closed."


@pytest.fixture
def working(app):
    coordinator = make_user(Role.COORDINATOR)
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator)
    engagement = accept(invite(coordinator, assistance_request, make_expert()))
    expert = engagement.expert.user
    services.start_engagement(expert, engagement)
    deliverable = store_attachment(expert, assistance_request, FileStorage(io.BytesIO(PDF), "indicators.pdf"),
                                   Tlp.AMBER, engagement_id=engagement.id)
    services.submit_report(expert, engagement, REPORT)
    db.session.commit()
    return coordinator, assistance_request, engagement, deliverable


def member_view(client, auth, assistance_request, deliverable):
    auth.login(assistance_request.created_by)
    page = client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    download = client.get(f"/requests/{assistance_request.id}/attachments/{deliverable.id}")
    return page, download.status_code


def test_a_report_under_review_or_sent_back_stays_with_the_coordinators(client, auth, working):
    coordinator, assistance_request, engagement, deliverable = working
    page, download = member_view(client, auth, assistance_request, deliverable)
    assert REPORT not in page and "indicators.pdf" not in page and download == 404
    services.return_report(coordinator, engagement, "Add the sources.")
    db.session.commit()
    page, download = member_view(client, auth, assistance_request, deliverable)
    assert REPORT not in page and 'id="outcome"' not in page and download == 404


def test_the_accepted_report_and_its_deliverables_reach_the_agency_with_what_happens_next(client, auth, working):
    coordinator, assistance_request, engagement, deliverable = working
    services.accept_report(coordinator, engagement)
    db.session.commit()
    page, download = member_view(client, auth, assistance_request, deliverable)
    assert 'id="outcome"' in page and REPORT in page and download == 200
    assert f'/requests/{assistance_request.id}/attachments/{deliverable.id}"' in page
    assert 'id="what-next"' in page and 'href="#feedback"' in page and 'id="feedback"' in page
    assert assistance_request.status == S.DELIVERED
