"""The decision pages as a PM sees them, in headless Chromium, on the demo segment.

Every request the page makes outside the live server fails the test: the charts are drawn on the
server, with no CDN. Each page's screenshot goes to the run's artifacts (pytest-playwright's
`--output`, `test-results/` by default).
"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


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


def test_compare_two_segments_and_answer_the_four_filters(demo_page, live_server, output_path, tmp_path):
    from interviews.models import Segment

    # The vet clinics' interviews, without their labels, as a second segment.
    source = Path(__file__).resolve().parents[1] / "insights" / "data" / "handmade_segment.jsonl"
    vet = tmp_path / "vet.jsonl"
    vet.write_text(
        "".join(json.dumps({k: v for k, v in json.loads(line).items() if k != "labels"}) + "\n"
                for line in source.read_text().splitlines() if line.strip())
    )  # fmt: skip
    call_command("import_interviews", str(vet), "--segment", "vet-clinics", "--workspace", "Demo workspace",
                 stdout=None)  # fmt: skip
    Segment.objects.filter(slug="vet-clinics").update(name="Vet clinics")
    page = demo_page
    page.click("text=Compare segments")
    page.check("input[value=small-fintech-saas]")
    page.check("input[value=vet-clinics]")
    page.click("#compare-pick button[type=submit]")
    page.wait_for_selector(".segment-summary")
    assert page.locator(".segment-summary").count() == 2
    fintech = page.locator("#summary-small-fintech-saas")
    assert "%" in fintech.locator(".high-pain").inner_text()
    assert "$200/month" in fintech.locator(".median-wtp").inner_text()
    assert "/yr" in fintech.locator(".median-impact").inner_text()
    assert "enter the segment" in fintech.locator(".opportunity").inner_text()
    assert "suggested:" in fintech.inner_text()

    fintech.locator("text=Answer for").click()
    page.fill("#id_companies", "2000")
    page.select_option("#id_grows_10x", "yes")
    page.select_option("#id_clear_goal", "yes")
    page.select_option("#id_reachable", "unsure")
    page.select_option("#id_importance", "must-have")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector(".segment-summary")
    fintech = page.locator("#summary-small-fintech-saas")
    assert "$4,800,000/yr" in fintech.locator(".opportunity").inner_text()  # 2000 x $200 x 12
    assert "Not sure" in fintech.inner_text()
    assert page.locator("table.aligned tbody tr").count() >= 5
    screenshot(page, output_path, "compare.png")
