"""The one family of refusals a service raises, and that the action seam turns into an answer.

A service refuses with a subclass of `ServiceError`: `code` keys the feature's own message table (worded
once, per feature), `http_status` is what a page or the API answers (422: the input or the moment is wrong;
409: someone else changed the thing first, or it is in a state that does not allow the step; 403: this
actor may not). Views never catch these by hand; the seam maps them to a flash message, a 4xx, or
problem+json.
"""
from collections.abc import Mapping


class ServiceError(Exception):
    """A refused action; subclasses set `messages` (code -> translatable text) and may change `http_status`."""

    http_status = 422
    messages: Mapping[str, object] = {}

    def __init__(self, code: str, *, http_status: int | None = None):
        self.code = code
        if http_status is not None:
            self.http_status = http_status
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(self.messages.get(self.code, self.code))


class Conflict(ServiceError):
    """Another action moved the thing first, or its state has no such step: answered 409."""

    http_status = 409
