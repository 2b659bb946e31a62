"""`/api/v1/me/profile` and `/api/v1/experts` (issue 16): an expert's own profile and the coordinators' search,
the twins of the profile page and of the expert directory. The profile is read with the page's schema and
changed by the page's service (`experts.services.update_profile`): a PATCH is the stored profile with the sent
fields over it, judged by `ProfileIn` as a whole, as the page's form is; `If-Match` with the last read's `ETag`
keeps a stale write out (412). The directory is the coordinators' (and admins') alone (403 for anyone else), over
the same query as its page: vetted experts with an active account."""
from flask import request
from flask.views import MethodView
from flask_smorest import Page, abort
from marshmallow import ValidationError

from expertnet.accounts.models import Role
from expertnet.accounts.policy import STAFF
from expertnet.actions import action
from expertnet.api import bp
from expertnet.api.conventions import caller, caller_in, documented_errors, for_roles
from expertnet.api.schemas import ExpertListArgs, ExpertProfileOut, ExpertSummaryOut
from expertnet.experts import services
from expertnet.experts.directory import DirectoryFilters, search_experts
from expertnet.experts.models import Availability, ExpertProfile
from expertnet.experts.schemas import ProfileIn, changed_profile


def _own_profile() -> ExpertProfile:
    profile = caller_in(Role.EXPERT).expert_profile
    if profile is None:
        abort(404)
    return profile


@bp.route("/me/profile")
class OwnProfile(MethodView):
    """The caller's expert profile (experts only)."""

    @bp.etag
    @bp.response(200, ExpertProfileOut)
    @documented_errors(bp)
    def get(self):
        """The caller's own expert profile, as the profile page shows it."""
        return _own_profile()

    @for_roles(Role.EXPERT)
    @action
    @bp.etag
    @bp.arguments(ProfileIn(partial=True))
    @bp.response(200, ExpertProfileOut)
    @documented_errors(bp, 409, 412, 428)
    def patch(self, _data):
        """Change fields of the caller's profile; those left out keep their value (a list sent replaces the
        list). New requests are matched against it from then on. Send the `ETag` of your last read as
        `If-Match` (412 when the profile changed since)."""
        profile = _own_profile()
        bp.check_etag(profile, ExpertProfileOut)
        try:
            data = changed_profile(profile, request.get_json(silent=True) or {})
        except ValidationError as invalid:
            abort(422, messages={"json": invalid.messages})
        services.update_profile(caller(), profile, data)
        return profile


def _available(profile: ExpertProfile) -> bool:
    return profile.availability == Availability.AVAILABLE and profile.commitments < profile.capacity


@bp.route("/experts", methods=["GET"])
@for_roles(*STAFF)
@bp.arguments(ExpertListArgs, location="query", as_kwargs=True)
@bp.response(200, ExpertSummaryOut(many=True))
@bp.paginate(Page)
@documented_errors(bp)
def list_experts(topic: str = "", language: str = "", country: str = "", available: bool | None = None):
    """Vetted experts with an active account, by name (coordinators and admins): filtered by topic, a language
    they declared, a country they work in and whether they are available now with a free place."""
    experts = search_experts(DirectoryFilters(topic=topic, language=language, country=country))
    return experts if available is None else [p for p in experts if _available(p) == available]
