"""Settings → Service accounts: an agency member manages their organisation's service accounts (issue 16).
One page lists them with their live tokens; the forms on it create an account (with its first token), issue
another token, revoke a token and deactivate an account (the last two behind a confirmation). A secret is shown
once, on the answer that made it."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from expertnet.accounts import api_tokens, bp, service_accounts
from expertnet.accounts.forms import ApiTokenForm, ServiceAccountForm
from expertnet.accounts.policy import found_or_404
from expertnet.actions import action, attempt

PAGE = "accounts.service_accounts"


def _manager():
    user = current_user._get_current_object()
    if not service_accounts.may_manage(user):
        abort(403)
    return user


def _account(account_id: int):
    return found_or_404(service_accounts.own_account(_manager(), account_id))


def _expiry(form: ApiTokenForm):
    return api_tokens.expiry_in(ApiTokenForm.EXPIRY_DAYS[form.expires.data])


def _token_form(account_id: int, formdata=None) -> ApiTokenForm:
    """The new-token form of one account (its own prefix, so each account's fields have their own ids)."""
    form = ApiTokenForm(prefix=f"token-{account_id}", formdata=formdata)
    form.submit.label.text = _("Issue token")
    return form


def _page(form: ServiceAccountForm, refused: ApiTokenForm | None = None, new_secret: str | None = None,
          new_for: int | None = None, status: int = 200):
    """The list; `refused` is the token form that did not validate, `new_secret` the secret just made."""
    user = _manager()
    accounts = [(account, api_tokens.live_tokens(account),
                 refused if refused is not None and account.id == new_for else _token_form(account.id))
                for account in service_accounts.accounts_of(user)]
    return render_template("accounts/service_accounts.html", form=form, accounts=accounts,
                           new_secret=new_secret, new_for=new_for), status


@bp.route("/settings/service-accounts", methods=["GET", "POST"], endpoint="service_accounts")
@login_required
@action
def service_accounts_page():
    user = _manager()
    form = ServiceAccountForm(prefix="account")
    if form.submit.data and form.validate_on_submit():
        made = attempt(lambda: service_accounts.create_account(
            user, form.name.data, api_tokens.Scope(form.scope.data), _expiry(form)), form.name)
        if made.ok:
            account, _token, secret = made.value
            return _page(ServiceAccountForm(prefix="account", formdata=None), None, secret, account.id)
    return _page(form, status=422 if form.errors else 200)


@bp.post("/settings/service-accounts/<int:account_id>/tokens")
@login_required
@action
def issue_service_token(account_id: int):
    account = _account(account_id)
    form = _token_form(account.id, request.form)
    if form.validate_on_submit():
        made = attempt(lambda: service_accounts.issue_token(
            _manager(), account, form.name.data, api_tokens.Scope(form.scope.data), _expiry(form)), form.name)
        if made.ok:
            return _page(ServiceAccountForm(prefix="account", formdata=None), None, made.value[1], account.id)
    return _page(ServiceAccountForm(prefix="account", formdata=None), form, new_for=account.id, status=422)


@bp.post("/settings/service-accounts/<int:account_id>/tokens/<int:token_id>/revoke")
@login_required
@action
def revoke_service_token(account_id: int, token_id: int):
    account = _account(account_id)
    token = found_or_404(api_tokens.own_token(account, token_id))
    service_accounts.revoke_token(_manager(), account, token.id)
    flash(_("The token %(name)s is revoked.", name=token.name), "success")
    return redirect(url_for(PAGE))


@bp.post("/settings/service-accounts/<int:account_id>/deactivate")
@login_required
@action
def deactivate_service_account(account_id: int):
    account = _account(account_id)
    service_accounts.deactivate_account(_manager(), account)
    flash(_("The service account %(name)s is deactivated; its tokens no longer work.", name=account.full_name),
          "success")
    return redirect(url_for(PAGE))
