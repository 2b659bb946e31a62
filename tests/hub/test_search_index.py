"""The hub's search index is built by the job engine, never in a web request (issue 17): a job builds and saves
it after a commit that publishes, archives or edits a published item; web workers memory-map the live build and
swap when another is live; with no build yet the search page says the search is being prepared."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from expertnet import index_builds
from expertnet.extensions import db
from expertnet.hub import search, services
from expertnet.hub.models import HubSearchGap, ItemStatus
from expertnet.jobs import tasks
from tests.hub.factories import make_item

TITLE = "Decontamination of first responders after a chlorine release"
ITEM = dict(title=TITLE, summary="Steps for hazmat teams to decontaminate people exposed to chlorine gas.",
            body="Remove clothing, rinse with water, monitor breathing.")


@pytest.fixture
def builds(app, monkeypatch):
    """The builds the job engine was asked for (run at once, as the immediate queue does), counted."""
    asked = []
    jobs = app.extensions["jobs"]
    original = jobs.enqueue_hub_index_build
    monkeypatch.setattr(jobs, "enqueue_hub_index_build", lambda: asked.append(1) or original())
    return asked


def test_a_publishing_commit_asks_the_job_to_build_and_save_the_index(app, users, builds):
    item = make_item(users["coordinator"], status=ItemStatus.IN_REVIEW, **ITEM)
    assert not builds, "a draft or an item in review changes nothing the search finds"
    services.move_item(users["coordinator"], item, ItemStatus.PUBLISHED)
    db.session.commit()
    assert len(builds) == 1
    root = search.index_root()
    name = index_builds.current_build(root)
    meta = index_builds.read_meta(root / name)
    assert meta["items"] == [item.id] and meta["stamp"] == search.data_stamp()
    assert (root / name / "items").is_dir()  # (and "topics" once a taxonomy is loaded)
    assert tasks.build_hub_index() is None and index_builds.current_build(root) == name, "current: a no-op"
    services.move_item(users["coordinator"], item, ItemStatus.ARCHIVED)
    db.session.commit()
    assert len(builds) == 2 and index_builds.read_meta(root / index_builds.current_build(root))["items"] == []


def test_a_rolled_back_change_asks_for_nothing(app, users, builds):
    item = make_item(users["coordinator"], **ITEM)
    asked = len(builds)
    services.update_item(users["coordinator"], item, {"language": "en", "title": "Changed", "summary": "x"})
    db.session.rollback()
    db.session.commit()
    assert len(builds) == asked


def test_web_workers_load_the_saved_index_and_swap_when_another_build_is_live(app, users):
    first = make_item(users["coordinator"], **ITEM)
    index = search.hub_index()
    build = index.build
    assert build == index_builds.current_build(search.index_root()) and index.item_ids == {first.id}
    assert not index.preparing and search.hub_index().build == build, "unchanged data: the same build, no reload"
    # A build made elsewhere (another process's job): this worker swaps to it on its next search.
    second = make_item(users["coordinator"], status=ItemStatus.DRAFT, title="Drone detection around plants",
                       summary="Radars and procedures", body="")
    db.session.execute(sa.update(type(second)).where(type(second).id == second.id)
                       .values(status=ItemStatus.PUBLISHED))
    db.session.commit()
    newer = search.build_hub_index()
    assert newer and newer != build
    assert search.hub_index().build == newer and search.hub_index().item_ids == {first.id, second.id}
    assert [hit.item.id for hit in search.search("drone radars", {first.id, second.id}).hits][0] == second.id


def test_without_a_build_the_search_page_says_it_is_being_prepared(app, users, client, monkeypatch):
    make_item(users["coordinator"], **ITEM)  # built at once (immediate jobs) ...
    (search.index_root() / index_builds.BUILD_POINTER).unlink()  # ... and gone: a new installation
    app.extensions.pop("hub_index", None)
    asked = []
    monkeypatch.setattr(app.extensions["jobs"], "enqueue_hub_index_build", lambda: asked.append(1) or True)
    for locale in ("en", "ar"):
        response = client.get("/hub/", query_string={"q": "chlorine decontamination"},
                              headers={"Accept-Language": locale})
        body = response.get_data(as_text=True)
        with force_locale(locale):
            assert gettext("The search is being prepared") in body, locale
        assert locale == "en" or "يجري إعداد البحث" in body
        assert response.status_code == 200 and response.headers["Refresh"] == str(search.PREPARING_RELOAD_SECONDS)
        assert TITLE not in body
    assert len(asked) == 1, "asked once for this data, not on every search"
    assert db.session.scalar(sa.select(sa.func.count(HubSearchGap.id))) == 0, "nothing searched: not a gap"
    assert search.search("chlorine", {1}).preparing and search.topics_of("chlorine") == []
