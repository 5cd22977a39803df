import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from insights.models import ReviewStatus, Theme
from interviews.models import Membership, Role
from tests.factories import InterviewFactory, SegmentFactory, UserFactory, WorkspaceFactory
from tests.insights.factories import MentionFactory, ThemeFactory


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="insights", codename__in=codenames))


@pytest.fixture
def reviewer(user):
    """The `api` client's user, allowed to review (as the admin's change permissions allow)."""
    grant(user, "change_mention", "change_theme")
    return user


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


def test_bulk_review_records_reviewer(api, reviewer, mention):
    response = api.post("/api/mentions/review/", {"ids": [mention.pk], "status": "accepted"}, format="json")
    assert response.json() == {"updated": 1}
    mention.refresh_from_db()
    assert (mention.review_status, mention.reviewed_by) == (ReviewStatus.ACCEPTED, reviewer)
    assert api.get(f"/api/mentions/{mention.pk}/").json()["source"] == "reviewer"


def test_review_of_foreign_ids_changes_nothing(api, reviewer, mention, foreign_mention):
    response = api.post(
        "/api/mentions/review/", {"ids": [mention.pk, foreign_mention.pk], "status": "rejected"}, format="json"
    )
    assert response.status_code == 400 and str(foreign_mention.pk) in response.json()["ids"]
    mention.refresh_from_db()
    assert mention.review_status == ReviewStatus.UNREVIEWED


def test_edit_severity_span_and_theme(api, reviewer, mention, segment):
    other = ThemeFactory(segment=segment, key="board-pack")
    response = api.patch(
        f"/api/mentions/{mention.pk}/", {"severity": "high", "start": 0, "end": 15, "theme": other.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["quote"] == "Reporting takes" and response.json()["theme"] == other.pk
    bad = api.patch(f"/api/mentions/{mention.pk}/", {"end": 9999}, format="json")
    assert bad.status_code == 400 and "inside" in str(bad.json())


def test_rename_merge_and_split_themes(api, reviewer, mention, theme, segment):
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
    outsider_user = UserFactory()
    # A reviewer elsewhere is still an outsider here.
    WorkspaceFactory().members.add(outsider_user, through_defaults={"role": Role.REVIEWER})
    outsider.force_authenticate(outsider_user)
    response = outsider.post("/api/mentions/review/", {"ids": [mention.pk], "status": "rejected"}, format="json")
    assert response.status_code == 400
    mention.refresh_from_db()
    assert mention.review_status == ReviewStatus.UNREVIEWED
    assert outsider.patch(f"/api/mentions/{mention.pk}/", {"severity": "high"}, format="json").status_code == 404


# --- Reviewing is the reviewer role's; reading is every member's ------------------------------------


def write_requests(mention, theme, other_theme):
    return [
        ("post", "/api/mentions/review/", {"ids": [mention.pk], "status": "rejected"}),
        ("patch", f"/api/mentions/{mention.pk}/", {"severity": "high"}),
        ("patch", f"/api/themes/{theme.pk}/", {"name": "Renamed"}),
        ("post", f"/api/themes/{theme.pk}/merge/", {"sources": [other_theme.pk]}),
        ("post", "/api/themes/split/", {"mentions": [mention.pk], "name": "Split off"}),
    ]


def test_a_pm_gets_403_naming_the_role_and_nothing_changes(api, user, workspace, mention, theme, segment):
    Membership.objects.filter(user=user, workspace=workspace).update(role=Role.PM)
    grant(user, "change_mention", "change_theme")  # model permissions do not make a reviewer
    other = ThemeFactory(segment=segment, key="board-pack", name="Board pack")
    for method, url, body in write_requests(mention, theme, other):
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 403, (url, response.content)
        assert "reviewer role" in response.json()["detail"], url
    mention.refresh_from_db()
    theme.refresh_from_db()
    other.refresh_from_db()
    assert (mention.review_status, mention.severity, mention.reviewed_by) == (ReviewStatus.UNREVIEWED, "", None)
    assert (theme.name, theme.renamed_by_reviewer, other.merged_into) == ("Manual reporting", False, None)
    assert Theme.objects.filter(segment=segment).count() == 2


def test_a_pm_who_reviews_in_another_workspace_still_cannot_review_here(api, user, workspace, mention, theme):
    Membership.objects.filter(user=user, workspace=workspace).update(role=Role.PM)
    WorkspaceFactory().members.add(user, through_defaults={"role": Role.REVIEWER})
    response = api.patch(f"/api/mentions/{mention.pk}/", {"severity": "high"}, format="json")
    assert response.status_code == 403 and "reviewer role in this workspace" in response.json()["detail"]
    mention.refresh_from_db()
    assert mention.severity == ""


def test_member_without_permissions_still_reads(api, mention, theme):
    for url in ["/api/mentions/", f"/api/mentions/{mention.pk}/", "/api/themes/", f"/api/themes/{theme.pk}/"]:
        assert api.get(url).status_code == 200, url


def test_the_reviewer_role_alone_may_do_every_write(api, user, workspace, mention, theme, segment):
    Membership.objects.filter(user=user, workspace=workspace).update(role=Role.REVIEWER)  # no model permission
    other = ThemeFactory(segment=segment, key="board-pack")
    for method, url, body in write_requests(mention, theme, other):
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code in (200, 201), (url, response.content)


def test_themes_api_shows_who_reviewed_a_theme_and_when(api, reviewer, mention, theme, segment):
    before = api.get(f"/api/themes/{theme.pk}/").json()
    assert (before["reviewed_by"], before["reviewed_at"]) == (None, None)
    renamed = api.patch(f"/api/themes/{theme.pk}/", {"name": "Board reporting"}, format="json").json()
    assert renamed["reviewed_by"] == reviewer.username and renamed["reviewed_at"]
    split = api.post("/api/themes/split/", {"mentions": [mention.pk], "name": "Investor updates"}, format="json")
    assert split.json()["reviewed_by"] == reviewer.username
    other = ThemeFactory(segment=segment, key="board-pack")
    api.post(f"/api/themes/{theme.pk}/merge/", {"sources": [other.pk]}, format="json")
    other.refresh_from_db()
    assert other.reviewed_by == reviewer
    # Read-only: a PATCH cannot claim someone else's review.
    api.patch(f"/api/themes/{theme.pk}/", {"name": "Board reporting", "reviewed_by": "someone"}, format="json")
    assert api.get(f"/api/themes/{theme.pk}/").json()["reviewed_by"] == reviewer.username
