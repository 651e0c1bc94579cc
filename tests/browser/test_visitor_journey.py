"""A visitor on a phone: Kyrgyz home, switch to Russian, a region on the map, a theme, a search, an initiative."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_visitor_finds_an_initiative_in_their_region(portal, page):
    page.goto(f"{portal}/ky/")
    assert page.locator("html").get_attribute("lang") == "ky"
    assert page.locator("h1").first.inner_text() == "Ынтымактуу Жашоо"

    page.get_by_role("link", name="Русский").click()
    page.wait_for_url(f"{portal}/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"

    # The map: each region is a link with its name and number of initiatives.
    page.locator('svg a[href="/ru/regions/osh/"]').click()
    page.wait_for_url(f"{portal}/ru/regions/osh/")
    assert page.locator("h1").inner_text() == "Ошская область"

    page.get_by_role("link", name="Инициативы", exact=True).first.click()
    page.wait_for_url(f"{portal}/ru/initiatives/")
    page.get_by_label("Тема").select_option(label="Молодежь")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url(re.compile(r".*theme=youth.*"))
    assert re.search(r"\d+ инициатив", page.locator(".result-count").inner_text())

    page.get_by_role("link", name="Сбросить фильтры").click()
    page.get_by_role("searchbox", name="Поиск").fill("Nookat")
    page.get_by_role("searchbox", name="Поиск").press("Enter")
    page.wait_for_url(re.compile(r".*q=Nookat.*"))
    first = page.locator(".grant-card a").first
    assert "Ноокат" in page.locator("main").inner_text()

    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r".*/ru/initiatives/[a-z0-9-]+/$"))
    assert page.locator("h1").inner_text() == title

    # Switching language keeps the visitor on the same initiative.
    slug = page.url.rstrip("/").rsplit("/", 1)[1]
    page.get_by_role("link", name="Кыргызча").click()
    page.wait_for_url(f"{portal}/ky/initiatives/{slug}/")


def test_pages_work_without_javascript(portal, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{portal}/en/initiatives/")
    page.get_by_label("Region").select_option(label="Batken region")
    page.get_by_role("button", name="Show").click()
    assert "3 initiatives" in page.locator(".result-count").inner_text()
    context.close()


def test_nothing_is_wider_than_a_360_pixel_phone(portal, page):
    for path in ("/ky/", "/ky/initiatives/", "/ky/regions/jalal-abad/", "/ky/initiatives/in-the-name-of-unity/"):
        page.goto(f"{portal}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path


def test_keyboard_reaches_the_skip_link_first(portal, page):
    page.goto(f"{portal}/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_home_page_with_everything_it_loads_stays_under_250_kb(portal, page):
    sizes = {}
    page.on("response", lambda response: sizes.__setitem__(response.url, len(response.body())))
    page.goto(f"{portal}/ky/", wait_until="networkidle")
    total = sum(sizes.values())
    assert total < 250 * 1024, sizes
    assert all(url.startswith(portal) for url in sizes), "everything comes from the portal itself"
