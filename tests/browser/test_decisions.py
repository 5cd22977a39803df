"""The decision pages as a PM sees them, in headless Chromium, on the demo segment.

Every request the page makes outside the live server fails the test: the charts are drawn on the
server, with no CDN. Each page's screenshot goes to the run's artifacts (pytest-playwright's
`--output`, `test-results/` by default).
"""

import os

import pytest
from django.core.management import call_command

from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_page(page, live_server, transactional_db):
    call_command("load_demo", stdout=None)
    UserFactory(username="pm")
    from interviews.models import Workspace

    Workspace.objects.get(name="Demo workspace").members.add(*UserFactory._meta.model.objects.filter(username="pm"))
    outside: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "pm")
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    yield page
    assert outside == [], f"the pages asked for something outside the server: {outside}"


def screenshot(page, output_path: str, name: str) -> None:
    """The whole page, into this test's artifacts folder."""
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, name), full_page=True)


def _chart_drawn(page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100, box


def test_segment_page_shows_saturation_and_the_saturation_page_its_curve_and_the_mix(
    demo_page, live_server, output_path
):
    page = demo_page
    page.click("#segment-small-fintech-saas td:first-child a")
    page.wait_for_selector("#saturation svg.chart.saturation")  # loaded by htmx into the segment page
    assert "Not saturated yet" in page.locator(".saturation-verdict").inner_text()
    _chart_drawn(page, "#saturation svg.chart")
    screenshot(page, output_path, "segment.png")

    page.click("text=Saturation and the matrix per interviewee type")
    page.wait_for_selector("h1:has-text('When to stop interviewing')")
    assert page.locator("svg.saturation rect.added").count() == 15
    assert page.locator("table.saturation-table tbody tr").count() == 15
    headings = [h.casefold() for h in page.locator("table.aligned thead th").all_text_contents()]
    assert headings == ["pain point", "uses our product", "uses a competitor", "uses nothing"]
    assert page.locator("table.aligned tbody tr").count() >= 5
    screenshot(page, output_path, "saturation.png")


def test_pricing_page_shows_the_distribution_and_the_tiers_with_their_evidence(demo_page, live_server, output_path):
    page = demo_page
    page.goto(f"{live_server.url}/segments/small-fintech-saas/pricing/")
    _chart_drawn(page, "svg.chart.wtp")
    assert page.locator("svg.wtp circle.point").count() >= 10
    assert "Median $200/month" in page.locator(".wtp-summary").inner_text()
    tiers = page.locator("tr.tier")
    assert tiers.count() == 2
    assert "/month" in tiers.nth(0).inner_text() and "seats" in tiers.nth(0).inner_text()
    tiers.nth(1).locator("summary").click()  # the evidence opens in place
    assert tiers.nth(1).locator("ul.quotes li").first.is_visible()
    screenshot(page, output_path, "pricing.png")
