"""Account rules: sign-in, onboarding invitations, password resets, roles and deactivation."""
import unicodedata
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l, ngettext

from expertnet.accounts import throttle
from expertnet.accounts.models import OnboardingInvitation, Organisation, Role, User
from expertnet.accounts.policy import may_invite
from expertnet.accounts.tokens import InvalidToken, make_token, password_fingerprint, read_token
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.i18n import TIME_ZONES
from expertnet.notifications.services import send_mail
from expertnet.public_url import public_url
from expertnet.service_errors import ServiceError


TIME_ZONE_REFUSED = _l("Choose a time zone from the list.")
ERROR_MESSAGES = {
    "password_too_short": _l("The password must be at least 12 characters long."),
    "email_taken": _l("An account with this e-mail address already exists."),
    "member_needs_organisation": _l("A member must belong to an organisation."),
    "may_not_invite_role": _l("You may not invite someone with this role."),
    "wrong_password": _l("The current password is not correct."),
    "cannot_deactivate_self": _l("You cannot deactivate your own account."),
    "unknown_time_zone": TIME_ZONE_REFUSED,
    "cannot_change_own_role": _l("You cannot change your own role."),
}


class AccountError(ServiceError):
    """A refused account action; str() gives the message for the user, in their language."""

    messages = ERROR_MESSAGES

    def __str__(self) -> str:
        return self.message


class SignInThrottled(ServiceError):
    """Too many recent failures: the attempt is refused unchecked; try again after `seconds` (429)."""

    http_status = 429

    def __init__(self, seconds: int):
        super().__init__("throttled")
        self.seconds = seconds

    @property
    def message(self) -> str:
        return ngettext("Too many failed attempts. Try again in %(num)d second.",
                        "Too many failed attempts. Try again in %(num)d seconds.", self.seconds)


def normalise_email(email: str) -> str:
    """One spelling per address: NFKC folds full-width and other compatibility look-alikes
    ("ａｌｉ＠example.org"), casefold the case; again NFKC since casefolding can denormalise."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email.strip()).casefold())


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def check_password_policy(password: str) -> None:
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise AccountError("password_too_short")


def sign_in_policies() -> tuple[throttle.Policy, throttle.Policy]:
    """Failed sign-ins counted per account (the normalised e-mail, existing or not, so that the delay tells
    nothing) and per client address (a much higher threshold: offices share one address)."""
    config = current_app.config
    delays = {"base_seconds": config["SIGN_IN_DELAY_BASE_SECONDS"], "max_seconds": config["SIGN_IN_DELAY_MAX_SECONDS"],
              "window_seconds": config["SIGN_IN_FAILURE_WINDOW_SECONDS"]}
    return (throttle.Policy("sign_in_account", free=config["SIGN_IN_FREE_FAILURES"], **delays),
            throttle.Policy("sign_in_address", free=config["SIGN_IN_ADDRESS_FREE_FAILURES"], **delays))


def check_sign_in_allowed(account: throttle.Policy, client: throttle.Policy, email: str, address: str) -> None:
    """Refuse while the account's delay runs; the address's delay only holds back accounts that already
    failed recently, so a colleague's first, correct sign-in from the same office address goes through."""
    throttle.hold(account, email)
    now = utcnow()
    wait = throttle.seconds_to_wait(account, email, now)
    if not wait and throttle.has_recent_events(account, email, now):
        wait = throttle.seconds_to_wait(client, address, now)
    if wait:
        raise SignInThrottled(wait)


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user for these credentials if they may sign in; failures are counted and audited without saying
    why. Raises SignInThrottled, without checking the password, while a delay runs."""
    email = normalise_email(email)[:254]
    account, client = sign_in_policies()
    check_sign_in_allowed(account, client, email, address)
    user = user_by_email(email)
    if user is None or user.is_service_account or not user.check_password(password) or not user.is_active:
        now = utcnow()
        failures = throttle.count_event(account, email, now)
        throttle.count_event(client, address, now)
        record("auth.sign_in_failed", user, user, email=email, address=address, failures=failures,
               reason="inactive" if user is not None and user.is_active is False else "credentials")
        return None
    throttle.forget(account, email)
    user.last_login_at = utcnow()
    record("auth.signed_in", user, user)
    return user


def sign_out(user: User) -> None:
    user.end_sessions()
    record("auth.signed_out", user, user)


def create_user(email: str, full_name: str, role: Role, password: str | None, organisation: Organisation | None = None,
                locale: str | None = None, actor=None) -> User:
    if user_by_email(email) is not None:
        raise AccountError("email_taken")
    if role == Role.MEMBER and organisation is None:
        raise AccountError("member_needs_organisation")
    user = User(email=normalise_email(email), full_name=full_name.strip(), role=role, organisation=organisation,
                locale=locale)
    if password is not None:
        check_password_policy(password)
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user.created", actor, user, role=role.value)
    return user


def invite_user(inviter: User, email: str, full_name: str, role: Role, organisation: Organisation | None,
                locale: str | None = None) -> tuple[OnboardingInvitation, str]:
    """Create an onboarding invitation and mail its link; returns the invitation and the link."""
    if not may_invite(inviter, role):
        raise AccountError("may_not_invite_role")
    if role == Role.MEMBER and organisation is None:
        raise AccountError("member_needs_organisation")
    if user_by_email(email) is not None:
        raise AccountError("email_taken")
    invitation = OnboardingInvitation(
        email=normalise_email(email), full_name=full_name.strip(), role=role,
        organisation=organisation if role == Role.MEMBER else None, invited_by=inviter,
        expires_at=utcnow() + timedelta(seconds=current_app.config["INVITATION_MAX_AGE"]))
    db.session.add(invitation)
    db.session.flush()
    link = public_url("accounts.accept_invitation", token=make_token("invite", invitation.id))
    send_mail(invitation.email, "onboarding_invitation", locale, invitation=invitation, link=link)
    record("user.invited", inviter, invitation, email=invitation.email, role=role.value)
    return invitation, link


def open_invitation(token: str) -> OnboardingInvitation:
    invitation_id = read_token("invite", token, current_app.config["INVITATION_MAX_AGE"])
    invitation = db.session.get(OnboardingInvitation, invitation_id)
    if invitation is None or not invitation.is_open:
        raise InvalidToken("used")
    return invitation


def accept_invitation(token: str, password: str, locale: str | None) -> User:
    invitation = open_invitation(token)
    user = create_user(invitation.email, invitation.full_name, invitation.role, password,
                       invitation.organisation, locale, actor=invitation.invited_by)
    invitation.accepted_at = utcnow()
    record("user.invitation_accepted", user, invitation)
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; the caller says the same thing either way."""
    user = user_by_email(email)
    if user is None or not user.is_active or user.is_service_account:  # a system has no password to reset
        return
    token = make_token("reset", {"user": user.id, "fp": password_fingerprint(user.password_hash)})
    link = public_url("accounts.reset_password", token=token)
    send_mail(user.email, "password_reset", user.locale, time_zone=user.time_zone, user=user, link=link)
    record("auth.password_reset_requested", user, user)


def reset_password(token: str, password: str) -> User:
    payload = read_token("reset", token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, payload.get("user")) if isinstance(payload, dict) else None
    if user is None or not user.is_active or user.is_service_account or payload.get("fp") != password_fingerprint(user.password_hash):
        raise InvalidToken("used")
    check_password_policy(password)
    user.set_password(password)
    user.end_sessions()
    record("auth.password_reset", user, user)
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise AccountError("wrong_password")
    check_password_policy(new)
    user.set_password(new)
    user.end_sessions()  # a thief's session or remember-me cookie must not outlive the old password
    record("auth.password_changed", user, user)


def update_settings(user: User, full_name: str, locale: str | None, time_zone: str | None = None) -> None:
    if time_zone and time_zone not in TIME_ZONES:
        raise AccountError("unknown_time_zone")
    user.full_name, user.locale, user.time_zone = full_name.strip(), locale or None, time_zone or None
    record("user.settings_updated", user, user)


def set_active(actor: User, user: User, active: bool) -> None:
    if actor.id == user.id and not active:
        raise AccountError("cannot_deactivate_self")
    user.is_active = active
    if not active:
        user.end_sessions()
    record("user.activated" if active else "user.deactivated", actor, user)


def change_role(actor: User, user: User, role: Role, organisation: Organisation | None) -> None:
    if actor.id == user.id:
        raise AccountError("cannot_change_own_role")
    if role == Role.MEMBER and organisation is None:
        raise AccountError("member_needs_organisation")
    previous = user.role
    user.role, user.organisation = role, organisation if role == Role.MEMBER else user.organisation
    user.end_sessions()
    record("user.role_changed", actor, user, previous=previous.value, role=role.value)
