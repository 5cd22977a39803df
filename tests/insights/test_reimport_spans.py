"""A re-import that changes an answer: reviewed mentions keep their decision and stay true to the text."""

import json

import pytest
from django.contrib.auth.models import Permission

from insights.exports import Filters, export_segment
from insights.models import Mention, ReviewStatus
from insights.services import quote_find
from interviews.importers import parse_jsonl
from interviews.models import Interview
from interviews.services import interviews_import

BROKEN = "Month-end reporting is a nightmare: I rebuild the board pack by hand every month."
ANSWERS = {
    "whats_broken": BROKEN,
    "current_solution": "We use a shared Google Sheet and a lot of copy-paste.",
    "time_spent": "About 4 hours a week.",
    "willingness_to_pay": "I'd pay $200 a month without thinking.",
}


def reimport(segment, django_capture_on_commit_callbacks, **answers):
    line = json.dumps({"id": "i-1", "participant": {"name": "Maya"}, "answers": {**ANSWERS, **answers}})
    parsed = parse_jsonl(line + "\n")
    assert not parsed.errors
    with django_capture_on_commit_callbacks(execute=True):  # the extraction queued on commit runs here
        interviews_import(segment=segment, rows=parsed.rows)
    return Interview.objects.get(segment=segment, external_id="i-1")


@pytest.fixture
def accepted(segment, user, django_capture_on_commit_callbacks):
    interview = reimport(segment, django_capture_on_commit_callbacks)
    pain = Mention.objects.filter(interview=interview, kind="pain", field="whats_broken").first()
    assert pain is not None and BROKEN[pain.start : pain.end] == pain.quote
    Mention.objects.filter(pk=pain.pk).update(review_status=ReviewStatus.ACCEPTED, severity="low", reviewed_by=user)
    pain.refresh_from_db()
    return pain


def test_quote_find_takes_the_occurrence_nearest_the_old_start():
    assert quote_find("ab ab ab", "ab", 4) == 3
    assert quote_find("ab ab ab", "ab", 7) == 6
    assert quote_find("ab ab ab", "ab", 0) == 0
    assert quote_find("xyz", "ab", 0) is None
    assert quote_find("xyz", "", 0) is None


def test_reimport_moves_a_reviewed_span_to_its_quote(segment, accepted, django_capture_on_commit_callbacks):
    prefix = "Honestly, and I say this every quarter: "
    interview = reimport(segment, django_capture_on_commit_callbacks, whats_broken=prefix + BROKEN)

    accepted.refresh_from_db()
    assert (accepted.review_status, accepted.severity) == (ReviewStatus.ACCEPTED, "low")
    assert interview.whats_broken[accepted.start : accepted.end] == accepted.quote
    assert accepted.start >= len(prefix)
    assert not accepted.quote_missing
    # Re-extraction found the same pain at the new place: the reviewed one stands for it, once.
    same = Mention.objects.filter(interview=interview, kind="pain", field="whats_broken", start=accepted.start)
    assert list(same) == [accepted]


def test_reimport_without_the_quote_keeps_the_decision_and_says_so(
    segment, user, accepted, django_capture_on_commit_callbacks, client, api
):
    old_span = (accepted.start, accepted.end)
    reimport(segment, django_capture_on_commit_callbacks, whats_broken="Onboarding new clients takes weeks.")

    accepted.refresh_from_db()
    assert (accepted.review_status, accepted.severity, accepted.reviewed_by) == (ReviewStatus.ACCEPTED, "low", user)
    assert accepted.quote_missing
    assert (accepted.start, accepted.end) == old_span  # kept, and flagged as no longer meaningful

    # The review queue says so.
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="insights", codename="view_mention"))
    client.force_login(user)
    html = client.get("/admin/insights/mention/", {"review_status": "accepted"}).content.decode()
    assert "quote no longer in the interview" in html
    # The API and the exports carry it.
    assert api.get(f"/api/mentions/{accepted.pk}/").json()["quote_missing"] is True
    csv_text = "".join(export_segment(segment=segment, fmt="csv", filters=Filters(), mentions=True).chunks)
    header, *rows = csv_text.lstrip("\ufeff").splitlines()
    assert header.split(",")[-1] == "quote_missing"
    assert next(r for r in rows if accepted.quote in r).endswith(",True")
    md = "".join(export_segment(segment=segment, fmt="md", filters=Filters(), mentions=True).chunks)
    assert "reviewer (quote no longer in the interview)" in md

    # The quote comes back in a later import: found again, flag cleared.
    interview = reimport(segment, django_capture_on_commit_callbacks, whats_broken="Still: " + BROKEN)
    accepted.refresh_from_db()
    assert not accepted.quote_missing
    assert interview.whats_broken[accepted.start : accepted.end] == accepted.quote


def test_a_reviewer_setting_a_new_span_clears_the_flag(segment, user, accepted, django_capture_on_commit_callbacks):
    from insights.review import mention_edit

    gone = "Onboarding new clients takes weeks."
    interview = reimport(segment, django_capture_on_commit_callbacks, whats_broken=gone)
    accepted.refresh_from_db()
    assert accepted.quote_missing
    mention_edit(mention=accepted, user=user, start=0, end=10)
    accepted.refresh_from_db()
    assert (accepted.quote, accepted.quote_missing) == (interview.whats_broken[:10], False)
