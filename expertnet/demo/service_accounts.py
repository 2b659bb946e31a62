"""Demo step for service accounts (issue 16): the English demo member's agency runs its case system as a service
account with a read-and-write token, and keeps a deactivated one from an earlier system. The token's secret is
not kept anywhere (as on the page): issue one on Settings -> Service accounts, or with
`flask api create-service-account`."""
import sqlalchemy as sa

from expertnet.accounts.api_tokens import Scope
from expertnet.accounts.models import User
from expertnet.accounts.service_accounts import create_account, deactivate_account
from expertnet.demo.credentials import demo_credentials
from expertnet.extensions import db


def seed_service_accounts(admin, organisations: dict) -> None:
    email = next(email for role, email in demo_credentials() if role == "member")
    member = db.session.scalar(sa.select(User).where(User.email == email))
    create_account(member, "Aqaba customs case system", Scope.WRITE, None)
    retired, _token, _secret = create_account(member, "Legacy reporting export", Scope.READ, None)
    deactivate_account(member, retired)
    db.session.flush()
