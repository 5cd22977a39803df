"""Writes for synthesis: running extraction for an interview and storing what it found."""

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from insights.extraction.types import Extraction  # plain dataclasses: no spaCy at import
from insights.models import Mention, RegroupRequest, ReviewStatus, SegmentAssessment
from insights.themes import themes_assign, themes_regroup
from interviews.models import ExtractionStatus, Interview, Segment

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language

logger = logging.getLogger(__name__)

# Errors worth a retry: the database or broker blinked. Anything else is a bug or bad data,
# and retrying would only repeat it.
ASSESSMENT_FIELDS = ("companies", "grows_10x", "clear_goal", "reachable", "importance", "notes", "saturation_window")
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def nlp_load() -> "Language":
    """The spaCy pipeline every extraction uses, and the worker's warm-up loads.

    Always `get_nlp()` with no arguments: the cache is keyed on the call, so this is the one entry
    the extractor's own default (`extract()` without an `nlp`) also hits. The model's name comes
    from settings.SPACY_MODEL, which config.settings hands on to the extraction package.
    """
    from insights.extraction import get_nlp

    return get_nlp()


def _stale_claim_cutoff() -> datetime:
    # A worker killed mid-task leaves the row 'running'; after the hard time limit it is fair game.
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def extraction_claim(*, interview_id: int, task_id: str = "") -> bool:
    """Mark the interview running if nobody else is on it. One conditional UPDATE, so two workers never both win.

    An interview is claimable while it waits (pending), after a failure, or when its claim is stale.
    A finished one is not: a second copy of its task (a sweep, a duplicate delivery) has nothing to do.
    """
    claimable = Q(status__in=[ExtractionStatus.PENDING, ExtractionStatus.FAILED]) | Q(
        status=ExtractionStatus.RUNNING, extraction_started_at__lt=_stale_claim_cutoff()
    )
    if task_id:
        # The same task again: Celery hands an unacknowledged message back only when the worker
        # running it is gone (acks_late + reject_on_worker_lost), or on a retry of this very task.
        claimable |= Q(status=ExtractionStatus.RUNNING, extraction_task_id=task_id)
    claimed = Interview.objects.filter(claimable, pk=interview_id).update(
        status=ExtractionStatus.RUNNING,
        status_error="",
        extraction_started_at=timezone.now(),
        extraction_finished_at=None,
        extraction_task_id=task_id,
    )
    return claimed == 1


def _finish(*, interview_id: int, task_id: str, status: str, error: str = "") -> None:
    # Only the run that holds the claim may finish it: if the text changed meanwhile the row is
    # back to 'pending' and the newer run owns it.
    Interview.objects.filter(pk=interview_id, status=ExtractionStatus.RUNNING, extraction_task_id=task_id).update(
        status=status, status_error=error[:2000], extraction_finished_at=timezone.now()
    )


def extraction_run(*, interview_id: int, task_id: str = "") -> str:
    """Extract one interview. Returns 'done', or 'skipped' (claimed elsewhere, finished already, or gone).

    Errors propagate: the caller (the Celery task) decides between a retry and `extraction_fail`.
    """
    if not extraction_claim(interview_id=interview_id, task_id=task_id):
        logger.info("interview %s: finished or being extracted elsewhere, skipping", interview_id)
        return "skipped"
    interview = Interview.objects.select_related("segment").filter(pk=interview_id).first()
    if interview is None:
        return "skipped"
    from insights.extraction import extract

    extraction = extract(answers=interview.answers, notes=interview.notes, nlp=nlp_load())
    mentions_replace(interview=interview, extraction=extraction)
    _finish(interview_id=interview_id, task_id=task_id, status=ExtractionStatus.DONE)
    return "done"


def extraction_fail(*, interview_id: int, task_id: str, error: str) -> None:
    """Record that the run holding the claim gave up, with a message the PM can read."""
    _finish(interview_id=interview_id, task_id=task_id, status=ExtractionStatus.FAILED, error=error)


def interviews_to_requeue(*, older_than: timedelta) -> list[int]:
    """Interviews whose extraction was lost: still pending after `older_than`, or claimed by a run that died."""
    cutoff = timezone.now() - older_than
    waiting = Q(status=ExtractionStatus.PENDING, updated_at__lt=cutoff)
    stale = Q(status=ExtractionStatus.RUNNING, extraction_started_at__lt=_stale_claim_cutoff())
    return list(Interview.objects.filter(waiting | stale).order_by("pk").values_list("pk", flat=True))


# Regrouping: a burst of extractions in one segment asks for one regroup, run once the burst is over.


def _regroup_stale_cutoff() -> datetime:
    # A queued regroup that never ran (its message was lost with the broker) must not block the
    # segment forever: past the longest a queued one can wait and run, a new request queues again.
    seconds = settings.SIFT_REGROUP_MAX_WAIT + settings.CELERY_TASK_TIME_LIMIT + 60
    return timezone.now() - timedelta(seconds=seconds)


def regroup_request(*, segment_id: int) -> bool:
    """Note that the segment's themes are out of date. True when the caller must queue the regroup task.

    Only the first request of a burst gets True (a conditional UPDATE on the segment's row), so a
    segment has at most one regroup queued whatever the number of extractions.
    """
    now = timezone.now()
    if not RegroupRequest.objects.filter(pk=segment_id).update(requested_at=now):
        RegroupRequest.objects.get_or_create(segment_id=segment_id, defaults={"requested_at": now})
    unscheduled = Q(scheduled_at=None) | Q(scheduled_at__lt=_regroup_stale_cutoff())
    return RegroupRequest.objects.filter(unscheduled, pk=segment_id).update(scheduled_at=now) == 1


def regroup_unschedule(*, segment_id: int) -> None:
    """The queued regroup is gone (it could not be sent): the next request queues one again."""
    RegroupRequest.objects.filter(pk=segment_id).update(scheduled_at=None)


def regroup_wait(*, segment_id: int) -> float:
    """Seconds the queued regroup should still wait: until the segment has been quiet for the
    debounce delay, and never past the longest wait after the first request of the burst."""
    row = RegroupRequest.objects.filter(pk=segment_id).first()
    if row is None or row.scheduled_at is None:
        return 0.0
    now = timezone.now()
    quiet = row.requested_at + timedelta(seconds=settings.SIFT_REGROUP_DEBOUNCE) - now
    cap = row.scheduled_at + timedelta(seconds=settings.SIFT_REGROUP_MAX_WAIT) - now
    return max(0.0, min(quiet, cap).total_seconds())


def regroups_to_requeue() -> list[int]:
    """Segments asked to regroup whose queued task was lost; each is claimed again for the caller to queue."""
    behind = Q(regrouped_at=None) | Q(requested_at__gt=F("regrouped_at"))
    lost = Q(scheduled_at=None) | Q(scheduled_at__lt=_regroup_stale_cutoff())
    claimed: list[int] = []
    for segment_id in RegroupRequest.objects.filter(behind, lost).values_list("pk", flat=True):
        now = timezone.now()
        if RegroupRequest.objects.filter(lost, pk=segment_id).update(scheduled_at=now):
            claimed.append(segment_id)
    return claimed


def segment_regroup(*, segment_id: int) -> int:
    """Regroup a segment's themes now; returns how many mentions changed theme (0 if the segment is gone)."""
    started = timezone.now()
    # Released first: a request that arrives while this runs queues a fresh regroup for what it adds.
    RegroupRequest.objects.filter(pk=segment_id).update(scheduled_at=None)
    segment = Segment.objects.filter(pk=segment_id).first()
    if segment is None:
        return 0
    moved = themes_regroup(segment=segment)
    RegroupRequest.objects.filter(pk=segment_id).update(regrouped_at=started)
    return moved


def _readable(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


def _overlaps(a_field: str, a_start: int, a_end: int, b: Mention) -> bool:
    return a_field == b.field and a_start < b.end and b.start < a_end


# Bounds on what an extraction stores for the segment regroup: enough to settle keys, never unbounded.
MAX_CANDIDATES = 8
MAX_TOPICS = 200


def quote_find(text: str, quote: str, near: int) -> int | None:
    """Where `quote` is in `text`, the occurrence nearest `near`; None when it is not there."""
    if not quote:
        return None
    best: int | None = None
    at = text.find(quote)
    while at != -1:
        if best is None or abs(at - near) < abs(best - near):
            best = at
        at = text.find(quote, at + 1)
    return best


def _reviewed_reanchor(*, interview: Interview) -> list[Mention]:
    """The interview's reviewed mentions, each with a span that is true of the current text.

    The text may have changed since the reviewer decided (a re-import, an edit). A quote still in
    its field moves to the occurrence nearest its old start; a quote no longer there keeps its
    mention and decision but is marked `quote_missing` (its start/end are then stale). A quote that
    comes back is found again. Quote and decision are never touched.
    """
    reviewed = list(Mention.objects.filter(interview=interview).order_by("pk"))
    changed: list[Mention] = []
    for r in reviewed:
        text = getattr(interview, r.field, "") or ""
        if text[r.start : r.end] == r.quote and r.quote and not r.quote_missing:
            continue
        at = quote_find(text, r.quote, r.start)
        if at is None:
            if r.quote_missing:
                continue
            r.quote_missing = True
        else:
            r.start, r.end, r.quote_missing = at, at + len(r.quote), False
        changed.append(r)
    if changed:
        Mention.objects.bulk_update(changed, ["start", "end", "quote_missing"])
    return reviewed


@transaction.atomic
def mentions_replace(*, interview: Interview, extraction: Extraction) -> list[Mention]:
    """Replace the machine's mentions for this interview; reviewer-touched mentions stay as they are.

    A reviewed mention first follows its quote in the (possibly re-imported) text: see
    `_reviewed_reanchor`. A new machine mention that overlaps a reviewed one of the same kind is
    dropped, so a re-run never duplicates what a reviewer accepted, edited or rejected.
    """
    Mention.objects.filter(interview=interview, review_status=ReviewStatus.UNREVIEWED).delete()
    reviewed = _reviewed_reanchor(interview=interview)
    fresh: list[Mention] = []
    for m in extraction.mentions:
        if any(r.kind == m.kind and not r.quote_missing and _overlaps(m.field, m.start, m.end, r) for r in reviewed):
            continue
        fresh.append(
            Mention(
                interview=interview,
                kind=m.kind,
                field=m.field,
                start=m.start,
                end=m.end,
                quote=m.quote,
                proposed_theme_key=(m.theme_key or "")[:120],
                theme_candidates=[c[:120] for c in m.candidates[:MAX_CANDIDATES]],
                about_key=(m.about or "")[:120],
                states_consequence=m.consequence,
                severity=m.severity or "",
                hours_per_week=m.hours_per_week,
                wtp_min=m.wtp_min,
                wtp_max=m.wtp_max,
                wtp_period=m.wtp_period or "",
                currency=m.currency or "",
                risk_amount=m.risk_amount,
                refused=m.refused,
                extractor_version=_extractor_version(),
            )
        )
    created = Mention.objects.bulk_create(fresh)
    topics = dict(sorted(extraction.topics.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TOPICS])
    Interview.objects.filter(pk=interview.pk).update(extraction_topics=topics)
    themes_assign(segment=interview.segment, mentions=created)
    return created


def _extractor_version() -> str:
    from insights.extraction import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


@transaction.atomic
def assessment_save(*, segment: Segment, user: Any, data: dict[str, Any]) -> SegmentAssessment:
    """Store the PM's answers about a segment (one row per segment), and who gave them."""
    fields = {name: data[name] for name in ASSESSMENT_FIELDS if name in data}
    assessment, _ = SegmentAssessment.objects.select_for_update().update_or_create(
        segment=segment, defaults={**fields, "updated_by": user}
    )
    return assessment
