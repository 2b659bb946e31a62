"""Loading expert profiles for the staff's pages: the view has checked the role (coordinators and admins see every
profile), so the load only answers 404 for a profile that does not exist."""
from expertnet.accounts.policy import found_or_404
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db


def profile_or_404(profile_id: int) -> ExpertProfile:
    return found_or_404(db.session.get(ExpertProfile, profile_id))
