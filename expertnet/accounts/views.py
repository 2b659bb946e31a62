"""Sign-in, sign-out, onboarding, password reset, settings and the language switcher."""
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from expertnet.accounts import api_tokens, bp, quotas, services
from expertnet.accounts.forms import (AcceptInvitationForm, ApiTokenForm, ChangePasswordForm, PasswordResetForm,
                                      PasswordResetRequestForm, SettingsForm, SignInForm)
from expertnet.accounts.policy import found_or_404
from expertnet.accounts.tokens import InvalidToken
from expertnet.actions import action, attempt
from expertnet.web_input import safe_next


def _sign_in_delayed(refusal: services.SignInThrottled):
    """Too many failures: the form again with the wait, answered 429 with a Retry-After."""
    form = SignInForm()
    form.password.errors = [refusal.message]
    response = current_app.make_response((render_template("accounts/sign_in.html", form=form), 429))
    response.headers["Retry-After"] = str(refusal.seconds)
    return response


@bp.route("/sign-in", methods=["GET", "POST"])
@action(refused=_sign_in_delayed)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data, quotas.client_address())
        if user is not None:
            session.clear()  # a fresh session on privilege change stops session fixation
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(_("The e-mail or password is not correct, or the account is deactivated."))
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
@login_required
@action
def sign_out():
    services.sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@action
def accept_invitation(token: str):
    try:
        invitation = services.open_invitation(token)
    except InvalidToken:
        return render_template("accounts/link_invalid.html"), 410
    form = AcceptInvitationForm(locale=session.get("locale", ""))
    if form.validate_on_submit() and (accepted := attempt(lambda: services.accept_invitation(
            token, form.password.data, form.locale.data), form.password)).ok:
        user = accepted.value
        session.clear()
        login_user(user)
        flash(_("Welcome to expertnet, %(name)s.", name=user.full_name), "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)


@bp.route("/password/forgot", methods=["GET", "POST"])
@quotas.quota_on_posts("password_reset")
@action
def forgot_password():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account exists for that address, a reset link is on its way."), "info")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@action
def reset_password(token: str):
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            reset = attempt(lambda: services.reset_password(token, form.password.data), form.password)
        except InvalidToken:
            return render_template("accounts/link_invalid.html"), 410
        if reset.ok:
            flash(_("Your password is changed. Please sign in."), "success")
            return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@action
def settings():
    user = current_user._get_current_object()
    form = SettingsForm(prefix="settings", obj=user)
    password_form = ChangePasswordForm(prefix="password")
    if form.submit.data and form.validate_on_submit():
        services.update_settings(user, form.full_name.data, form.locale.data, form.time_zone.data)
        session.pop("locale", None)
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("accounts.settings"))
    if password_form.submit.data and password_form.validate_on_submit() and attempt(
            lambda: services.change_password(user, password_form.current_password.data, password_form.password.data),
            password_form.current_password).ok:
        # The nonce changed, so every session ended: this one goes on under the new nonce.
        login_user(user, remember=_has_remember_cookie())
        flash(_("Your password is changed."), "success")
        return redirect(url_for("accounts.settings"))
    token_form, new_secret = _api_token_form(user)
    return render_template("accounts/settings.html", form=form, password_form=password_form, token_form=token_form,
                           new_secret=new_secret, tokens=api_tokens.live_tokens(user))


def _api_token_form(user) -> tuple[ApiTokenForm, str | None]:
    """The new-token form; once it made a token, an empty form and the secret, shown on this answer only
    (it is never stored, so reloading the page cannot show it again)."""
    token_form = ApiTokenForm(prefix="token")
    if not (token_form.submit.data and token_form.validate_on_submit()):
        return token_form, None
    made = attempt(lambda: api_tokens.create_token(
        user, token_form.name.data, api_tokens.Scope(token_form.scope.data),
        api_tokens.expiry_in(ApiTokenForm.EXPIRY_DAYS[token_form.expires.data])), token_form.name)
    if not made.ok:
        return token_form, None
    return ApiTokenForm(prefix="token", formdata=None), made.value[1]


@bp.route("/settings/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
@action
def revoke_api_token(token_id: int):
    """Asks first (GET), then revokes (POST): a system using the token stops working at once."""
    user = current_user._get_current_object()
    token = found_or_404(api_tokens.own_token(user, token_id))
    if request.method == "POST":
        api_tokens.revoke_token(user, token.id)
        flash(_("The token %(name)s is revoked.", name=token.name), "success")
        return redirect(url_for("accounts.settings"))
    return render_template("accounts/revoke_api_token.html", token=token)


def _has_remember_cookie() -> bool:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


@bp.post("/language")
@action
def switch_language():
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400, _("Unknown language."))
    session["locale"] = locale
    if current_user.is_authenticated:
        current_user.locale = locale
    return redirect(safe_next(request.form.get("next")))
