"""The admin is scoped like the selectors, and saves interviews through the services (issue 14, items 5 and 8)."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token

from insights.models import Mention
from interviews.models import Interview, Participant, Segment
from tests.factories import InterviewFactory, ParticipantFactory, SegmentFactory, UserFactory, WorkspaceFactory

ADD = "/admin/interviews/interview/add/"
TEXT = "Month-end reporting is a nightmare: I rebuild the board pack by hand every month."


@pytest.fixture
def staff(user):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=["interviews", "authtoken"]))
    return user


@pytest.fixture
def theirs(db):
    """Another workspace with a member, a segment, a participant and an interview."""
    ws = WorkspaceFactory(name="Rival Co")
    ws.members.add(UserFactory(username="rival-member"))
    segment = SegmentFactory(workspace=ws, name="Rival segment", slug="rival-secret-slug")
    participant = ParticipantFactory(workspace=ws, name="Rival Person")
    return InterviewFactory(segment=segment, participant=participant)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def interview_post(segment, participant, **extra):
    data = {
        "segment": segment.pk,
        "participant": participant.pk,
        "interviewer": "",
        "interviewed_on": "",
        "external_id": "",
        "notes": "",
        **{key: "" for key in Interview().answers},
        "whats_broken": TEXT,
    }
    return data | extra


def test_add_form_offers_only_own_workspace_rows(admin_client, segment, theirs):
    html = admin_client.get(ADD).content.decode()
    assert segment.name in html
    assert "Rival segment" not in html and "rival-member" not in html
    html = admin_client.get("/admin/interviews/segment/add/").content.decode()
    assert segment.workspace.name in html and "Rival Co" not in html
    html = admin_client.get("/admin/interviews/participant/add/").content.decode()
    assert "Rival Co" not in html


def test_list_filters_offer_only_own_workspace_rows(admin_client, interview, theirs):
    for url in ("/admin/interviews/interview/", "/admin/interviews/segment/", "/admin/interviews/participant/"):
        html = admin_client.get(url).content.decode()
        assert "Rival" not in html, url


def test_cannot_add_an_interview_to_another_workspaces_segment(admin_client, segment, theirs):
    own_participant = ParticipantFactory(workspace=segment.workspace)
    for seg, participant in ((theirs.segment, own_participant), (segment, theirs.participant)):
        response = admin_client.post(ADD, interview_post(seg, participant))
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Interview.objects.exclude(pk=theirs.pk).exists()


def test_cannot_add_a_segment_or_participant_to_another_workspace(admin_client, workspace, theirs):
    rival = theirs.segment.workspace
    response = admin_client.post(
        "/admin/interviews/segment/add/",
        {"workspace": rival.pk, "name": "Planted", "slug": "planted", "hourly_cost": "50", "weeks_per_year": 50,
         "target_interviews": 15, "target_our_product_pct": 34, "target_competitor_pct": 33,
         "target_nothing_pct": 33, "interviews-TOTAL_FORMS": 0, "interviews-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 200
    response = admin_client.post(
        "/admin/interviews/participant/add/", {"workspace": rival.pk, "name": "Planted", "usage": "nothing"}
    )
    assert response.status_code == 200
    assert not Segment.objects.filter(name="Planted").exists()
    assert not Participant.objects.filter(name="Planted").exists()


def test_cannot_move_an_interview_into_another_workspace(admin_client, interview, theirs):
    url = f"/admin/interviews/interview/{interview.pk}/change/"
    admin_client.post(url, interview_post(theirs.segment, interview.participant))
    interview.refresh_from_db()
    assert interview.segment.workspace_id != theirs.segment.workspace_id  # the segment is read-only on change
    response = admin_client.post(url, interview_post(interview.segment, theirs.participant))
    assert response.status_code == 200
    interview.refresh_from_db()
    assert interview.participant_id != theirs.participant_id


def test_a_participant_of_another_workspace_is_refused_by_the_model(segment, theirs):
    interview = Interview(segment=segment, participant=theirs.participant, whats_broken=TEXT)
    with pytest.raises(Exception, match="another workspace"):
        interview.full_clean()


def test_view_on_site_redirect_only_for_own_rows(admin_client, segment, theirs):
    ct = ContentType.objects.get_for_model(Segment)
    assert admin_client.get(f"/admin/r/{ct.pk}/{segment.pk}/")["Location"].endswith(f"/segments/{segment.slug}/")
    response = admin_client.get(f"/admin/r/{ct.pk}/{theirs.segment.pk}/")
    assert response.status_code == 404 and "rival-secret-slug" not in response.get("Location", "")
    assert admin_client.get(f"/admin/r/{ct.pk}/not-a-number/").status_code == 404
    assert admin_client.get("/admin/r/999999/1/").status_code == 404


def test_token_admin_shows_and_makes_only_own_token(admin_client, staff, theirs):
    rival = theirs.segment.workspace.members.get()
    rival_token = Token.objects.create(user=rival)
    html = admin_client.get("/admin/authtoken/tokenproxy/").content.decode()
    assert rival_token.key not in html
    html = admin_client.get("/admin/authtoken/tokenproxy/add/").content.decode()
    assert "rival-member" not in html
    admin_client.post("/admin/authtoken/tokenproxy/add/", {"user": rival.pk})
    assert Token.objects.filter(user=rival).count() == 1


def test_interview_added_in_admin_is_extracted(admin_client, segment, django_capture_on_commit_callbacks):
    participant = ParticipantFactory(workspace=segment.workspace)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD, interview_post(segment, participant))
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.status == "done"
    assert Mention.objects.filter(interview=interview, kind="pain").exists()


def test_editing_the_text_in_admin_re_extracts(admin_client, segment, django_capture_on_commit_callbacks):
    participant = ParticipantFactory(workspace=segment.workspace)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(ADD, interview_post(segment, participant))
    interview = Interview.objects.get()
    before = set(Mention.objects.filter(interview=interview).values_list("quote", flat=True))
    new_text = "Payroll is killing us: every run we fix the tax tables by hand."
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            f"/admin/interviews/interview/{interview.pk}/change/",
            interview_post(segment, participant, whats_broken=new_text),
        )
    assert response.status_code == 302 and callbacks
    after = set(Mention.objects.filter(interview=interview).values_list("quote", flat=True))
    assert after != before and any("Payroll" in quote for quote in after)
    assert not any("board pack" in quote for quote in after)


def test_admin_refuses_an_interview_with_nothing_to_analyse(admin_client, segment):
    participant = ParticipantFactory(workspace=segment.workspace)
    response = admin_client.post(ADD, interview_post(segment, participant, whats_broken=""))
    assert response.status_code == 200 and "nothing to analyse" in response.content.decode()
    assert not Interview.objects.exists()
