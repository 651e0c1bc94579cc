"""axe-core on the main pages in each language: no serious or critical violation."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["", "regions/", "regions/jalal-abad/", "initiatives/", "initiatives/?q=Nookat",
         "initiatives/in-the-name-of-unity/", "organizations/cornelius-society/", "about/", "mediators/",
         "nowhere/", "initiatives/?region=nowhere&kind=cso", "mediators/?language=xx", "accounts/login/"]  # fmt: skip


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_no_serious_or_critical_violations(portal, page, language):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = {}
    for path in PAGES:
        page.goto(f"{portal}/{language}/{path}")
        results = axe.run(page)
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
    assert problems == {}
