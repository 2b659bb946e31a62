"""Cross-lingual search over published items (issue 17, item 3) on a fixed set: an Arabic query finds English
guidance and the reverse, with reasons; a search with no good result is recorded (language, topics, never the
text) for the coordinators' gaps view."""
import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.hub import search
from expertnet.hub.models import HubSearchGap, ItemStatus
from tests.hub.factories import make_item
from tests.requests.factories import ensure_topics

FIXED_SET = [
    dict(language="en", title="Know-your-customer checks for sales of explosives precursors",
         summary="How chemical retailers verify buyers and report suspicious orders of restricted precursors.",
         body="Ask for identification and the intended use; refuse and report unusual quantities."),
    dict(language="en", title="Decontamination of first responders after a chlorine release",
         summary="Steps for hazmat teams to decontaminate people exposed to chlorine gas.",
         body="Remove clothing, rinse with water, monitor breathing."),
    dict(language="ar", title="حماية أنظمة التحكم الصناعي في مصانع الكيماويات من الهجمات السيبرانية",
         summary="إرشادات لتأمين أنظمة التحكم الصناعي والتشغيل في المنشآت الكيميائية ضد الاختراق.",
         body="فصل الشبكات، مراقبة الدخول عن بعد، تحديث البرمجيات بانتظام."),
    dict(language="fr", title="Contrôle des drones autour des sites chimiques",
         summary="Détecter et contrer les drones qui survolent des installations chimiques sensibles.",
         body="Radars, brouillage autorisé, procédures avec la police."),
]


def _titles(found):
    return [hit.item.texts[0].title for hit in found.hits]


def _published(editor):
    return {entry["title"]: make_item(editor, **entry) for entry in FIXED_SET}


def test_an_arabic_query_finds_english_guidance_and_an_english_query_arabic(users):
    ensure_topics()
    items = _published(users["coordinator"])
    allowed = set(item.id for item in items.values())
    found = search.search("التحقق من هوية المشترين عند بيع سلائف المتفجرات", allowed, locale="ar")
    assert _titles(found)[0] == FIXED_SET[0]["title"] and not found.weak and found.language == "ar"
    assert {reason.kind for reason in found.hits[0].reasons} & {"meaning", "term", "topic"}  # reasons shown
    found = search.search("cyber security of industrial control systems in chemical plants", allowed)
    assert _titles(found)[0] == FIXED_SET[2]["title"] and found.language == "en"
    found = search.search("drones flying over chemical facilities", allowed)
    assert _titles(found)[0] == FIXED_SET[3]["title"]


def test_search_ranks_only_what_the_reader_may_see(users):
    items = _published(users["coordinator"])
    hidden = items[FIXED_SET[1]["title"]].id
    found = search.search("chlorine decontamination of responders", set(i.id for i in items.values()) - {hidden})
    assert hidden not in {hit.item.id for hit in found.hits}


def test_the_index_follows_publishing(users):
    make_item(users["coordinator"], **FIXED_SET[1])
    first = search.hub_index()
    stamp = first.stamp
    draft = make_item(users["coordinator"], status=ItemStatus.DRAFT, **FIXED_SET[3])
    assert search.hub_index().stamp == stamp  # a draft does not refit
    from expertnet.hub import services
    services.move_item(users["coordinator"], draft, ItemStatus.IN_REVIEW)
    services.move_item(users["coordinator"], draft, ItemStatus.PUBLISHED)
    db.session.commit()
    assert draft.id in search.hub_index().item_ids


def test_a_search_with_no_good_result_is_a_gap_for_coordinators(users, auth, client):
    ensure_topics()
    _published(users["coordinator"])
    auth.login(users["member"])
    page = client.get("/hub/", query_string={"q": "تدريب على التحقيق في الجرائم الكيميائية وجمع الأدلة الجنائية"})
    assert page.status_code == 200
    gap = db.session.scalar(sa.select(HubSearchGap))
    assert gap is not None and gap.language == "ar"
    assert "الجرائم" not in str(gap.topics)  # the text itself is never kept
    auth.logout()
    auth.login(users["coordinator"])
    gaps = client.get("/hub/gaps").get_data(as_text=True)
    assert "Arabic" in gaps and "1 search found nothing good." in gaps


def test_topics_of_a_query_in_any_language(users):
    ensure_topics()
    assert "decontamination" in search.topics_of("إزالة التلوث عن المصابين بعد تسرب مادة كيميائية")
