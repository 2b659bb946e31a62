"""The action seam: every state-changing view runs through `@action`, as indico's request handler does.

The view only loads, checks and acts through services. The seam commits once when the view returns, rolls
back on any exception, and answers a refusal (`service_errors.ServiceError`) in one place: problem+json for
JSON endpoints, otherwise the view's own `refused(error, **view_args)` page, or by default the message
flashed onto the error page of its status. A write that lost the race for a versioned row (SQLAlchemy's
`StaleDataError`) is refused here as a `ChangedMeanwhile` conflict. Mail and files queued by services go out
through the existing after-commit hooks, so they leave only when this commit succeeds.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from expertnet.errors import problem_response
from expertnet.extensions import db
from expertnet.service_errors import Conflict, ServiceError

Refusal = Callable[..., ResponseReturnValue]
MARKER = "is_action"  # set on every wrapped view; tests/platform/test_actions.py checks each POST route has it


class ChangedMeanwhile(Conflict):
    """Another user's committed write moved the row's version between our read and our write."""

    messages = {"changed_meanwhile": _l("Someone else changed this request meanwhile; look again.")}


class InvalidForm(ServiceError):
    """A posted form that does not validate: the view's refusal page draws it again, errors inline."""

    def __init__(self, message: object, forms: dict[str, Any], *, http_status: int = 422):
        super().__init__("invalid_form", http_status=http_status)
        self.text, self.forms = message, forms

    @property
    def message(self) -> str:
        return str(self.text)


def submitted(form: Any, message: object, *, shown_as: str | None = None, http_status: int = 422) -> Any:
    """The form when it validates; otherwise a refusal with `message`, the form redrawn as `shown_as`."""
    if not form.validate_on_submit():
        raise InvalidForm(message, {shown_as: form} if shown_as else {}, http_status=http_status)
    return form


def wants_problem_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def flash_refusal(error: ServiceError) -> ResponseReturnValue:
    """The default page answer: the error page of the refusal's status, the reason flashed onto it."""
    flash(error.message, "danger")
    abort(error.http_status)


def refused_back_to(target: Callable[..., str]) -> Refusal:
    """Refusals answered from the page the user came from: a conflict is the 409 page saying what; any
    other refusal is flashed onto `target(**view_args)` (a URL built from the route's own arguments)."""
    def refused(error: ServiceError, **view_args: Any) -> ResponseReturnValue:
        if error.http_status == 409:
            return flash_refusal(error)
        flash(error.message, "danger")
        return redirect(target(**view_args))
    return refused


def _answer(error: ServiceError, refused: Refusal | None, view_args: dict[str, Any]) -> ResponseReturnValue:
    if wants_problem_json():
        return problem_response(type(error).__name__, error.http_status, error.message, code=error.code)
    if refused is None:
        return flash_refusal(error)
    return refused(error, **view_args)


def action(view: Callable[..., ResponseReturnValue] | None = None, *,
           refused: Refusal | None = None) -> Any:
    """`@action` or `@action(refused=page)`: commit once on success, roll back on any failure, answer refusals.

    The refusal page runs after the rollback; what it writes itself (sensitive-read audit rows of a page it
    draws again) is committed like a view's."""
    def decorate(function: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        @wraps(function)
        def run(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            try:
                try:
                    response = function(*args, **kwargs)
                    db.session.commit()
                    return response
                except StaleDataError as stale:
                    raise ChangedMeanwhile("changed_meanwhile") from stale
            except ServiceError as error:
                db.session.rollback()  # before anything else touches the session (even gettext reads the user)
                response = _answer(error, refused, kwargs)
                db.session.commit()
                return response
            except BaseException:
                db.session.rollback()
                raise

        setattr(run, MARKER, True)
        return run

    return decorate(view) if view is not None else decorate


@dataclass
class Outcome:
    """What `attempt` gives back: the service call's `value`, or the `refusal` shown on the form."""

    value: Any = None
    refusal: ServiceError | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


def form_page(form: Any, act: Callable[[], object], field: Any, *, saved: str, then: str, page: str,
              by_code: Mapping[str, Any] | None = None, **context: Any) -> ResponseReturnValue:
    """A form page in one call: a valid post runs `act` (one service call); unless refused, `saved` is flashed
    and the browser goes to `then`; otherwise `page` is drawn again with the form, its errors inline."""
    if form.validate_on_submit() and attempt(act, field, by_code).ok:
        flash(saved, "success")
        return redirect(then)
    return render_template(page, form=form, **context)


def attempt(act: Callable[[], object], field, by_code: Mapping[str, Any] | None = None) -> Outcome:
    """For a form page: run one service call; on a refusal roll it back and show the reason on `field` (or on
    `by_code[error.code]`), so the page draws the form again (with the refusal's status where it has one)."""
    try:
        return Outcome(value=act())
    except ServiceError as error:
        db.session.rollback()
        target = (by_code or {}).get(error.code, field)
        target.errors = [*target.errors, error.message]
        return Outcome(refusal=error)
