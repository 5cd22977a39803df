from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from interviews.models import Interview
from interviews.script import MAX_ANSWER_CHARS, SCRIPT_KEYS
from tests.factories import InterviewFactory, SegmentFactory, UserFactory, WorkspaceFactory


def payload(seg, **overrides):
    data = {
        "segment": seg.slug,
        "id": "api-1",
        "participant": {"name": "Ana", "company": "Payly", "usage": "competitor", "competitor": "Rival"},
        "answers": {"whats_broken": "Chasing receipts every Friday.", "time_spent": "2 hours a week"},
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/segments/", "/api/interviews/", "/api/segments/x/"])
def test_anonymous_requests_get_no_data(client, url):
    response = client.get(url)
    assert response.status_code in (401, 403)


def test_create_interview_through_api(api, segment, django_capture_on_commit_callbacks):
    response = api.post("/api/interviews/", payload(segment), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert set(body["answers"]) == set(SCRIPT_KEYS)
    interview = Interview.objects.get(pk=body["pk"])
    assert interview.external_id == "api-1"
    assert interview.participant.workspace == segment.workspace


def test_unknown_segment_is_a_clear_400(api, segment):
    response = api.post("/api/interviews/", payload(segment, segment="nope"), format="json")
    assert response.status_code == 400
    assert "Unknown segment 'nope'" in response.json()["segment"]
    assert Interview.objects.count() == 0


def test_unknown_script_key_lists_valid_ones(api, segment):
    response = api.post("/api/interviews/", payload(segment, answers={"mood": "good"}), format="json")
    assert response.status_code == 400
    assert "mood" in str(response.json()["answers"]) and "typical_day" in str(response.json()["answers"])


def test_overlong_answer_names_field_and_limit(api, segment):
    response = api.post(
        "/api/interviews/", payload(segment, answers={"risk": "x" * (MAX_ANSWER_CHARS + 1)}), format="json"
    )
    assert response.status_code == 400
    assert "20000" in str(response.json()) or "20,000" in str(response.json())
    assert Interview.objects.count() == 0


@pytest.mark.parametrize("participant", [{"name": ""}, {"company": "Payly"}, None])
def test_an_anonymous_interview_saves_and_is_shown_as_participant_n(api, segment, participant):
    """Anonymised interviews are the norm in research: no name (or no participant at all) is fine."""
    data = payload(segment)
    if participant is None:
        del data["participant"]
    else:
        data["participant"] = participant
    response = api.post("/api/interviews/", data, format="json")
    assert response.status_code == 201, response.json()
    interview = Interview.objects.get()
    assert interview.participant.name == ""
    assert response.json()["participant"]["display_name"] == f"Participant {interview.participant.pk}"


def test_list_filters_by_segment_and_status_and_paginates(api, workspace):
    a, b = SegmentFactory(workspace=workspace), SegmentFactory(workspace=workspace)
    InterviewFactory.create_batch(3, segment=a)
    InterviewFactory(segment=b, status="done")
    body = api.get("/api/interviews/", {"segment": a.slug}).json()
    assert body["count"] == 3 and "results" in body
    assert api.get("/api/interviews/", {"status": "done"}).json()["count"] == 1


def test_other_workspaces_are_invisible_and_404(api, segment):
    stranger = InterviewFactory(segment=SegmentFactory(workspace=WorkspaceFactory()))
    InterviewFactory(segment=segment)
    assert api.get("/api/interviews/").json()["count"] == 1
    assert api.get(f"/api/interviews/{stranger.pk}/").status_code == 404
    assert api.get(f"/api/segments/{stranger.segment.slug}/").status_code == 404
    assert api.delete(f"/api/interviews/{stranger.pk}/").status_code == 404
    assert Interview.objects.filter(pk=stranger.pk).exists()


def test_update_text_requeues_extraction(api, interview, django_capture_on_commit_callbacks):
    Interview.objects.filter(pk=interview.pk).update(status="done")
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.patch(f"/api/interviews/{interview.pk}/", {"answers": {"risk": "A $20k fine."}}, format="json")
    assert response.status_code == 200, response.json()
    interview.refresh_from_db()
    assert interview.risk == "A $20k fine." and interview.status == "pending"
    assert len(callbacks) == 1


def test_segment_crud_in_own_workspace(api, workspace):
    response = api.post("/api/segments/", {"name": "Clinics", "slug": "clinics"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["workspace"] == workspace.name
    assert api.post("/api/segments/", {"name": "Clinics", "slug": "clinics"}, format="json").status_code == 400
    bad_mix = api.patch("/api/segments/clinics/", {"target_nothing_pct": 90}, format="json")
    assert bad_mix.status_code == 400 and "100%" in str(bad_mix.json())
    assert api.delete("/api/segments/clinics/").status_code == 204


def test_token_auth(segment, user):
    client = APIClient()
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/segments/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get("/api/segments/").status_code == 401


def test_openapi_schema_and_docs(api):
    assert api.get("/api/schema/").status_code == 200
    assert api.get("/api/docs/").status_code == 200


def test_swagger_ui_assets_are_served_by_the_app_not_a_cdn(web):
    """Without internet /api/docs/ used to be blank: its JavaScript and CSS came from a CDN."""
    import re

    from django.contrib.staticfiles import finders

    page = web.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
    assert any("swagger-ui-bundle" in a for a in assets), page
    assert all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        found = finders.find(asset.removeprefix("/static/"))
        assert found and Path(found).stat().st_size > 1000, asset


def test_user_without_workspace_sees_nothing(db, interview):
    client = APIClient()
    client.force_authenticate(UserFactory())
    assert client.get("/api/interviews/").json()["count"] == 0


def test_posting_an_interview_takes_a_fixed_handful_of_queries(segment, user, django_assert_max_num_queries):
    # The load target (issue 14, bench/load.py) rests on the save doing nothing but write and
    # enqueue: the segment, the participant and the interview, whatever the segment holds. It once
    # counted the segment's interviews, re-checked every relation and the id, read the token.
    InterviewFactory.create_batch(5, segment=segment)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    # The first request reads the token; the next ones find it in the cache (config.auth).
    assert client.post("/api/interviews/", payload(segment, id="first"), format="json").status_code == 201
    # 3 statements (the segment, the participant, the interview) plus the savepoint and its release
    # (the test runs inside a transaction).
    with django_assert_max_num_queries(5):
        response = client.post("/api/interviews/", payload(segment), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["segment"] == segment.slug


@pytest.mark.parametrize(
    "overrides",
    [{}, {"participant": {}, "interviewed_on": "2026-11-30", "notes": "Said more after the call."}],
)
def test_the_201_and_200_bodies_are_what_get_returns(api, segment, overrides):
    # The bodies are rendered by the serializer that validated the request (no second one built):
    # the same fields and values a GET of the interview gives, participant and all.
    response = api.post("/api/interviews/", payload(segment, **overrides), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == api.get(f"/api/interviews/{body['pk']}/").json()
    patched = api.patch(f"/api/interviews/{body['pk']}/", {"answers": {"risk": "A fine."}}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json() == api.get(f"/api/interviews/{body['pk']}/").json()
    assert patched.json()["answers"]["risk"] == "A fine."
