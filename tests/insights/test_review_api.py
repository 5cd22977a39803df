import pytest
from rest_framework.test import APIClient

from insights.models import ReviewStatus, Theme
from tests.factories import InterviewFactory, SegmentFactory, UserFactory, WorkspaceFactory
from tests.insights.factories import MentionFactory, ThemeFactory


@pytest.fixture
def theme(segment):
    return ThemeFactory(segment=segment, key="manual-reporting")


@pytest.fixture
def mention(segment, theme):
    interview = InterviewFactory(segment=segment, whats_broken="Reporting takes all Monday.")
    return MentionFactory(interview=interview, theme=theme, start=0, end=9, quote="Reporting")


@pytest.fixture
def foreign_mention(db):
    segment = SegmentFactory(workspace=WorkspaceFactory())
    return MentionFactory(interview=InterviewFactory(segment=segment), theme=ThemeFactory(segment=segment))


def test_queue_lists_only_own_workspace_with_source(api, mention, foreign_mention):
    body = api.get("/api/mentions/", {"review_status": "unreviewed"}).json()
    assert [m["id"] for m in body["results"]] == [mention.pk]
    assert body["results"][0]["source"] == "machine"
    assert api.get(f"/api/mentions/{foreign_mention.pk}/").status_code == 404


def test_bulk_review_records_reviewer(api, user, mention):
    response = api.post("/api/mentions/review/", {"ids": [mention.pk], "status": "accepted"}, format="json")
    assert response.json() == {"updated": 1}
    mention.refresh_from_db()
    assert (mention.review_status, mention.reviewed_by) == (ReviewStatus.ACCEPTED, user)
    assert api.get(f"/api/mentions/{mention.pk}/").json()["source"] == "reviewer"


def test_review_of_foreign_ids_changes_nothing(api, mention, foreign_mention):
    response = api.post(
        "/api/mentions/review/", {"ids": [mention.pk, foreign_mention.pk], "status": "rejected"}, format="json"
    )
    assert response.status_code == 400 and str(foreign_mention.pk) in response.json()["ids"]
    mention.refresh_from_db()
    assert mention.review_status == ReviewStatus.UNREVIEWED


def test_edit_severity_span_and_theme(api, mention, segment):
    other = ThemeFactory(segment=segment, key="board-pack")
    response = api.patch(
        f"/api/mentions/{mention.pk}/", {"severity": "high", "start": 0, "end": 15, "theme": other.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["quote"] == "Reporting takes" and response.json()["theme"] == other.pk
    bad = api.patch(f"/api/mentions/{mention.pk}/", {"end": 9999}, format="json")
    assert bad.status_code == 400 and "inside" in str(bad.json())


def test_rename_merge_and_split_themes(api, mention, theme, segment):
    other = ThemeFactory(segment=segment, key="board-pack")
    second = MentionFactory(interview=mention.interview, theme=other, quote="board pack")
    assert api.patch(f"/api/themes/{theme.pk}/", {"name": "Board reporting"}, format="json").status_code == 200
    merged = api.post(f"/api/themes/{theme.pk}/merge/", {"sources": [other.pk]}, format="json")
    assert merged.status_code == 200, merged.json()
    second.refresh_from_db()
    assert second.theme_id == theme.pk
    assert [t["id"] for t in api.get("/api/themes/", {"segment": segment.slug}).json()["results"]] == [theme.pk]
    split = api.post("/api/themes/split/", {"mentions": [second.pk], "name": "Investor updates"}, format="json")
    assert split.status_code == 201 and Theme.objects.get(pk=split.json()["id"]).name == "Investor updates"


def test_anonymous_and_outsiders_cannot_review(mention):
    anonymous = APIClient()
    assert anonymous.post("/api/mentions/review/", {"ids": [mention.pk], "status": "rejected"}).status_code in (
        401,
        403,
    )
    outsider = APIClient()
    outsider.force_authenticate(UserFactory())
    response = outsider.post("/api/mentions/review/", {"ids": [mention.pk], "status": "rejected"}, format="json")
    assert response.status_code == 400
    mention.refresh_from_db()
    assert mention.review_status == ReviewStatus.UNREVIEWED
