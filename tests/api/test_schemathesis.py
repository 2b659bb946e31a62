"""Schemathesis over the whole served OpenAPI document, in-process against the WSGI app, for a member's, a
coordinator's, an expert's and an admin's token: no answer is a 5xx, and every answer matches the document
(status documented, content type, headers, body schema). A bounded number of examples per operation keeps it to well under a minute."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from expertnet.webhooks.services import register_endpoint
from tests.api.conftest import token_for
from tests.engagements.factories import invite, make_assistance_request, make_expert
from tests.requests.factories import make_draft, make_request

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES_PER_OPERATION = 25


@pytest.mark.parametrize("role", ["member", "coordinator", "expert", "admin"])
def test_the_api_keeps_its_document(app, users, role):
    make_draft(users["member"])  # ids 1 and 2 exist, so generated ids sometimes find a request
    make_request(users["member"], S.SUBMITTED)
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]  # no DNS look-ups of generated host names
    app.config["API_RATE_LIMIT"] = 0  # hundreds of calls on one token within the minute
    if role == "expert":  # an invitation with id 1 to read, sign, accept or decline
        invite(users["coordinator"], make_assistance_request(users["member"], coordinator=users["coordinator"]),
               make_expert(user=users["expert"]))
    else:
        register_endpoint(users[role], "http://127.0.0.1:9/hook", ["request.submitted"])  # id 1 exists too
    db.session.commit()
    headers = {"Authorization": f"Bearer {token_for(users[role])}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 53

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
