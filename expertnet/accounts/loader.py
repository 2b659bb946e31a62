"""Flask-Login's user loader: the cookie's id must carry the user's current session nonce."""
from expertnet.accounts.models import User
from expertnet.extensions import database_unreachable, db


def load_user(session_id: str) -> User | None:
    if database_unreachable():
        return None
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    # A service account acts only through its API tokens: no session cookie ever stands for it.
    if user is None or not user.is_active or user.is_service_account or user.session_nonce != nonce:
        return None
    return user
