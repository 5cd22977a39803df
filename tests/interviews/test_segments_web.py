"""Segments are created and edited on the web; the home page says what to do next."""

from decimal import Decimal

import pytest
from django.urls import reverse

from interviews.models import Segment
from tests.factories import InterviewFactory, SegmentFactory, UserFactory, WorkspaceFactory
from tests.insights.factories import MentionFactory


def segment_data(**overrides):
    data = {
        "name": "Small fintech SaaS",
        "slug": "",
        "description": "3-10 people, $100k-$1M ARR",
        "industry": "fintech",
        "team_size_min": "3",
        "team_size_max": "10",
        "arr_min": "",
        "arr_max": "",
        "hourly_cost": "80",
        "weeks_per_year": "46",
        "target_interviews": "12",
        "target_our_product_pct": "40",
        "target_competitor_pct": "30",
        "target_nothing_pct": "30",
    }
    data.update(overrides)
    return data


def test_a_pm_creates_a_segment_in_their_workspace(web, workspace):
    response = web.post(reverse("interviews:segment_create"), segment_data(workspace=workspace.pk))
    segment = Segment.objects.get()
    assert response.status_code == 302 and response["Location"] == segment.get_absolute_url()
    assert segment.workspace == workspace and segment.slug == "small-fintech-saas"
    assert segment.hourly_cost == Decimal("80") and segment.weeks_per_year == 46
    assert (segment.target_interviews, segment.target_our_product_pct) == (12, 40)
    assert web.get(segment.get_absolute_url()).status_code == 200


def test_with_one_workspace_it_is_not_asked(web, workspace):
    html = web.get(reverse("interviews:segment_create")).content.decode()
    assert f'type="hidden" name="workspace" value="{workspace.pk}"' in html
    data = segment_data(workspace=workspace.pk)
    assert web.post(reverse("interviews:segment_create"), data).status_code == 302


def test_a_mix_that_does_not_add_up_is_refused_with_the_sum(web, workspace):
    response = web.post(
        reverse("interviews:segment_create"), segment_data(workspace=workspace.pk, target_nothing_pct="50")
    )
    assert response.status_code == 200
    assert "adds up to 120%" in response.content.decode()
    assert not Segment.objects.exists()


def test_a_taken_or_reserved_slug_is_named(web, workspace):
    SegmentFactory(workspace=workspace, slug="fintech")
    taken = web.post(reverse("interviews:segment_create"), segment_data(workspace=workspace.pk, slug="fintech"))
    assert "slug 'fintech' already exists" in " ".join(taken.context["form"].errors["slug"])
    reserved = web.post(reverse("interviews:segment_create"), segment_data(workspace=workspace.pk, slug="new"))
    assert "address of a page" in " ".join(reserved.context["form"].errors["slug"])
    assert Segment.objects.count() == 1


def test_another_workspace_cannot_be_chosen(web, workspace):
    foreign = WorkspaceFactory()
    response = web.post(reverse("interviews:segment_create"), segment_data(workspace=foreign.pk))
    assert response.status_code == 200 and "workspace" in response.context["form"].errors
    assert not Segment.objects.exists()


def test_a_user_without_a_workspace_is_told_to_ask_for_one(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("interviews:segment_create"))
    assert response.status_code == 403 and "not a member of any workspace" in response.content.decode()


def test_a_pm_edits_the_segment_but_not_its_address(web, segment):
    url = reverse("interviews:segment_edit", args=[segment.slug])
    assert web.get(url).status_code == 200
    response = web.post(url, segment_data(name="Renamed", slug="hijack", hourly_cost="65", target_interviews="9"))
    assert response.status_code == 302
    segment.refresh_from_db()
    assert (segment.name, segment.slug, segment.hourly_cost, segment.target_interviews) == (
        "Renamed",
        segment.slug,
        Decimal("65"),
        9,
    )
    assert segment.slug != "hijack"


def test_editing_checks_like_creating(web, segment):
    url = reverse("interviews:segment_edit", args=[segment.slug])
    response = web.post(url, segment_data(hourly_cost="-1"))
    assert response.status_code == 200 and "hourly_cost" in response.context["form"].errors
    segment.refresh_from_db()
    assert segment.hourly_cost == Decimal("50")


def test_another_workspaces_segment_cannot_be_edited(web, workspace):
    foreign = SegmentFactory(workspace=WorkspaceFactory())
    assert web.get(reverse("interviews:segment_edit", args=[foreign.slug])).status_code == 404


def test_home_says_create_a_segment_first(web, workspace):
    html = web.get(reverse("interviews:home")).content.decode()
    assert "Next:</strong> Create a segment" in html
    assert reverse("interviews:segment_create") in html


def test_home_says_log_interviews_then_links_each_matrix(web, workspace):
    empty = SegmentFactory(workspace=workspace, name="Clinics", slug="clinics")
    html = web.get(reverse("interviews:home")).content.decode()
    assert "Log or upload the interviews of Clinics" in html
    assert reverse("insights:matrix", args=[empty.slug]) in html
    other = SegmentFactory(workspace=workspace, name="Agencies", slug="agencies")
    html = web.get(reverse("interviews:home")).content.decode()
    assert reverse("insights:matrix", args=[other.slug]) in html


def test_home_says_review_when_mentions_wait(web, workspace):
    segment = SegmentFactory(workspace=workspace, name="Clinics", slug="clinics")
    MentionFactory(interview=InterviewFactory(segment=segment))  # unreviewed
    html = web.get(reverse("interviews:home")).content.decode()
    assert "Review what was found in Clinics" in html


def test_home_says_read_the_matrix_when_all_is_done(web, workspace):
    segment = SegmentFactory(workspace=workspace, name="Clinics", slug="clinics", target_interviews=1)
    MentionFactory(interview=InterviewFactory(segment=segment), review_status="accepted")
    html = web.get(reverse("interviews:home")).content.decode()
    assert "Read the matrix of Clinics" in html


@pytest.mark.django_db
def test_segment_pages_need_a_login(client):
    response = client.get(reverse("interviews:segment_create"))
    assert response.status_code == 302 and "/login/" in response["Location"]
