"""RequestIn validation and the two Out schemas (full and need-to-know)."""
import pytest
from marshmallow import ValidationError

from expertnet.requests.models import RequestStatus as S
from expertnet.requests.schemas import RequestIn, RequestOut, RequestSummaryOut, SubmittedRequestIn
from tests.requests.factories import ensure_topics, make_request, request_data

SCRIPT = '<script>alert("x")</script> & <b>bold</b>'


@pytest.fixture
def topics(app):
    ensure_topics()


def test_valid_payload_loads(topics):
    data = RequestIn().load(request_data())
    assert data["topics"] == ["customs-interdiction"] and data["experts_wanted"] == 2
    assert SubmittedRequestIn().load(request_data())["authorised_declaration"] is True


def test_draft_needs_only_a_title(topics):
    assert RequestIn().load({"title": "A first idea"})["topics"] == []
    with pytest.raises(ValidationError) as refused:
        SubmittedRequestIn().load({"title": "A first idea"})
    assert {"summary", "gap_statement", "topics", "authorised_declaration"} <= set(refused.value.messages)


@pytest.mark.parametrize("overrides,field", [
    ({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"summary": "x" * 2001}, "summary"),
    ({"gap_statement": "x" * 10001}, "gap_statement"), ({"experts_wanted": "2"}, "experts_wanted"),
    ({"experts_wanted": 2.5}, "experts_wanted"), ({"experts_wanted": 11}, "experts_wanted"),
    ({"modality": "teleportation"}, "modality"), ({"urgency": "asap"}, "urgency"),
    ({"topics": ["not-a-topic"]}, "topics"), ({"topics": ["cwc-implementation"] * 2}, "topics"),
    ({"topics": ["law-policy-controls"]}, "topics"),  # a category, not a leaf topic
    ({"topics": ["cwc-implementation", "customs-interdiction", "ports-warehouses", "decontamination",
                 "threat-assessment", "physical-protection"]}, "topics"),
    ({"languages": ["xx"]}, "languages"), ({"country": "Jordan"}, "country"),
    ({"start_date": "2026-13-01"}, "start_date"), ({"start_date": "2027-03-01", "end_date": "2027-02-01"}, "end_date"),
    ({"urgency": "urgent", "urgency_reason": ""}, "urgency_reason"), ({"summary_tlp": "TLP:PURPLE"}, "summary_tlp"),
    ({"surprise": 1}, "surprise"), ({"title": 42}, "title")])
def test_bad_input_is_refused(topics, overrides, field):
    with pytest.raises(ValidationError) as refused:
        RequestIn().load(request_data(**overrides))
    assert field in refused.value.messages


def test_script_tags_are_kept_as_text(topics):
    assert RequestIn().load(request_data(summary=SCRIPT))["summary"] == SCRIPT


def test_arabic_round_trips(topics):
    title = "تعزيز استهداف شحنات سلائف المتفجرات في الميناء"
    assert RequestIn().load(request_data(title=title))["title"] == title


def test_summary_out_holds_nothing_sensitive(users):
    r = make_request(users["member"], S.INVITING, users["coordinator"], annex="Site map", urgency="urgent",
                     urgency_reason="Active supply route")
    reduced = RequestSummaryOut().dump(r)
    for secret in ("gap_statement", "annex", "desired_outcome", "attachments", "urgency_reason"):
        assert secret not in reduced
    text = repr(reduced)
    assert r.gap_statement not in text and "Site map" not in text and "Active supply route" not in text
    assert reduced["reference"] == r.reference and reduced["topics"] == ["customs-interdiction"]
    full = RequestOut().dump(r)
    assert full["gap_statement"] == r.gap_statement and full["attachments"] == []


def test_red_summary_withheld_from_reduced_view(users):
    r = make_request(users["member"], S.SUBMITTED, users["coordinator"], summary_tlp="TLP:RED")
    assert RequestSummaryOut().dump(r)["summary"] == ""
    assert RequestOut().dump(r)["summary"] == r.summary
