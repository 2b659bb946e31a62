"""The excluded experts are named up to EXCLUDED_LISTED per reason and the rest counted (issue 15: a network of
100k experts leaves thousands out; the page must stay small)."""
from expertnet.coordination import exclusions
from tests.coordination.test_suggestions_page import START, TWIN, coordinator, matching_request, suggestions_page  # noqa: F401
from tests.coordination.factories import make_expert


def test_a_reason_names_its_first_experts_and_counts_the_rest(client, auth, coordinator, matching_request,
                                                             monkeypatch):
    monkeypatch.setattr(exclusions, "EXCLUDED_LISTED", 2)
    full = [make_expert(capacity=0, **TWIN) for _ in range(3)]
    make_expert(**TWIN)
    auth.login(coordinator)
    html, _picks = suggestions_page(client, matching_request)
    assert '<span class="badge">3</span>' in html
    assert html.count('id="excluded-expert-') == 2 and f'id="excluded-expert-{full[0].id}"' in html
    assert "and 1 more expert" in html
