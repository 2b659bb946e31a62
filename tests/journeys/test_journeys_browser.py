"""The journeys of issue 13 end to end in headless Chromium, through the real pages only: a member files a request
-> a coordinator triages it and invites the expert the suggestions page ranks first -> the expert accepts the
confidentiality terms and the invitation, starts, writes a progress note, uploads a deliverable and submits the
completion report -> the coordinator accepts the report (the request follows: delivered) and closes the request
in one confirmed step -> the member sees the outcome (the accepted report with its deliverable) and gives feedback.

Run in English driven at desktop width and in Arabic (users whose language is Arabic) driven at phone width;
every page shown is also looked at the other width. On every page: the reader's language and direction, no
sideways scrolling (document.scrollingElement.scrollWidth <= innerWidth), no server error; throughout: no
JavaScript error and no request leaving 127.0.0.1. Also: Back after submitting a new request, then submitting
the form again, files one request and answers with an "already submitted" page leading to it; and the Arabic
coordinator queue and request pages isolate organisation names, references, country names and titles (the DOM
is asserted, not the status code)."""
import sqlalchemy as sa
from babel import Locale
from flask_babel import force_locale, gettext
import pytest

from expertnet.accounts.models import Role
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, Feedback, RequestStatus as S
from tests.attachments.test_storage import PDF_BYTES
from tests.conftest import browser_sign_in, make_organisation, make_user
from tests.engagements.factories import ensure_topics, make_expert

DESKTOP, PHONE = (1280, 900), (390, 844)
AGENCY = "Mexican Federal Commission for Chemical Risk Regulation"
COUNTRY = "MX"
TOPIC = "customs-interdiction"
DELIVERABLE = "precursor-indicators.pdf"
TEXT = {
    "en": {"title": "Targeting precursor shipments at the port",
           "summary": "Customs needs risk indicators for precursor chemicals arriving by sea.",
           "gap": "Our risk engine has no indicators for HS chapters 28 and 29; three shipments passed unchecked.",
           "invite": "Could you advise the port customs on precursor targeting?",
           "note": "Kick-off call held with the targeting unit; indicators drafted.",
           "report": "Twelve risk indicators delivered and twenty officers trained on them.",
           "comment": "Very practical help, thank you."},
    "ar": {"title": "تعزيز استهداف شحنات سلائف المتفجرات في الميناء",
           "summary": "تطلب الجمارك دعماً لتطوير مؤشرات المخاطر الخاصة بشحنات السلائف الكيميائية الواردة.",
           "gap": "لا يملك قسم إدارة المخاطر حالياً مؤشرات استهداف مخصصة للمواد المصنفة في الفصلين 28 و29.",
           "invite": "هل يمكنك تقديم المشورة لجمارك الميناء بشأن استهداف السلائف؟",
           "note": "عُقد اجتماع الانطلاق مع وحدة الاستهداف وصيغت المؤشرات الأولى.",
           "report": "سُلّم اثنا عشر مؤشراً للمخاطر ودُرّب عشرون موظفاً على استخدامها.",
           "comment": "مساعدة عملية جداً، شكراً لكم."},
}
# The browser's language follows the user's: an Arabic reader's Chromium asks for Arabic too.
BROWSER_LOCALE = {"en": "en-GB", "ar": "ar"}


def t(locale: str, text: str, **values) -> str:
    """A message in the reader's language, from the application's own catalogues."""
    with force_locale(locale):
        return gettext(text, **values)


def db_request() -> AssistanceRequest:
    db.session.expire_all()
    return db.session.scalars(sa.select(AssistanceRequest)).one()


# What sticks out past the right edge (or, in Arabic, the left one), for the failure message.
WIDER_THAN_THE_PAGE = """() => [...document.querySelectorAll('main *')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.right > innerWidth + 1 || r.left < -1; })
    .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} ${(e.textContent || '').trim().slice(0, 40)}`)"""


DUPLICATE_IDS = """() => { const seen = new Set(), twice = new Set();
    document.querySelectorAll('[id]').forEach(e => (seen.has(e.id) ? twice : seen).add(e.id)); return [...twice]; }"""


class Visitor:
    """One person's browser (its own context, so its own sign-in) driven at one width; each page it shows is also
    looked at the other width (desktop or phone) before going on."""

    def __init__(self, page_factory, base_url: str, locale: str, size: tuple[int, int]):
        self.base_url, self.locale, self.size = base_url, locale, size
        self.page = page_factory(width=size[0], height=size[1], locale=BROWSER_LOCALE[locale])
        self.page.set_default_timeout(10_000)
        self.server_errors: list[str] = []
        self.page.on("response", lambda response: self.server_errors.append(f"{response.status} {response.url}")
                     if response.status >= 500 else None)
        self.dialogs: list[str] = []
        self.page.on("dialog", self._answer_yes)  # a data-confirm question is answered "yes", and counted

    def _answer_yes(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept()

    def at_both_widths(self, check) -> None:
        """Run `check()` at the width the page is driven at, then at the other one; the driven width stays."""
        other = PHONE if self.size == DESKTOP else DESKTOP
        check()
        self.page.set_viewport_size({"width": other[0], "height": other[1]})
        try:
            check()
        finally:
            self.page.set_viewport_size({"width": self.size[0], "height": self.size[1]})

    def sign_in(self, user) -> "Visitor":
        browser_sign_in(self.page, self.base_url, user.email)
        assert "/sign-in" not in self.page.url, f"{user.email} could not sign in"
        return self.looked_at()

    def goto(self, path: str) -> "Visitor":
        self.page.goto(self.base_url + path)
        return self.looked_at()

    def click(self, locator) -> "Visitor":
        """Click something that loads a page (a link, a form's button), then check that page."""
        locator.click()
        self.page.wait_for_load_state()
        return self.looked_at()

    # The page's own controls (not the header's), found as a reader finds them: by their name or label in the
    # reader's language, taken from the application's catalogues.
    def button(self, text: str):
        return self.page.locator("main").get_by_role("button", name=t(self.locale, text), exact=True)

    def link(self, text: str):
        return self.page.locator("main").get_by_role("link", name=t(self.locale, text), exact=True)

    def field(self, text: str):
        return self.page.locator("main").get_by_label(t(self.locale, text), exact=True)

    def looked_at(self) -> "Visitor":
        page = self.page
        path = page.url.removeprefix(self.base_url)
        assert self.server_errors == [], self.server_errors
        assert page.get_attribute("html", "lang") == self.locale, f"{path} is not in the reader's language"
        assert page.get_attribute("html", "dir") == ("rtl" if self.locale == "ar" else "ltr"), path

        def fits() -> None:
            assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), \
                f"{path} scrolls sideways at {page.viewport_size['width']} px: {page.evaluate(WIDER_THAN_THE_PAGE)}"

        self.at_both_widths(fits)
        twice = page.evaluate(DUPLICATE_IDS)
        assert twice == [], f"{path}: ids {twice} name two elements each, so a label or a link is wrong"
        return self

    def assert_clean(self) -> None:
        self.page.problems.assert_clean()
        assert self.server_errors == [], self.server_errors


def choose(page, name: str, values: list[str]) -> None:
    """Choose values of a multiple choice by their codes, whether it is drawn as a <select multiple> or as a
    list of checkboxes (the usable multi-select issue 13 asks for)."""
    if page.locator(f"select[name={name}]").count():
        page.select_option(f"select[name={name}]", values)
    else:
        for value in values:
            page.check(f"input[type=checkbox][name={name}][value='{value}']")


def fill_new_request(visitor: Visitor, text: dict) -> None:
    page = visitor.page
    visitor.field("Title").fill(text["title"])
    visitor.field("Shareable summary").fill(text["summary"])
    visitor.field("The gap").fill(text["gap"])
    choose(page, "topics", [TOPIC])
    choose(page, "languages", ["en"])
    page.select_option("select[name=country]", COUNTRY)
    visitor.field("I am authorised by my agency to make this request").check()


# ---- bidi isolation, read from the DOM ----

# For each text node holding `fragment`: the nearest ancestor that keeps its text apart from the text around it
# -- an element the browser isolates (computed unicode-bidi isolate/plaintext/isolate-override: <bdi>, any
# element with a dir attribute, .ltr), or a block box, which is a bidi paragraph of its own -- must hold exactly
# the fragment. An isolate around the whole line would not keep the line's parts apart. The filters' choices
# (a country list, say) are not what is checked: only what the page shows of its objects.
UNISOLATED = """fragment => {
  const bad = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  let seen = 0;
  const apart = el => {
    const style = getComputedStyle(el);
    return ['isolate', 'plaintext', 'isolate-override'].includes(style.unicodeBidi)
      || !['inline', 'contents', 'inline-block'].includes(style.display);
  };
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.includes(fragment) || node.parentElement.closest('select, form[method=get i]')) continue;
    seen += 1;
    let el = node.parentElement;
    while (el && !apart(el)) el = el.parentElement;
    if (!el || el.textContent.trim() !== fragment) bad.push((el || node.parentElement).outerHTML.slice(0, 300));
  }
  return {seen, bad};
}"""


def assert_isolated(visitor: Visitor, fragments: dict[str, str]) -> None:
    visitor.at_both_widths(lambda: _assert_isolated(visitor.page, fragments))


def _assert_isolated(page, fragments: dict[str, str]) -> None:
    problems = []
    for what, fragment in fragments.items():
        found = page.evaluate(UNISOLATED, fragment)
        if not found["seen"]:
            problems.append(f"{what} {fragment!r} is not shown")
        elif found["bad"]:
            problems.append(f"{what} {fragment!r} is not isolated: {found['bad']}")
    assert problems == [], f"on {page.url} at {page.viewport_size['width']} px: " + "\n".join(problems)


# ---- the journey ----

@pytest.mark.parametrize("locale, size", [("en", DESKTOP), ("ar", PHONE)], ids=["en-desktop", "ar-phone"])
def test_request_to_feedback_journey(app, live_server, page_factory, locale, size):
    ensure_topics()
    text = TEXT[locale]
    member = make_user(Role.MEMBER, make_organisation(AGENCY, COUNTRY), locale=locale, full_name="Lina Khoury")
    coordinator = make_user(Role.COORDINATOR, locale=locale, full_name="Helena Marsh")
    expert = make_expert(user=make_user(Role.EXPERT, locale=locale, full_name="Omar Haddad"),
                         headline="Customs targeting of precursor shipments at sea ports",
                         expertise_statement="Risk profiling of precursor chemical shipments, HS chapters 28 and 29, "
                                             "targeting at ports and training of customs officers.")
    make_expert(topics=("lab-analysis-accreditation",), headline="Forensic laboratory accreditation",
                expertise_statement="ISO 17025 quality systems for forensic laboratories.")
    url = live_server.url

    # 1. The member files the request from their list of requests.
    agency = Visitor(page_factory, url, locale, size).sign_in(member)
    agency.goto("/requests/")
    agency.click(agency.link("New request"))
    fill_new_request(agency, text)
    agency.click(agency.button("Submit request"))
    assistance_request = db_request()
    assert assistance_request.status == S.SUBMITTED and assistance_request.reference.startswith("TA-")
    assert agency.page.locator("#request-status").inner_text() == t(locale, "Submitted")
    rid, reference = assistance_request.id, assistance_request.reference

    # 2. The coordinator finds it in the queue, triages it and invites the expert the suggestions page ranks first.
    desk = Visitor(page_factory, url, locale, size).sign_in(coordinator)
    desk.goto("/coordination/queue")
    fragments = {"organisation": AGENCY, "reference": reference, "title": text["title"],
                 "country": Locale.parse(locale).territories[COUNTRY]}
    if locale == "ar":
        assert_isolated(desk, fragments)
        desk.goto(f"/requests/{rid}")  # the full request page, as the coordinators read it
        assert_isolated(desk, fragments)
        desk.goto("/coordination/queue")
    desk.click(desk.page.locator(f"main a[href='/coordination/requests/{rid}']").first)
    if locale == "ar":
        assert_isolated(desk, fragments)
    desk.click(desk.page.locator("main button[name=to_status][value=triage]"))
    desk.click(desk.page.locator("main button[name=to_status][value=matching]"))
    assert db_request().status == S.MATCHING
    desk.click(desk.link("Suggested experts"))
    first = desk.page.locator("table.suggestions tbody tr").first
    assert first.locator(f"input[name=expert_ids][value='{expert.id}']").count() == 1, "the expert is not ranked first"
    first.locator(f"input[name=expert_ids][value='{expert.id}']").check()
    desk.field("Message to the experts").fill(text["invite"])
    desk.click(desk.page.locator("main [type=submit][name=submit_invite]"))
    assert desk.page.url.endswith(f"/coordination/requests/{rid}")
    invitation = db.session.scalars(sa.select(Invitation).where(Invitation.request_id == rid)).one()
    assert invitation.expert_id == expert.id and invitation.status == InvitationStatus.PENDING
    assert db_request().status == S.INVITING

    # 3. The expert accepts the terms and the invitation, starts, notes progress, delivers and reports.
    work = Visitor(page_factory, url, locale, size).sign_in(expert.user)
    work.goto("/invitations")
    work.click(work.page.locator(f"main a[href='/invitations/{invitation.id}']").first)
    assert text["gap"] not in work.page.content(), "the gap is shown before the terms are accepted"
    work.field("I have read and accept these confidentiality terms").check()
    work.click(work.button("Accept the terms"))
    work.click(work.button("Accept the invitation"))
    engagement = db.session.scalars(sa.select(Engagement).where(Engagement.invitation_id == invitation.id)).one()
    assert work.page.url.endswith(f"/engagements/{engagement.id}") and text["gap"] in work.page.content()
    assert db_request().status == S.ASSIGNED
    work.click(work.button("Start work"))
    assert db_request().status == S.IN_PROGRESS, "the request does not follow its started engagement"
    # By name: the progress note's label points at the conversation's box, which has the same id ("body").
    work.page.fill("#progress textarea[name=body]", text["note"])
    work.click(work.button("Add the note"))
    assert text["note"] in work.page.locator("#progress").inner_text()
    work.field("Deliverable").set_input_files(files=[
        {"name": DELIVERABLE, "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    work.click(work.button("Upload"))
    assert DELIVERABLE in work.page.locator("#deliverables").inner_text()
    # By name: the report's label points at the section that has the same id ("report").
    work.page.fill("#report textarea[name=report]", text["report"])
    work.field("Days spent (optional)").fill("5")
    work.click(work.button("Submit the report"))
    db.session.expire_all()
    assert engagement.status == EngagementStatus.REPORT_SUBMITTED
    assert text["report"] in work.page.locator("#report").inner_text()

    # 4. The coordinator accepts the report; the request follows (delivered), and one confirmed step closes it.
    desk.goto(f"/coordination/requests/{rid}")
    desk.click(desk.page.locator(f"main a[href='/coordination/engagements/{engagement.id}']").first)
    assert text["report"] in desk.page.locator("main").inner_text()
    desk.click(desk.button("Accept the report"))
    db.session.expire_all()
    assert engagement.status == EngagementStatus.REPORT_ACCEPTED
    assert db_request().status == S.DELIVERED, "the request's status ignores its accepted report (issue 13 bug 4)"
    desk.goto(f"/coordination/requests/{rid}")
    assert t(locale, "Delivered") in desk.page.locator(".page-head").inner_text()
    close = desk.page.locator("main button[name=to_status][value=closed]")
    assert close.count() == 1, "the desk offers no closing step once the report is accepted"
    confirm = desk.page.locator("main input[type=checkbox][name=confirm_close]")
    confirmations = confirm.count()
    if confirmations:  # a guard rail's warning, confirmed on the same form
        confirm.check()
    desk.click(close)
    assert confirmations + len(desk.dialogs) <= 1, f"closing asked for more than one confirmation: {desk.dialogs}"
    assert db_request().status == S.CLOSED, "one confirmed step does not close the request"
    db.session.expire_all()
    assert engagement.status == EngagementStatus.CLOSED, "closing the request leaves its engagement open"

    # 5. The member sees the outcome -- the accepted report and its deliverable -- and gives feedback.
    agency.goto(f"/requests/{rid}")
    assert agency.page.locator("#request-status").inner_text() == t(locale, "Closed")
    assert text["report"] in agency.page.locator("main").inner_text(), \
        "the member does not see the accepted completion report"
    outcome = agency.page.locator("main section").filter(has_text=text["report"]).last
    deliverable = outcome.get_by_role("link", name=DELIVERABLE)
    assert deliverable.count() == 1, "the deliverable is not shown with the accepted report"
    with agency.page.expect_download() as download:
        deliverable.click()
    assert download.value.suggested_filename == DELIVERABLE
    agency.field("Usefulness").select_option("5")
    agency.field("Timeliness").select_option("4")
    agency.field("Expertise").select_option("5")
    agency.field("Comment").fill(text["comment"])
    agency.click(agency.button("Send feedback"))
    assert text["comment"] in agency.page.locator("#feedback").inner_text()
    feedback = db.session.scalars(sa.select(Feedback).where(Feedback.request_id == rid)).one()
    assert (feedback.usefulness, feedback.timeliness, feedback.expertise) == (5, 4, 5)

    for visitor in (agency, desk, work):
        visitor.assert_clean()


# ---- the Back button ----

@pytest.mark.parametrize("locale", ["en", "ar"])
def test_back_and_submit_again_files_one_request(app, live_server, page_factory, locale):
    """Submit a new request, press Back, submit the form the browser shows again: still one request, and a page
    that says it was already submitted and leads to it (issue 13 bug 1)."""
    ensure_topics()
    member = make_user(Role.MEMBER, make_organisation(AGENCY, COUNTRY), locale=locale)
    agency = Visitor(page_factory, live_server.url, locale, PHONE if locale == "ar" else DESKTOP).sign_in(member)
    agency.goto("/requests/")
    agency.click(agency.link("New request"))
    fill_new_request(agency, TEXT[locale])
    agency.click(agency.button("Submit request"))
    first = db_request()
    assert first.status == S.SUBMITTED

    agency.page.go_back()
    agency.page.wait_for_load_state()
    agency.looked_at()
    # The form comes back as it was sent: Chromium puts the typed text back into the fields.
    assert agency.page.input_value("textarea[name=summary]") == TEXT[locale]["summary"]
    agency.click(agency.button("Submit request"))
    db.session.expire_all()
    count = db.session.scalar(sa.select(sa.func.count(AssistanceRequest.id)))
    assert count == 1, f"the Back button and a second sending filed {count} requests"
    # The "already submitted" page: not the request's own page, and a link that opens the request filed first.
    assert agency.page.locator("#request-status").count() == 0
    open_it = agency.page.locator(f"main a[href$='/requests/{first.id}']")
    assert open_it.count() >= 1, "the repeat's page does not lead to the request filed the first time"
    agency.click(open_it.first)
    assert agency.page.locator("#request-status").inner_text() == t(locale, "Submitted")
    agency.assert_clean()
