"""A PM's way through Sift in headless Chromium, start to finish, with nothing outside the server.

Create a segment on the web, upload a Zoom transcript into it and pick the interviewee, watch the
extraction finish; on the demo segment open a frequency's quotes in place, download the CSV and
the PRD draft and read them, then review that row from the keyboard. The saturation chart, the
price tiers and the comparison of two segments are in test_decisions.py. Each page's screenshot
goes to the run's artifacts (pytest-playwright's `--output`).
"""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User

from insights.models import Mention, ReviewStatus
from interviews.models import Interview, Membership, Role, Segment
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

VTT = Path(__file__).resolve().parents[1] / "interviews" / "data" / "call_2026-01-12.vtt"


def test_create_a_segment_upload_a_transcript_pick_the_speaker_and_see_it_analysed(demo_page, live_server, output_path):
    page = demo_page
    page.click("#new-segment")
    page.wait_for_selector("#segment-form")
    page.fill("#id_name", "Payments ops")
    page.fill("#id_description", "Payment companies, 5-50 people")
    page.fill("#id_hourly_cost", "60")
    page.click("#segment-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Payments ops')")
    segment = Segment.objects.get(name="Payments ops")
    assert (segment.slug, segment.hourly_cost) == ("payments-ops", 60)
    screenshot(page, output_path, "segment-new.png")

    page.set_input_files("#id_transcripts", str(VTT))
    page.click("#upload-transcripts")
    page.wait_for_selector("#transcript-confirm-form")
    speakers = page.locator("#transcript-0 label.speaker")
    assert speakers.count() == 2
    names = speakers.locator(".speaker-name").all_text_contents()
    assert names == ["Sam Lee", "Dana Ortiz"] or names == ["Dana Ortiz", "Sam Lee"]
    # A line of each, and the guess: the one who talks most, not the one asking.
    assert "typical day" in page.locator("#transcript-0 label.speaker:has-text('Sam Lee') .speaker-sample").inner_text()
    assert page.locator("#transcript-0 input[type=radio][value='Dana Ortiz']").is_checked()
    screenshot(page, output_path, "upload-pick-speaker.png")
    page.check("#transcript-0 input[type=radio][value='Sam Lee']")
    assert page.input_value("#id_t0-participant_name") == "Sam Lee"  # the name follows the pick
    page.check("#transcript-0 input[type=radio][value='Dana Ortiz']")
    assert page.input_value("#id_t0-participant_name") == "Dana Ortiz"
    page.click("#confirm-upload")

    page.wait_for_selector(".status.done", timeout=60_000)  # the page polls until extraction is done
    interview = Interview.objects.get(segment=segment)
    assert interview.participant.name == "Dana Ortiz" and interview.participant.company == "Ledgerline"
    assert interview.status == "done"
    highlighted = " ".join(page.locator("mark").all_text_contents())
    assert "typical day" not in highlighted  # only the interviewee's words are analysed
    assert page.locator("mark.pain").count() >= 1
    screenshot(page, output_path, "interview-from-transcript.png")


def test_open_a_frequencys_quotes_download_the_csv_and_the_prd_and_review_the_row(
    demo_page, live_server, output_path, tmp_path
):
    page = demo_page
    page.goto(f"{live_server.url}/segments/small-fintech-saas/matrix/")
    first = page.locator("table.matrix tbody tr").first
    top_name = first.locator("td:nth-child(2) strong").inner_text()
    frequency = first.locator("td.freq summary")
    frequency.click()  # the quotes open in place, not as a download
    quote = first.locator("td.freq ul.quotes li.quote").first
    assert quote.is_visible()
    assert quote.locator("q").inner_text().strip()
    who = quote.locator(".who").inner_text()
    assert "interview demo-" in who and "·" in who  # name, role at company · type · interview
    assert quote.locator(".usage").inner_text() in ("Uses our product", "Uses a competitor", "Uses nothing")
    screenshot(page, output_path, "matrix-quotes-in-place.png")

    with page.expect_download() as got:
        page.click("p.downloads a:text-is('CSV')")
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0]["theme"] == top_name
    assert len(rows) == page.locator("table.matrix tbody tr").count()
    assert rows[0]["frequency"] == frequency.inner_text().strip()

    with page.expect_download() as got:
        page.click("p.downloads a:has-text('PRD draft')")
    assert got.value.suggested_filename == "small-fintech-saas-prd.md"
    prd = Path(got.value.path()).read_text(encoding="utf-8")
    headings = [line for line in prd.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. Problem", "## 2. Workarounds to replace", "## 3. What not to build", "## 4. Pricing",
        "## 5. Success metrics", "## Sources",
    ]  # fmt: skip
    assert f"### 1.1 {top_name}" in prd
    assert f"- **Frequency:** {rows[0]['interviews']} of {rows[0]['segment_interviews']} interviewees" in prd
    assert "- **Standard:** $200/month" in prd  # the pricing page's standard tier

    # The PM reviews: staff with the right to review mentions.
    pm = User.objects.get(username="pm")
    pm.is_staff = True
    pm.save()
    pm.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="insights", codename__in=["view_mention", "change_mention"])
    )
    # ...and who holds the reviewer role in the workspace (the pm role logs and edits interviews only).
    Membership.objects.filter(user=pm).update(role=Role.REVIEWER)
    page.reload()
    page.locator("table.matrix tbody tr").first.locator("a.review-row").click()
    page.wait_for_selector("#result_list")
    assert page.locator("#review-keys").is_visible()
    listed = page.locator("#result_list tbody tr")
    assert listed.count() >= 2
    page.screenshot(path=str(Path(output_path) / "review-row.png"))  # the top: the list runs long
    first_id = int(listed.nth(0).locator("input.action-select").get_attribute("value"))
    second_id = int(listed.nth(1).locator("input.action-select").get_attribute("value"))
    assert "review-focus" in (listed.nth(0).get_attribute("class") or "")
    page.keyboard.press("j")
    assert "review-focus" in (listed.nth(1).get_attribute("class") or "")
    page.keyboard.press("k")
    page.keyboard.press("a")  # accept the row in focus: the first
    page.wait_for_selector("ul.messagelist li:has-text('Accepted')")
    # Back on the queue of the row's unreviewed mentions: the accepted one left it, the focus stays
    # on the first place, which now holds the next mention.
    assert page.locator(f"#result_list input.action-select[value='{first_id}']").count() == 0
    # The reloaded queue's script has run once it has marked the row in focus: only then do keys act.
    page.wait_for_selector("#result_list tbody tr.review-focus")
    page.keyboard.press("r")
    page.wait_for_selector("ul.messagelist li:has-text('Rejected')")
    assert Mention.objects.get(pk=first_id).review_status == ReviewStatus.ACCEPTED
    assert Mention.objects.get(pk=first_id).reviewed_by == pm
    assert Mention.objects.get(pk=second_id).review_status == ReviewStatus.REJECTED
