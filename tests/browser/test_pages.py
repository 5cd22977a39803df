import pytest

from interviews.models import Interview
from tests.factories import SegmentFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def logged_in_page(page, live_server, transactional_db):
    user = UserFactory(username="pm")
    workspace = WorkspaceFactory()
    workspace.members.add(user)
    SegmentFactory(workspace=workspace, name="Small fintech", slug="fintech")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "pm")
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_log_an_interview_and_see_what_was_extracted(logged_in_page, live_server):
    page = logged_in_page
    page.click("text=Log interview")
    page.fill("#id_participant_name", "Dana <b>Ops</b>")
    page.select_option("#id_participant_usage", "nothing")
    page.fill("#id_whats_broken", "Month-end reporting is a nightmare and it eats my whole Monday.")
    page.fill("#id_current_solution", "A Google Sheet that I update by hand.")
    page.fill("#id_time_spent", "About 5 hours a week.")
    page.click("text=Save interview")
    page.wait_for_selector("text=Extraction:")
    assert page.locator(".status.done").count() == 1
    assert page.locator("mark.pain").count() >= 1
    assert page.locator("mark.workaround").count() >= 1
    assert page.locator("h1").inner_text() == "Dana <b>Ops</b>"  # shown as text, not markup
    assert Interview.objects.get().status == "done"


def test_form_errors_are_shown_next_to_the_fields(logged_in_page, live_server):
    page = logged_in_page
    page.goto(f"{live_server.url}/interviews/new/")
    page.click("text=Save interview")
    assert "nothing to analyse" in page.content()
    assert page.locator("#id_participant_usage ~ .errorlist").count() == 0
    assert Interview.objects.count() == 0


def test_a_pasted_answer_over_the_limit_is_not_cut_the_counter_and_the_server_say_so(
    logged_in_page, live_server, output_path
):
    from interviews.script import MAX_ANSWER_CHARS

    page = logged_in_page
    page.goto(f"{live_server.url}/interviews/new/")
    assert page.locator("#id_risk-counter").inner_text() == f"0 / {MAX_ANSWER_CHARS:,} characters"
    long = "word " * (MAX_ANSWER_CHARS // 5) + "more"
    page.fill("#id_risk", long)  # as a paste: the browser keeps every character
    assert len(page.input_value("#id_risk")) == len(long) == MAX_ANSWER_CHARS + 4
    counter = page.locator("#id_risk-counter")
    assert "4 over the limit" in counter.inner_text() and "over" in (counter.get_attribute("class") or "")
    page.fill("#id_whats_broken", "Month-end reporting is a nightmare.")
    page.click("text=Save interview")
    page.wait_for_selector(f"text=at most {MAX_ANSWER_CHARS} characters")
    assert len(page.input_value("#id_risk")) == len(long)  # given back whole, to shorten
    assert Interview.objects.count() == 0
    page.locator("#id_risk").scroll_into_view_if_needed()
    page.screenshot(path=f"{output_path}/answer-over-the-limit.png")
