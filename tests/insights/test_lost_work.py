"""Nothing lost when a part fails: a dead broker at save, races between workers, regroup storms."""

import logging
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from config.celery import app
from insights import services, tasks
from insights.models import Mention, RegroupRequest, Theme
from insights.themes import themes_assign
from interviews.models import Interview
from tests.factories import InterviewFactory

POST = {
    "participant": {"name": "Rosa", "usage": "nothing"},
    "answers": {"whats_broken": "Month-end reconciliation is a nightmare.", "time_spent": "About 6 hours a week."},
}


def _drop_cached_connections():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Celery as deployed (tasks go to a broker through config.broker), with the broker unreachable."""
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "broker_transport")}
    app.conf.update(
        task_always_eager=False, broker_url="redis://127.0.0.1:1/0", broker_transport="config.broker:Transport"
    )
    _drop_cached_connections()
    yield
    app.conf.update(saved)
    _drop_cached_connections()


def test_api_save_with_the_broker_down_is_201_pending(
    api, segment, broker_down, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.WARNING, logger="insights.tasks"), django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/interviews/", {"segment": segment.slug, **POST}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert Interview.objects.get(pk=response.json()["pk"]).status == "pending"
    assert "broker unreachable" in caplog.text


def test_form_save_with_the_broker_down_redirects_to_the_pending_interview(
    web, segment, broker_down, django_capture_on_commit_callbacks
):
    form = {
        "segment": segment.pk,
        "participant_name": "Rosa",
        "participant_usage": "nothing",
        "whats_broken": "Month-end reconciliation is a nightmare.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/interviews/new/", form)
    assert response.status_code == 302, response.content
    assert Interview.objects.get().status == "pending"


def test_requeue_pending_extracts_what_the_broker_lost(segment):
    lost = InterviewFactory(segment=segment)  # saved while the broker was down: still pending
    Interview.objects.filter(pk=lost.pk).update(updated_at=timezone.now() - timedelta(minutes=10))
    fresh = InterviewFactory(segment=segment)  # just saved: its task may still be on its way
    call_command("requeue_pending")
    assert Interview.objects.get(pk=lost.pk).status == "done"
    assert Interview.objects.get(pk=fresh.pk).status == "pending"
    call_command("requeue_pending", "--older-than", "0")
    assert Interview.objects.get(pk=fresh.pk).status == "done"


def test_requeue_pending_takes_over_stale_claims(segment, settings):
    dead = InterviewFactory(segment=segment)
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    Interview.objects.filter(pk=dead.pk).update(
        status="running", extraction_started_at=long_ago, extraction_task_id="x"
    )
    live = InterviewFactory(segment=segment)
    Interview.objects.filter(pk=live.pk).update(status="running", extraction_started_at=timezone.now())
    call_command("requeue_pending", "--older-than", "0")
    assert Interview.objects.get(pk=dead.pk).status == "done"
    assert Interview.objects.get(pk=live.pk).status == "running"  # someone is on it


def test_requeue_pending_says_so_when_the_broker_is_still_down(segment, broker_down):
    InterviewFactory(segment=segment)
    with pytest.raises(CommandError, match="could not be queued: the broker is unreachable"):
        call_command("requeue_pending", "--older-than", "0")


def test_beat_runs_the_sweep(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["insights.tasks.requeue_stuck"] == settings.SIFT_SWEEP_EVERY
    assert "insights.tasks.requeue_stuck" in app.tasks


def test_a_theme_another_worker_just_created_is_reused_not_a_crash(segment, monkeypatch):
    # Two workers extract the first interviews of a new segment: both read "no theme 'reporting'",
    # the other one inserts it first. Ours must take that row, not fail the interview.
    interview = InterviewFactory(segment=segment)
    theirs = Theme.objects.create(segment=segment, kind="pain", key="reporting", name="Reporting")
    mention = Mention.objects.create(
        interview=interview,
        kind="pain",
        field="whats_broken",
        start=0,
        end=5,
        quote="Month",
        proposed_theme_key="reporting",
    )
    read_before_they_committed = Theme.objects.none()
    monkeypatch.setattr(Theme.objects, "filter", lambda *a, **kw: read_before_they_committed)
    themes_assign(segment=segment, mentions=[mention])
    mention.refresh_from_db()
    assert mention.theme_id == theirs.pk


def test_a_burst_of_extractions_queues_one_regroup_on_its_own_queue(
    segment, monkeypatch, settings, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        tasks.regroup_segment, "apply_async", lambda args, **options: sent.append((list(args), options))
    )
    interviews = [InterviewFactory(segment=segment) for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        for interview in interviews:
            assert tasks.extract_interview.apply(args=[interview.pk]).get() == "done"
    assert sent == [([segment.pk], {"countdown": settings.SIFT_REGROUP_DEBOUNCE})]

    route = app.amqp.router.route({}, "insights.tasks.regroup_segment")
    extraction_route = app.amqp.router.route({}, "insights.tasks.extract_interview")
    assert route["queue"].name == f"{app.conf.task_default_queue}.regroup"
    assert extraction_route["queue"].name == app.conf.task_default_queue


def test_a_regroup_waits_for_the_burst_to_end_within_the_cap(segment, settings):
    settings.SIFT_REGROUP_DEBOUNCE, settings.SIFT_REGROUP_MAX_WAIT = 5, 60
    assert services.regroup_request(segment_id=segment.pk)
    assert not services.regroup_request(segment_id=segment.pk)  # one queued regroup per segment
    assert 4 < services.regroup_wait(segment_id=segment.pk) <= 5  # still busy: wait
    now = timezone.now()
    RegroupRequest.objects.filter(pk=segment.pk).update(requested_at=now - timedelta(seconds=6))
    assert services.regroup_wait(segment_id=segment.pk) == 0  # quiet for the debounce delay: go
    RegroupRequest.objects.filter(pk=segment.pk).update(requested_at=now, scheduled_at=now - timedelta(seconds=61))
    assert services.regroup_wait(segment_id=segment.pk) == 0  # busy, but it has waited long enough
    services.segment_regroup(segment_id=segment.pk)
    assert services.regroup_request(segment_id=segment.pk)  # after the run, the next request queues again


def test_a_lost_regroup_is_queued_again_by_the_sweep(segment, settings):
    assert services.regroup_request(segment_id=segment.pk)  # queued, then the message was lost
    assert services.regroups_to_requeue() == []  # not yet stale
    stale = timezone.now() - timedelta(seconds=settings.SIFT_REGROUP_MAX_WAIT + settings.CELERY_TASK_TIME_LIMIT + 61)
    RegroupRequest.objects.filter(pk=segment.pk).update(scheduled_at=stale)
    assert services.regroups_to_requeue() == [segment.pk]
    assert services.regroups_to_requeue() == []  # claimed once
