"""The API's own schemas: problems, the caller, topics, list arguments and step bodies. Requests are read and
written with the feature's schemas (`expertnet.requests.schemas`), shared with the pages."""
from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema, fields, validate

from expertnet.accounts.api_tokens import Scope
from expertnet.accounts.models import OrganisationKind, Role
from expertnet.engagements.models import DeclineReason
from expertnet.engagements.reading import list_summary
from expertnet.engagements.schemas import EngagementOut, InvitationOut
from expertnet.experts.models import Availability
from expertnet.experts.schemas import ExperienceOut, ProfileOut, PublicationOut
from expertnet.experts.schemas import TopicOut as ExpertTopicLevelOut
from expertnet.requests.models import RequestStatus
from expertnet.requests.services import MESSAGE_MAX
from expertnet.requests.schemas import AttachmentOut, RequestIn
from expertnet.sensitivity import Tlp
from expertnet.web_input import RowId

SORTS = ("created_at", "-created_at", "updated_at", "-updated_at", "status_changed_at", "-status_changed_at")


class ProblemSchema(Schema):
    """RFC 9457 problem details, with the refusal's `code` and field `errors` where there are some."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String(allow_none=True)
    code = fields.String(metadata={"description": "The refusal's reason, stable for programs."})
    errors = fields.Dict(keys=fields.String(), metadata={"description": "Field -> messages, for invalid input."})


class OrganisationRef(Schema):
    id = fields.Integer()
    name = fields.String()


class TokenRef(Schema):
    name = fields.String()
    scope = fields.Enum(Scope, by_value=True)
    expires_at = fields.DateTime(allow_none=True)


class MeOut(Schema):
    id = fields.Integer()
    email = fields.String()
    full_name = fields.String()
    role = fields.Enum(Role, by_value=True)
    locale = fields.String(allow_none=True)
    organisation = fields.Nested(OrganisationRef, allow_none=True)
    token = fields.Nested(TokenRef)


class TopicOut(Schema):
    slug = fields.String()
    parent = fields.Function(lambda topic: topic.parent.slug if topic.parent else None, allow_none=True,
                             metadata={"type": ["string", "null"]})
    labels = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"description": "Locale -> label."})


class RequestListArgs(Schema):
    class Meta:
        unknown = RAISE

    status = fields.Enum(RequestStatus, by_value=True, metadata={"description": "Only requests in this status."})
    sort = fields.String(load_default="-status_changed_at", validate=validate.OneOf(SORTS),
                         metadata={"description": "A field to order by; a leading '-' for descending."})


class RequestPatchIn(RequestIn):
    """Any fields of a request to change while it is editable; those left out keep their value."""

    class Meta:
        unknown = RAISE


class WithdrawIn(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(max=2000))


class NotificationOut(Schema):
    """An in-app notification: what happened (`kind`, the mail template's name), the facts its e-mail's subject
    shows (a reference, a name, a status; never case text), and the page it opens, which checks access again."""

    id = fields.Integer()
    kind = fields.String()
    facts = fields.Dict(keys=fields.String())
    link = fields.Function(lambda notification: notification_link(notification),
                           metadata={"type": ["string", "null"], "description": "The site's page it opens."})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


def notification_link(notification) -> str | None:
    from flask import url_for
    from werkzeug.routing import BuildError

    try:
        return url_for(notification.endpoint, _external=True, **notification.link_args)
    except BuildError:
        return None


class NotificationListArgs(Schema):
    class Meta:
        unknown = RAISE

    unread = fields.Boolean(metadata={"description": "true: only the unread ones; false: only the read ones."})


class MarkedOut(Schema):
    marked = fields.Integer(metadata={"description": "How many notifications were unread and are read now."})


class InvitationListOut(InvitationOut):
    """An invitation in the expert's list, with the request's summary (nothing once revoked)."""

    request = fields.Function(lambda invitation: list_summary(invitation), metadata={"type": ["object", "null"]})


class InvitationReadOut(InvitationOut):
    """One invitation: the request's summary until the expert accepted it under the current terms, then the full
    request (`full: true`); nothing once revoked."""

    terms_current = fields.Boolean(metadata={"description": "The expert accepted the current terms."})
    full = fields.Boolean()
    request = fields.Dict(allow_none=True)


class TermsIn(Schema):
    class Meta:
        unknown = RAISE

    terms_version = fields.String(required=True, validate=validate.Length(max=16),
                                  metadata={"description": "The version of the terms read (GET /invitations/{id})."})


class DeclineIn(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.Enum(DeclineReason, by_value=True, required=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000),
                         metadata={"description": "Required for the reason 'other'."})


class AuthorRef(Schema):
    """Who wrote a message, as the conversation on the request's page shows it: name and role."""

    full_name = fields.String()
    role = fields.Enum(Role, by_value=True)


class MessageOut(Schema):
    """One message of a request's conversation; `internal` notes reach coordinators and admins only."""

    id = fields.Integer()
    body = fields.String()
    internal = fields.Boolean()
    created_at = fields.DateTime()
    author = fields.Nested(AuthorRef)


class MessageIn(Schema):
    class Meta:
        unknown = RAISE

    body = fields.String(required=True, validate=validate.Length(max=MESSAGE_MAX))
    internal = fields.Boolean(load_default=False,
                              metadata={"description": "An internal note for coordinators (coordinators only)."})


class EngagementListOut(EngagementOut):
    """An engagement in a list: the expert's own, or any for coordinators and admins."""

    request_id = fields.Integer()
    report_accepted_at = fields.DateTime(allow_none=True)


class EngagementReadOut(EngagementListOut):
    """One engagement with its completion report and the request as the caller may see it on it: the full
    request (`full: true`) while the engagement gives the need to know, else the summary."""

    completion_report = fields.String(allow_none=True)
    full = fields.Boolean()
    request = fields.Dict()


class OutcomeOut(Schema):
    """One expert's work on the request as the agency sees it: a completion report the coordinators accepted,
    with the deliverables of that engagement (download them on the request's page)."""

    engagement_id = fields.Integer()
    expert_name = fields.String()
    report = fields.String()
    accepted_at = fields.DateTime()
    days_spent = fields.Float(allow_none=True)
    deliverables = fields.List(fields.Nested(AttachmentOut))


class RefinementArgs(Schema):
    """The suggestions page's refinement: extra keywords, a required language or region (checked against the
    page's lists), experts unavailable for the dates too."""

    class Meta:
        unknown = RAISE

    keywords = fields.String(validate=validate.Length(max=300))
    language = fields.String(validate=validate.Length(max=16), metadata={"description": "An ISO 639-1 code."})
    region = fields.String(validate=validate.Length(max=16),
                           metadata={"description": "A region's code or an ISO 3166-1 alpha-2 country code."})
    include_unavailable = fields.Boolean()


class ReasonOut(Schema):
    label = fields.String()
    kind = fields.String(metadata={"description": "topic, term, language, region or meaning."})
    share = fields.Float()


class SuggestionOut(Schema):
    expert_id = fields.Integer()
    name = fields.String()
    score = fields.Float()
    included = fields.Boolean(metadata={"description": "A coordinator included this expert against a rule."})
    reasons = fields.List(fields.Nested(ReasonOut))


class SuggestionsOut(Schema):
    """The suggestions page's ranking: the best experts first, why, and how many were left out for which reason
    (already invited, same organisation, conflict of interest, unvetted, at capacity, unavailable, ...)."""

    experts = fields.List(fields.Nested(SuggestionOut))
    excluded = fields.Dict(keys=fields.String(), values=fields.Integer())
    weak = fields.Boolean(metadata={"description": "No strong match in the network."})
    eligible = fields.Integer()


class InviteIn(RefinementArgs):
    """Invite experts among the suggestions (ranked with the refinement sent along), all or none."""

    expert_ids = fields.List(RowId(), required=True,
                             validate=validate.Length(min=1, max=100))
    message = fields.String(required=True, validate=validate.Length(max=4000),
                            metadata={"description": "Why you ask them; they see it with the shareable summary."})
    respond_by = fields.Date(required=True, metadata={"description": "From tomorrow to 60 days ahead."})


class InvitationSentOut(InvitationOut):
    request_id = fields.Integer()
    expert_id = fields.Integer()


class LeadIn(Schema):
    class Meta:
        unknown = RAISE

    lead_id = RowId(required=True, allow_none=True,
                    metadata={"description": "An active coordinator's or admin's user id; null for nobody."})


class LeadOut(Schema):
    request_id = fields.Integer()
    lead = fields.Nested(OrganisationRef, allow_none=True, metadata={"description": "id and name of the lead."})


class ExpertTopicOut(ExpertTopicLevelOut):
    """A topic of an expert's, with their level (named apart from the taxonomy's `TopicOut`)."""

    slug = fields.Function(lambda et: et.topic.slug, metadata={"type": "string"})


class ExperienceApiOut(ExperienceOut):
    end_year = fields.Integer(allow_none=True)


class PublicationApiOut(PublicationOut):
    year = fields.Integer(allow_none=True)


class ExpertProfileOut(ProfileOut):
    """The expert's own profile (the page's and the JSON export's schema), its empty values documented as null."""

    full_name = fields.Function(lambda p: p.user.full_name, metadata={"type": "string"})
    email = fields.Function(lambda p: p.user.email, metadata={"type": "string"})
    topics = fields.List(fields.Nested(ExpertTopicOut))
    experiences = fields.List(fields.Nested(ExperienceApiOut))
    publications = fields.List(fields.Nested(PublicationApiOut))
    unavailable_until = fields.Date(allow_none=True)
    vetted_at = fields.DateTime(allow_none=True)
    deactivation_requested_at = fields.DateTime(allow_none=True)


class ExpertSummaryOut(Schema):
    """A vetted expert as the coordinators' directory shows them."""

    id = fields.Integer()
    full_name = fields.Function(lambda p: p.user.full_name, metadata={"type": "string"})
    headline, affiliation = fields.String(), fields.String()
    topics = fields.List(fields.Nested(ExpertTopicOut))
    languages = fields.List(fields.Dict(keys=fields.String(), values=fields.String()),
                            metadata={"description": 'Such as [{"code": "ar", "proficiency": "native"}].'})
    countries = fields.List(fields.String())
    regions = fields.List(fields.String())
    availability = fields.Enum(Availability, by_value=True)
    unavailable_until = fields.Date(allow_none=True)
    capacity, commitments = fields.Integer(), fields.Integer()
    willing_to_travel = fields.Boolean()
    vetted_at = fields.DateTime(allow_none=True)


class ExpertListArgs(Schema):
    class Meta:
        unknown = RAISE

    topic = fields.String(validate=validate.Length(max=64), metadata={"description": "A topic's slug."})
    language = fields.String(validate=validate.Length(max=8),
                             metadata={"description": "A language code the expert declared, such as ar."})
    country = fields.String(validate=validate.Length(equal=2),
                            metadata={"description": "A country the expert works in (ISO 3166 alpha-2)."})
    available = fields.Boolean(metadata={"description": "true: available now with a free place; false: the others."})


class OrganisationOut(Schema):
    id = fields.Integer()
    name = fields.String()
    country = fields.String()
    kind = fields.Enum(OrganisationKind, by_value=True)
    is_active = fields.Boolean()
    created_at = fields.DateTime()


class OrganisationIn(Schema):
    """A new organisation (admins), judged by the admin page's form (the country from its list)."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    country = fields.String(required=True, validate=validate.Length(equal=2),
                            metadata={"description": "ISO 3166 alpha-2 code, such as JO."})
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)


class ListQueryArgs(Schema):
    class Meta:
        unknown = RAISE

    q = fields.String(validate=validate.Length(max=100), metadata={"description": "Part of the name (or e-mail)."})


class UserListArgs(ListQueryArgs):
    role = fields.Enum(Role, by_value=True, metadata={"description": "Only users with this role."})


class AdminUserOut(Schema):
    id = fields.Integer()
    email = fields.String()
    full_name = fields.String()
    role = fields.Enum(Role, by_value=True)
    organisation = fields.Nested(OrganisationRef, allow_none=True)
    is_active = fields.Boolean()
    is_service_account = fields.Boolean()
    last_login_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class UserInviteIn(Schema):
    """Someone to invite (the admin page's invitation: they set their own password from the e-mailed link)."""

    class Meta:
        unknown = RAISE

    email = fields.Email(required=True, validate=validate.Length(max=254))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.Enum(Role, by_value=True, required=True)
    organisation_id = RowId(load_default=None, allow_none=True,
                            metadata={"description": "Required for members (agency officers)."})
    locale = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(["en", "ar"]))


class OnboardingOut(Schema):
    id = fields.Integer()
    email = fields.String()
    full_name = fields.String()
    role = fields.Enum(Role, by_value=True)
    organisation_id = fields.Integer(allow_none=True)
    expires_at = fields.DateTime()


class TopicNodeOut(Schema):
    slug = fields.String()
    labels = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"description": "Locale -> label."})
    is_active = fields.Boolean()


class TopicTreeOut(TopicNodeOut):
    """A category of the taxonomy with its topics (what requests and profiles name), in order."""

    children = fields.List(fields.Nested(TopicNodeOut))


class AttachmentUploadIn(Schema):
    """A file for the request (multipart/form-data): typed by its content (PDF, Word, Excel, PowerPoint, PNG or
    JPEG), at most 20 MB, with its sensitivity label."""

    file = Upload(required=True)
    tlp = fields.Enum(Tlp, by_value=True, load_default=Tlp.AMBER,
                      metadata={"description": "The file's sensitivity label (TLP:AMBER unless told)."})


class MilestoneOut(Schema):
    id = fields.Integer()
    title = fields.String()
    due_on = fields.Date(allow_none=True)
    done_at = fields.DateTime(allow_none=True)


class MilestoneIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    due_on = fields.Date(load_default=None, allow_none=True)


class ReturnReportIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=2000),
                           metadata={"description": "What the expert should change in the report."})
