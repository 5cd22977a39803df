"""Celery adapters: take ids, call services. Safe to run twice.

The `enqueue_*` helpers are how the rest of the code asks for work: they wait for the caller's
transaction to commit, so a worker never looks for rows that are not there yet.
"""

from celery import shared_task
from django.db import transaction

from insights.services import TRANSIENT_ERRORS, extraction_run, segment_regroup
from interviews.models import Interview


def enqueue_extraction(*, interview_id: int) -> None:
    transaction.on_commit(lambda: extract_interview.delay(interview_id))


def enqueue_regroup(*, segment_id: int) -> None:
    transaction.on_commit(lambda: regroup_segment.delay(segment_id))


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=3,
)
def extract_interview(self, interview_id: int) -> str:  # type: ignore[no-untyped-def]
    outcome = extraction_run(interview_id=interview_id, final_attempt=self.request.retries >= self.max_retries)
    if outcome == "done":
        # New mentions may change how the whole segment groups into themes.
        segment_id = Interview.objects.filter(pk=interview_id).values_list("segment_id", flat=True).first()
        if segment_id is not None:
            enqueue_regroup(segment_id=segment_id)
    return outcome


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=3,
)
def regroup_segment(segment_id: int) -> int:
    # Recomputes the whole segment's grouping, so running it twice is harmless.
    return segment_regroup(segment_id=segment_id)
