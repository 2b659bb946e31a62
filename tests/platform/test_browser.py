"""The pages in a real headless Chromium: sign-in, the Arabic mirror, and a sweep of every page per role."""
from urllib.parse import urljoin, urlsplit

import pytest
from flask_babel import force_locale, gettext

from expertnet.accounts.models import Role
from tests.conftest import browser_sign_in, make_user

PHONE_WIDTH = 390


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_sign_in_then_switch_to_arabic_mirrors_the_layout(app, live_server, page):
    user = make_user(Role.ADMIN, full_name="Amira Haddad")
    browser_sign_in(page, live_server.url, user.email)
    assert page.locator("h1").inner_text().endswith("Amira Haddad")
    english_brand = page.locator(".brand").bounding_box()
    page.click("button[name=locale][value=ar]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    with force_locale("ar"):
        home, sign_out = gettext("Home"), gettext("Sign out")
    assert home != "Home" and page.locator(".main-nav").get_by_text(home).is_visible()
    assert page.get_by_role("button", name=sign_out).is_visible()
    arabic_brand = page.locator(".brand").bounding_box()
    tools = page.locator(".header-tools").bounding_box()
    # Mirrored: the brand moves from the left edge to the right edge, the tools to the left.
    assert english_brand["x"] < 100 and arabic_brand["x"] > tools["x"]
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    assert no_horizontal_scroll(page)
    page.problems.assert_clean()


def test_anonymous_pages_in_both_languages_and_widths(app, live_server, page_factory):
    for locale in ("en-GB", "ar"):
        page = page_factory(locale=locale)
        for path in ("/", "/sign-in", "/apply", "/password/forgot"):
            page.goto(live_server.url + path)
            assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
            page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
            assert no_horizontal_scroll(page), path
            page.set_viewport_size({"width": 1280, "height": 900})
        page.problems.assert_clean()


# Files download rather than open as pages (the agency's files and the experts' deliverables among them).
SKIPPED_LINK_PARTS = ("/download", "/export", ".csv", ".json", "/static/", "/attachments/", "/deliverables/", ".ics",
                      "/materials/")


def same_site_links(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href], header a[href]", "els => els.map(e => e.getAttribute('href'))")
    links = []
    for href in hrefs:
        url = urljoin(page.url, href)
        if urlsplit(url).netloc == urlsplit(base_url).netloc and not any(p in url for p in SKIPPED_LINK_PARTS):
            links.append(url.split("#")[0])
    return links


def sweep(page, base_url: str, limit: int) -> list[str]:
    """Visit pages breadth-first from the home page; each must load cleanly at desktop and phone width."""
    queue, seen, visited = [base_url + "/"], set(), []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        # One page of each kind is enough: /requests/12 and /requests/13 share a template.
        shape = "/".join("<id>" if part.isdigit() else part for part in path.split("/"))
        if shape in seen:
            continue
        seen.add(shape)
        response = page.goto(url)
        assert response.status < 400, f"{url} -> {response.status}"
        visited.append(path)
        assert no_horizontal_scroll(page), f"{url} scrolls sideways at desktop width"
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
        assert no_horizontal_scroll(page), f"{url} scrolls sideways at phone width"
        page.set_viewport_size({"width": 1280, "height": 900})
        queue.extend(same_site_links(page, base_url))
    return visited


@pytest.mark.parametrize("role", ["admin", "coordinator", "member", "member (ar)", "expert", "expert (ar)"])
def test_every_page_for_every_role_is_clean_in_english_and_arabic(demo_network, live_server, page_factory, role):
    from expertnet.demo.credentials import DEMO_PASSWORD, demo_credentials

    email = dict(demo_credentials())[role]
    for locale in ("en-GB", "ar"):
        page = page_factory(locale=locale)
        browser_sign_in(page, live_server.url, email, DEMO_PASSWORD)
        page.click(f"button[name=locale][value={locale[:2]}]") if page.locator(
            f"button[name=locale][value={locale[:2]}]").count() else None
        visited = sweep(page, live_server.url, limit=40)
        assert len(visited) >= 2, visited
        assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
        page.problems.assert_clean()
