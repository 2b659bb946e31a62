"""The served OpenAPI document and the readable reference page (local assets only, English and Arabic)."""
import re

from expertnet.accounts.models import Role
from tests.conftest import make_user

OPERATIONS = {("get", "/api/v1/me"), ("get", "/api/v1/taxonomy/topics"), ("get", "/api/v1/requests"),
              ("post", "/api/v1/requests"), ("get", "/api/v1/requests/{request_id}"),
              ("patch", "/api/v1/requests/{request_id}"), ("post", "/api/v1/requests/{request_id}/submit"),
              ("post", "/api/v1/requests/{request_id}/withdraw"),
              ("get", "/api/v1/webhooks"), ("post", "/api/v1/webhooks"), ("get", "/api/v1/webhooks/{webhook_id}"),
              ("patch", "/api/v1/webhooks/{webhook_id}"), ("delete", "/api/v1/webhooks/{webhook_id}"),
              ("get", "/api/v1/webhooks/{webhook_id}/deliveries"),
              ("post", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"),
              ("get", "/api/v1/notifications"), ("post", "/api/v1/notifications/{notification_id}/read"),
              ("post", "/api/v1/notifications/read"),
              ("get", "/api/v1/invitations"), ("get", "/api/v1/invitations/{invitation_id}"),
              ("post", "/api/v1/invitations/{invitation_id}/terms"), ("post", "/api/v1/invitations/{invitation_id}/accept"),
              ("post", "/api/v1/invitations/{invitation_id}/decline"),
              ("get", "/api/v1/requests/{request_id}/messages"), ("post", "/api/v1/requests/{request_id}/messages"),
              ("get", "/api/v1/engagements"), ("get", "/api/v1/engagements/{engagement_id}"),
              ("post", "/api/v1/engagements/{engagement_id}/report"), ("get", "/api/v1/requests/{request_id}/outcomes"),
              ("get", "/api/v1/requests/{request_id}/suggestions"), ("post", "/api/v1/requests/{request_id}/invitations"),
              ("put", "/api/v1/requests/{request_id}/lead"),
              ("get", "/api/v1/me/profile"), ("patch", "/api/v1/me/profile"), ("get", "/api/v1/experts"),
              ("get", "/api/v1/organisations"), ("post", "/api/v1/organisations"),
              ("get", "/api/v1/organisations/{organisation_id}"),
              ("post", "/api/v1/organisations/{organisation_id}/deactivate"),
              ("get", "/api/v1/users"), ("post", "/api/v1/users"), ("get", "/api/v1/users/{user_id}"),
              ("post", "/api/v1/users/{user_id}/deactivate"), ("get", "/api/v1/taxonomy/tree"),
              ("get", "/api/v1/requests/{request_id}/attachments"), ("post", "/api/v1/requests/{request_id}/attachments"),
              ("get", "/api/v1/requests/{request_id}/attachments/{attachment_id}/content"),
              ("get", "/api/v1/engagements/{engagement_id}/milestones"),
              ("post", "/api/v1/engagements/{engagement_id}/milestones"),
              ("post", "/api/v1/engagements/{engagement_id}/milestones/{milestone_id}/done"),
              ("post", "/api/v1/engagements/{engagement_id}/report/accept"),
              ("post", "/api/v1/engagements/{engagement_id}/report/return"),
              ("post", "/api/v1/engagements/{engagement_id}/close")}


def test_the_document_is_openapi_3_1_generated_from_the_code(client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.get_json()
    assert document["openapi"] == "3.1.0"
    served = {(method, path) for path, item in document["paths"].items() for method in item if method != "parameters"}
    assert served == OPERATIONS
    assert document["components"]["securitySchemes"]["token"] == {
        "type": "http", "scheme": "bearer", "description": "A personal API token (settings page)."}
    request_in = document["components"]["schemas"]["RequestIn"]
    assert request_in["properties"]["title"]["maxLength"] == 200  # the form's own schema, not a copy
    assert set(document["paths"]["/api/v1/requests/{request_id}"]["patch"]["responses"]) >= {"200", "412", "428"}
    assert "503" in document["paths"]["/api/v1/requests/{request_id}/suggestions"]["get"]["responses"]
    upload = document["paths"]["/api/v1/requests/{request_id}/attachments"]["post"]["requestBody"]["content"]
    assert list(upload) == ["multipart/form-data"]


def test_the_reference_page_lists_every_operation_with_local_assets_only(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    for method, path in OPERATIONS:
        assert f"<code>{method.upper()}</code>" in page and f"<code>{path}</code>" in page
    assert "/api/v1/openapi.json" in page
    external = [url for url in re.findall(r'(?:src|href)="([^"]+)"', page) if re.match(r"(https?:)?//", url)]
    assert not external


def test_the_reference_page_in_arabic(client, auth):
    auth.login(make_user(Role.MEMBER, locale="ar"))
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert 'dir="rtl"' in page and "مرجع الواجهة البرمجية" in page and "الأعراف المتبعة" in page
