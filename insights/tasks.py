"""Celery adapters: take ids, call services. Safe to run twice.

The `enqueue_*` helpers are how the rest of the code asks for work: they wait for the caller's
transaction to commit, so a worker never looks for rows that are not there yet. A broker that is
down never fails the caller's save: the row stays `pending` and the sweep (`requeue_stuck`, run by
celery beat, or `manage.py requeue_pending`) queues it once the broker is back.
"""

import logging
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from insights import services
from insights.services import TRANSIENT_ERRORS
from interviews.models import Interview

logger = logging.getLogger(__name__)

TIME_LIMIT_MESSAGE = "Extraction took longer than the time limit. Split very long transcripts and retry."


def _send(task: Task, *args: Any, **options: Any) -> bool:
    """Queue a task; False (logged) when the broker cannot be reached."""
    try:
        task.apply_async(args=args, **options)
    except (BrokerError, ConnectionError, TimeoutError) as exc:
        logger.warning("broker unreachable, %s%s left for the sweep: %s", task.name, args, exc)
        return False
    return True


def enqueue_extraction(*, interview_id: int) -> None:
    transaction.on_commit(lambda: _send(extract_interview, interview_id))


def enqueue_regroup(*, segment_id: int) -> None:
    """Ask for the segment's themes to be regrouped: once after a burst of requests, not once each."""
    if services.regroup_request(segment_id=segment_id):
        transaction.on_commit(lambda: _queue_regroup(segment_id))


def _queue_regroup(segment_id: int, countdown: float | None = None) -> None:
    delay = settings.SIFT_REGROUP_DEBOUNCE if countdown is None else countdown
    if not _send(regroup_segment, segment_id, countdown=delay):
        services.regroup_unschedule(segment_id=segment_id)


class ExtractionTask(Task):
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # The last word on a run that gave up (an error that is not transient, or retries used up):
        # the service raised, the interview records why.
        interview_id = kwargs.get("interview_id", args[0] if args else None)
        if interview_id is None:
            return
        if isinstance(exc, SoftTimeLimitExceeded | TimeLimitExceeded):
            error = TIME_LIMIT_MESSAGE
        else:
            error = f"{type(exc).__name__}: {exc}".strip()
        services.extraction_fail(interview_id=interview_id, task_id=task_id, error=error)


@shared_task(
    bind=True,
    base=ExtractionTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=3,
)
def extract_interview(self, interview_id: int) -> str:  # type: ignore[no-untyped-def]
    outcome = services.extraction_run(interview_id=interview_id, task_id=self.request.id or "")
    if outcome == "done":
        # New mentions may change how the whole segment groups into themes.
        segment_id = Interview.objects.filter(pk=interview_id).values_list("segment_id", flat=True).first()
        if segment_id is not None:
            enqueue_regroup(segment_id=segment_id)
    return outcome


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=3,
)
def regroup_segment(self, segment_id: int) -> int:  # type: ignore[no-untyped-def]
    # Recomputes the whole segment's grouping, so running it twice is harmless. Still busy (a
    # request came in less than the debounce delay ago): wait for the burst to end, within the cap.
    wait = services.regroup_wait(segment_id=segment_id)
    if wait > 0 and not self.request.is_eager:
        _queue_regroup(segment_id, countdown=wait)
        return 0
    return services.segment_regroup(segment_id=segment_id)


@shared_task
def requeue_stuck(older_than_seconds: float | None = None) -> dict[str, int]:
    """Queue what was lost: interviews left pending or with a dead run's claim, and unserved regroups."""
    seconds = settings.SIFT_REQUEUE_AFTER if older_than_seconds is None else older_than_seconds
    interviews = services.interviews_to_requeue(older_than=timedelta(seconds=seconds))
    sent = sum(_send(extract_interview, pk) for pk in interviews)
    segments = services.regroups_to_requeue()
    for segment_id in segments:
        _queue_regroup(segment_id, countdown=0)
    return {"interviews": sent, "interviews_found": len(interviews), "regroups": len(segments)}
