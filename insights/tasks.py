"""Celery adapters: take ids, call services. Safe to run twice."""

from celery import shared_task

from insights.services import TRANSIENT_ERRORS, extraction_run, segment_regroup


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
    return extraction_run(interview_id=interview_id, final_attempt=self.request.retries >= self.max_retries)


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
