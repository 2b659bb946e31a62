"""The desk's alternates (shown after a decline) are a suggestions list too: recorded in the matching history
like the suggestions page's lists (issue 15, item 5), so evaluation and tuning see what the coordinator saw."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.engagements import services as engagement_services
from expertnet.engagements.models import DeclineReason
from expertnet.extensions import db
from expertnet.matching_history.models import ShownList
from tests.conftest import make_user
from tests.engagements.factories import invite
from tests.matching_history.helpers import NEAR, TWIN, make_expert, matching_request


def test_the_desks_alternates_are_recorded_as_a_shown_list(client, auth):
    coordinator = make_user(Role.COORDINATOR)
    best, second, third = make_expert(**TWIN), make_expert(**NEAR), make_expert(headline="Customs officer, ports")
    assistance_request = matching_request(coordinator)
    invitation = invite(coordinator, assistance_request, best)
    engagement_services.decline_invitation(best.user, invitation, DeclineReason.DATES, "Travelling then.")
    db.session.commit()
    auth.login(coordinator)

    desk = client.get(f"/coordination/requests/{assistance_request.id}")
    assert desk.status_code == 200 and "Alternates" in desk.get_data(as_text=True)
    db.session.expire_all()
    [shown] = db.session.scalars(sa.select(ShownList).where(ShownList.request_id == assistance_request.id)).all()
    assert shown.coordinator_id == coordinator.id and shown.index_version is not None
    assert {e.expert_id for e in shown.experts} == {second.id, third.id}  # the declining expert is not among them
    assert [e.rank for e in shown.experts] == [1, 2]
