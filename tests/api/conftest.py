"""Fixtures for the API: tokens made by the real service, and a client that sends them and validates every
answer against the OpenAPI document the app serves (schemathesis' response validation: status documented,
content type, headers and body schema)."""
import re

import pytest
import schemathesis

from expertnet.accounts.api_tokens import Scope, create_token
from expertnet.extensions import db


def token_for(user, scope: Scope = Scope.WRITE, **kwargs) -> str:
    _token, secret = create_token(user, kwargs.pop("name", "Case system"), scope, **kwargs)
    db.session.commit()
    return secret


class ApiClient:
    """The Flask test client with `Authorization: Bearer <secret>` on every call, JSON bodies by default."""

    def __init__(self, client, secret: str | None):
        self.client, self.secret = client, secret
        document = client.get("/api/v1/openapi.json").get_json()
        self.schema, self.paths = schemathesis.openapi.from_dict(document), sorted(document["paths"])

    def call(self, method: str, path: str, json=None, headers=None, **kwargs):
        sent = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        sent.update(headers or {})
        response = self.client.open(f"/api/v1{path}", method=method, json=json, headers=sent, **kwargs)
        self.schema[self.template(f"/api/v1{path.split('?')[0]}")][method].validate_response(response)
        return response

    def template(self, path: str) -> str:
        """The documented path `path` is an instance of (`/requests/7` -> `/requests/{request_id}`)."""
        for template in self.paths:
            if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path):
                return template
        raise AssertionError(f"{path} is not in the OpenAPI document")

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.call("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.call("PATCH", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.call("DELETE", path, **kwargs)


@pytest.fixture
def api_as(client):
    """`api_as(user, scope=...)`: an ApiClient with a fresh token of that user."""
    def make(user, scope: Scope = Scope.WRITE, **kwargs) -> ApiClient:
        return ApiClient(client, token_for(user, scope, **kwargs))
    return make


def served_schema(client):
    return schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").get_json())
