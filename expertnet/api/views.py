"""The operations of `/api/v1/` (first slice of issue 16): the caller, the taxonomy and the agency's requests.

Each operation is a page's twin: load through the same scoped query (404 for what the caller may not know
exists) -> check (who may act) -> one service call; writes run through the action seam, which commits once
and answers refusals as problem+json. Conventions (auth, errors, pagination, ETag, Idempotency-Key) are in
`expertnet.api.conventions`.
"""
from flask import abort, current_app, g, render_template, url_for
from flask.views import MethodView

from expertnet.accounts.models import Role
from expertnet.accounts.policy import STAFF
from expertnet.actions import action
from expertnet.api import bp, pages
from expertnet.api.conventions import SelectPage, caller, caller_in, documented_errors, idempotent_create, operation
from expertnet.api.schemas import MeOut, RequestListArgs, RequestPatchIn, TopicOut, WithdrawIn
from expertnet.requests import access, services
from expertnet.requests.detail import record_full_reads
from expertnet.requests.models import AssistanceRequest
from expertnet.requests.schemas import RequestIn, RequestOut
from expertnet.taxonomy.services import leaf_topics

REQUEST = "/requests/<int:request_id>"
IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False,
                   "description": "Makes a retry safe: the same key with the same body gives the first answer again.",
                   "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,100}$"}}


@bp.route("/me", methods=["GET"])
@bp.response(200, MeOut)
@documented_errors(bp)
def me():
    """The caller: the token's user, organisation and the token's scope."""
    user = caller()
    return {"id": user.id, "email": user.email, "full_name": user.full_name, "role": user.role,
            "locale": user.locale, "organisation": user.organisation, "token": g.api_token}


@bp.route("/taxonomy/topics", methods=["GET"])
@bp.response(200, TopicOut(many=True))
@documented_errors(bp)
def topics():
    """The topics a request may name (the leaves of the taxonomy), with their labels per locale."""
    return leaf_topics()


def _reader():
    """Requests are read through the API by their agency's members and by coordinators and admins; the
    experts' need-to-know views (summary while invited) are not in this slice."""
    return caller_in(Role.MEMBER, *STAFF)


def _load(request_id: int) -> AssistanceRequest:
    return access.get_visible_request_or_404(_reader(), request_id)


def _load_owned(request_id: int) -> AssistanceRequest:
    """The agency's own request; coordinators may read it but not act as the agency (403)."""
    assistance_request = _load(request_id)
    if not access.is_owner(caller(), assistance_request):
        abort(403)
    return assistance_request


_ORDER = {"created_at": AssistanceRequest.created_at, "updated_at": AssistanceRequest.updated_at,
          "status_changed_at": AssistanceRequest.status_changed_at}


@bp.route("/requests")
class Requests(MethodView):
    """One rule per path for every method (see `conventions.operation_method`)."""

    @bp.arguments(RequestListArgs, location="query", as_kwargs=True)
    @bp.response(200, RequestOut(many=True))
    @bp.paginate(SelectPage)
    @documented_errors(bp)
    def get(self, sort: str, status=None):
        """The requests the caller may see: a member's organisation's own; for coordinators every submitted one."""
        query = access.visible_requests(_reader())
        if status is not None:
            query = query.where(AssistanceRequest.status == status)
        column = _ORDER[sort.lstrip("-")]
        return query.order_by(column.desc() if sort.startswith("-") else column.asc(), AssistanceRequest.id.desc())

    @action
    @idempotent_create("requests.create")
    @bp.doc(parameters=[IDEMPOTENCY_KEY])
    @bp.arguments(RequestIn)
    @bp.response(201, RequestOut)
    @documented_errors(bp, 409)
    def post(self, data):
        """A new draft for the caller's organisation (members only). Send `Idempotency-Key` to make a retry
        safe."""
        user = caller()
        if user.role != Role.MEMBER:
            abort(403)
        created = services.create_draft(user, data)
        return created, 201, {"Location": url_for("api.RequestItem", request_id=created.id)}


@bp.route(REQUEST)
class RequestItem(MethodView):
    """One rule for the request's read and update, so an id no column can hold is a 404 for both."""

    @action  # the sensitive-read audit rows, as on the request's page
    @bp.etag
    @bp.response(200, RequestOut)
    @documented_errors(bp)
    def get(self, request_id: int):
        """One request (404 when the caller may not know it exists)."""
        assistance_request = _load(request_id)
        record_full_reads(caller(), assistance_request)
        return assistance_request

    @action
    @bp.etag
    @bp.arguments(RequestPatchIn(partial=True))
    @bp.response(200, RequestOut)
    @documented_errors(bp, 409, 412, 428)
    def patch(self, data, request_id: int):
        """Change fields of the agency's own request while it is a draft or waiting on its answer. Send the
        `ETag` of your last read as `If-Match`: a request changed since is refused (412)."""
        assistance_request = _load_owned(request_id)
        bp.check_etag(assistance_request, RequestOut)
        services.update_request(caller(), assistance_request, data)
        return assistance_request


@operation(bp, f"{REQUEST}/submit", "POST", RequestOut, errors=(409,))
def submit_request(request_id: int):
    """Submit the agency's draft to the coordinators (409 once it is no longer a draft, a repeat too)."""
    assistance_request = _load_owned(request_id)
    services.submit_request(caller(), assistance_request)
    return assistance_request


@operation(bp, f"{REQUEST}/withdraw", "POST", RequestOut, body=WithdrawIn, errors=(409,))
def withdraw_request(data, request_id: int):
    """Withdraw the agency's request, with a reason (409 once it is withdrawn or closed)."""
    assistance_request = _load_owned(request_id)
    services.withdraw_request(caller(), assistance_request, data["reason"])
    return assistance_request


@pages.get("/docs")
def reference():
    """The readable reference: every operation of the served OpenAPI document, drawn in the site's layout."""
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operations = [{"method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                   "description": operation.get("description", ""),
                   "responses": sorted(operation.get("responses", {}))}
                  for path, item in spec.get("paths", {}).items()
                  for method, operation in item.items() if method in {"get", "post", "patch", "put", "delete"}]
    return render_template("api/reference.html", operations=operations, info=spec.get("info", {}),
                           openapi_version=spec.get("openapi"), openapi_url=url_for("api-docs.openapi_json"))
