"""@mentions in a post: `@handle`, where a user's handle is the part of their e-mail address before the @
(`@lina.khoury`) or their full name with dots or underscores for spaces (`@Lina.Khoury`, `@لينا_خوري`). A mention
reaches a user only when they may see the thread's place (`Place.visible_to`): naming someone never shows them
a thread beyond their label, and whether a name matched is never said back to the writer."""
import re
from typing import Any

import sqlalchemy as sa

from expertnet.accounts.models import User
from expertnet.extensions import db
from expertnet.hub.discussions.places import Place

MENTION = re.compile(r"(?<![\w@])@(\w[\w.\-]*)")
MAX_MENTIONS = 10  # a post naming more is answered for its first ten


def handles_in(body: str) -> list[str]:
    """The distinct handles a text names, as typed, in order (a sentence's final dot is not part of one)."""
    found: list[str] = []
    for match in MENTION.finditer(body or ""):
        handle = match.group(1).rstrip(".-")
        if handle and handle.casefold() not in {f.casefold() for f in found}:
            found.append(handle)
    return found[:MAX_MENTIONS]


def _matches(handle: str) -> sa.ColumnElement[bool]:
    # SQLite's lower() folds ASCII only: a name with other letters matches as typed, or in lower case.
    name = handle.replace(".", " ").replace("_", " ")
    return sa.or_(sa.func.lower(User.email).startswith(f"{handle.lower()}@", autoescape=True),
                  User.full_name == name, sa.func.lower(User.full_name) == name.lower())


def mentioned_users(body: str, place: Place, author: Any) -> list[User]:
    """Active users the text names who may see `place`, the author left out."""
    handles = handles_in(body)
    if not handles:
        return []
    candidates = db.session.scalars(sa.select(User).where(User.is_active, User.id != author.id,
                                                          sa.or_(*(_matches(h) for h in handles)))
                                    .order_by(User.id)).all()
    return [user for user in candidates if place.visible_to(user)]
