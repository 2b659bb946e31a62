"""A small matchable network and the suggestions page, for the matching history's tests."""
import re
from datetime import date, timedelta

from expertnet.accounts.models import Role
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_organisation, make_user
from tests.coordination.factories import make_assistance_request, make_expert

PICKS = re.compile(r'name="expert_ids" value="(\d+)"')
START = date.today() + timedelta(days=200)
TWIN = dict(headline="Customs targeting of precursor shipments at sea ports",
            expertise_statement="Risk profiling of precursor chemical shipments, HS codes 28 and 29, port targeting.")
# Fits the request's words less well than TWIN.
NEAR = dict(headline="Customs officer", expertise_statement="Precursor chemicals at borders; manifests review.")


def matching_request(coordinator, organisation_name: str = "Aqaba Port Customs", **overrides):
    member = make_user(Role.MEMBER, make_organisation(organisation_name, "JO"))
    return make_assistance_request(member, S.MATCHING, coordinator, start_date=START,
                                   end_date=START + timedelta(days=5), **overrides)


def show(client, assistance_request, **params) -> list[int]:
    """Open the suggestions page (as the signed-in coordinator); the expert ids it shows, best first."""
    response = client.get(f"/coordination/requests/{assistance_request.id}/suggestions", query_string=params)
    assert response.status_code == 200
    return [int(i) for i in PICKS.findall(response.get_data(as_text=True))]


__all__ = ["make_expert", "matching_request", "show", "TWIN", "NEAR"]
