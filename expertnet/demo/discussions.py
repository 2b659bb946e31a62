"""The demo's discussions (issue 17): threads in English, Arabic and French on taxonomy topics and hub items, with
replies, a mention (its notification waits in the bell and the outbox), a reported post in the moderators' queue
and a hidden one; and, once the groups exist, threads in the spaces of the MENA network (in Arabic, started by its
regional coordinator) and of the cross-sector advisory group (issue 18). Everything is written through the
discussions' services, so followers and audit rows are real."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import Organisation, User
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.hub.discussions import services
from expertnet.hub.discussions.models import Post, Thread
from expertnet.hub.discussions.places import Place, find_place
from expertnet.hub.models import HubItem, HubText, ItemStatus

# (place kind, topic slug or the English title of a hub item, language, title, [(author e-mail, text), ...])
THREADS = [
    ("topic", "supply-chain-kyc", "en", "What do your retailers ask a buyer of concentrated hydrogen peroxide?", [
        ("lina.khoury@aqaba-customs.jo.example", "We are drafting guidance for shops near the port. Which questions "
         "do your retailers ask before selling hydrogen peroxide above 12%, and do they record the answers?"),
        ("marloes.visser@rhdgi.nl.example", "Our inspectors ask for the intended use and an ID, and the shop keeps a "
         "copy for two years. The EU Regulation 2019/1148 annex lists the limits."),
        ("elena.moreno@gc-nrbq.es.example", "In our training we add one question: will you need it again soon? "
         "Repeat buyers of small amounts are the pattern to watch. @Josephine.Wairimu ran a similar outreach in "
         "Nairobi."),
        ("josephine.wairimu@npa-ccu.ke.example", "Yes: a one-page card for the counter, in English and Swahili, "
         "and a phone number for suspicious orders. I can share the card."),
    ]),
    ("topic", "first-response-hazmat", "ar", "إزالة التلوث الجماعي في الشتاء: ما تجربتكم؟", [
        ("ahmed.abdelhamid@civilprotection.eg.example", "نخطط لتمرين إزالة تلوث جماعي في الشتاء. كيف تتعاملون "
         "مع خطر انخفاض حرارة المصابين بعد الغسل بالماء؟"),
        ("mona.fawzy@civilprotection.eg.example", "استخدمنا خيمة مدفأة وبطانيات معدنية، وقلّلنا مدة الغسل إلى "
         "دقيقة ونصف مع التجريد الجاف أولاً."),
        ("rami.abudayyeh@secretariat.expertnet.example", "شكراً لكما. في المركز دليل تدريبي عن إزالة التلوث "
         "الجماعي يتناول التجريد الجاف؛ @mohammad.alzoubi هل جرّبتم ذلك في الأردن؟"),
    ]),
    ("item", "Know-your-customer checks for sales of explosives precursors", "fr",
     "Adapter la liste de contrôle aux pharmacies", [
        ("aurelie.marchand@gend-precurseurs.fr.example", "La liste de contrôle est très utile. L'avez-vous adaptée "
         "aux pharmacies, qui vendent aussi du peroxyde d'hydrogène ?"),
        ("nicolas.perrin@gend-precurseurs.fr.example", "Oui, avec deux questions en moins et un rappel sur le "
         "signalement. Je peux la traduire pour le hub."),
        ("youssef.tazi@cnsc.ma.example", "Contact me directly on +212 600 000 000 and send the warehouse address, "
         "I sell large quantities without paperwork."),
    ]),
    ("item", "Risk indicators for precursor shipments by sea", "en", "Indicators for transshipment through free zones", [
        ("fatima.alsuwaidi@fz-risk.ae.example", "Has anyone adapted these indicators to transshipment, where the "
         "declared consignee changes inside the free zone?"),
        ("chinedu.okeke@lagos-risk.ng.example", "We flag a consignee change within 48 hours of arrival together with "
         "an HS 2847 line. It caught two cases last year."),
        ("omar.alhammadi@eciassoc.ae.example", "Industry can help: our members see the changed purchase orders first. "
         "The shipment to the warehouse at the north quay, container MSCU 123456, is the one to check."),
    ]),
]
# Threads in groups' own spaces: (group slug, language, title, [(author e-mail, text), ...]).
GROUP_THREADS = [
    ("mena", "ar", "تفتيش مخازن نترات الأمونيوم في موانئ المنطقة: قائمة مشتركة؟", [
        ("layla.almasri@secretariat.expertnet.example", "أقترح أن نعدّ قائمة تفتيش مشتركة لمخازن نترات الأمونيوم "
         "في موانئ الشبكة الإقليمية قبل ورشة الربيع. ما البنود التي تعتمدونها اليوم؟"),
        ("lina.khoury@aqaba-customs.jo.example", "في العقبة نتحقق من فصل المخزون عن الوقود، ومن سجل الكميات "
         "اليومي، ومن مدة بقاء الشحنة في الساحة. يمكنني مشاركة نموذجنا."),
        ("rashed.alkaabi@fz-risk.ae.example", "نضيف بنداً عن الشحنات العابرة التي يتغير مستلمها داخل المنطقة "
         "الحرة، فهي الحالة الأصعب عندنا."),
        ("ahmed.abdelhamid@civilprotection.eg.example", "ومن جهة الحماية المدنية: خطة إخلاء مكتوبة ومسافة أمان "
         "معلنة لكل مخزن. سأرسل ما لدينا بالعربية."),
    ]),
    ("cross-sector-advisory-group", "en", "Suspicious online orders: what member companies saw this quarter", [
        ("omar.alhammadi@eciassoc.ae.example", "Three member companies had web-shop orders for concentrated nitric "
         "acid paid with prepaid cards and shipped to a parcel locker. Does anyone see the same pattern?"),
        ("helena.marsh@secretariat.expertnet.example", "Thank you. Please keep the details to the pattern here; "
         "the coordinators take the company names through a request, so the right agency can follow up."),
    ]),
]
REPORTED = ("youssef.tazi@cnsc.ma.example", "nicolas.perrin@gend-precurseurs.fr.example",
            "Looks like an offer to sell precursors without checks.")
HIDDEN = ("omar.alhammadi@eciassoc.ae.example", "helena.marsh@secretariat.expertnet.example",
          "Names a container and a site: send identifying details to the coordinators, not to the forum.")


def _users() -> dict[str, User]:
    return {u.email: u for u in db.session.scalars(sa.select(User))}


def _item_key(title: str) -> str:
    item_id = db.session.scalar(sa.select(HubText.item_id).join(HubItem).where(
        HubText.title == title, HubItem.status == ItemStatus.PUBLISHED))
    return str(item_id)


def _thread(users: dict[str, User], place: Place, days_ago: int, language: str, title: str, posts: list) -> Thread:
    """A thread started `days_ago` with its replies five hours apart, each through the services."""
    (first_author, first), *replies = posts
    thread = services.start_thread(users[first_author], place, {"title": title, "language": language, "body": first})
    for author, text in replies:
        services.reply(users[author], thread, place, text)
    start = utcnow() - timedelta(days=days_ago)
    for index, post in enumerate(thread.posts):
        post.created_at = start + timedelta(hours=5 * index)
    thread.created_at, thread.last_post_at = start, thread.posts[-1].created_at
    return thread


def seed_discussions(_admin: User, _organisations: dict[str, Organisation]) -> None:
    users = _users()
    threads = []
    for days, (kind, key, language, title, posts) in zip((9, 6, 4, 2), THREADS):
        place = find_place(kind, key if kind == "topic" else _item_key(key))
        if place is not None:
            threads.append(_thread(users, place, days, language, title, posts))
    db.session.flush()
    by_author = {p.author_id: (t, p) for t in threads for p in t.posts}
    reported_post = by_author[users[REPORTED[0]].id][1]
    services.report_post(users[REPORTED[1]], reported_post, REPORTED[2])
    hidden_post = by_author[users[HIDDEN[0]].id][1]
    services.report_post(users["fatima.alsuwaidi@fz-risk.ae.example"], hidden_post, "It names a container.")
    services.hide_post(users[HIDDEN[1]], hidden_post, HIDDEN[2])
    db.session.flush()


def seed_group_discussions(_admin: User, _organisations: dict[str, Organisation]) -> None:
    """After the groups step: the groups' own discussion spaces."""
    users = _users()
    for days, (slug, language, title, posts) in zip((5, 3), GROUP_THREADS):
        place = find_place("group", slug)
        if place is not None:
            _thread(users, place, days, language, title, posts)
    db.session.flush()
