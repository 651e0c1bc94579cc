"""The filter and sign-in forms in a real browser: what a visitor picks and types is what the lists show (without
JavaScript too), a filter that cannot be used is named, and the pages pass axe-core (which needs JavaScript to run:
those tests use a page with it, though the portal's pages have none)."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _serious(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_a_shared_address_with_an_unknown_filter_is_named_and_can_be_corrected(portal, no_script_page):
    page = no_script_page
    page.goto(f"{portal}/ru/initiatives/?region=atlantis&status=active")
    assert page.get_by_role("alert").inner_text() == (
        "Эти фильтры нельзя применить: Регион. Исправьте их и попробуйте снова."
    )
    assert page.locator(".result-count").inner_text() == "0 инициатив"
    page.get_by_label("Регион").select_option(label="Баткенская область")
    page.get_by_role("button", name="Показать").click()
    assert "region=batken" in page.url and "status=active" in page.url
    assert page.get_by_role("alert").count() == 0
    assert page.locator(".result-count").inner_text() == "3 инициативы"


def test_mediators_filters_without_javascript(portal, no_script_page):
    page = no_script_page
    page.goto(f"{portal}/en/mediators/")
    page.get_by_label("Region").select_option(label="Batken region")
    page.get_by_role("button", name="Show").click()
    assert "region=batken" in page.url
    assert page.get_by_role("link", name="Clear filters").is_visible()


def test_a_donor_signs_in_filters_the_reports_by_dates_and_downloads_the_same_grants(portal, page, django_user_model):
    from django.contrib.auth.models import Permission

    # The live server's database is emptied between tests, the groups made by migrations with it: the permission
    # the Donors group gives.
    donor = django_user_model.objects.create_user("donor", password="a-long-test-password-42")
    donor.user_permissions.add(Permission.objects.get(codename="view_reports"))
    page.goto(f"{portal}/ru/reports/")
    assert "/ru/accounts/login/" in page.url
    assert _serious(page) == []
    page.get_by_label("Имя пользователя").fill("donor")
    page.get_by_label("Пароль").fill("a-long-test-password-42")
    page.get_by_role("button", name="Войти").click()
    assert page.url.endswith("/ru/reports/")
    page.get_by_label("Регион", exact=True).select_option(label="Чуйская область")
    page.get_by_label("Присуждён: по").fill("2022-01-31")
    page.get_by_role("button", name="Показать").click()
    assert "region=chui" in page.url and "award_to=2022-01-31" in page.url
    # The date stays in its picker after the page comes back in Russian (dd.mm.yyyy there).
    assert page.get_by_label("Присуждён: по").input_value() == "2022-01-31"
    csv_link = page.locator("a[download][href*='grants.csv']")
    assert "region=chui" in csv_link.get_attribute("href") and "award_to=2022-01-31" in csv_link.get_attribute("href")
    assert _serious(page) == []
    # An end before the start: named above the form and beside the field.
    page.get_by_label("Присуждён: с").fill("2022-02-01")
    page.get_by_role("button", name="Показать").click()
    assert "Присуждён: по" in page.get_by_role("alert").inner_text()
    assert page.locator(".invalid-feedback").is_visible()
    assert _serious(page) == []


def test_a_wrong_password_is_announced(portal, page, django_user_model):
    django_user_model.objects.create_user("donor", password="a-long-test-password-42")
    page.goto(f"{portal}/en/accounts/login/")
    page.get_by_label("Username").fill("donor")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("Please enter a correct username and password")
    assert page.get_by_label("Username").input_value() == "donor"
    assert _serious(page) == []
