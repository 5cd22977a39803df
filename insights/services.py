"""Writes for synthesis: running extraction for an interview and storing what it found."""

import logging
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from insights.extraction.types import Extraction  # plain dataclasses: no spaCy at import
from insights.models import Mention, ReviewStatus
from insights.themes import themes_assign, themes_regroup
from interviews.models import ExtractionStatus, Interview, Segment

logger = logging.getLogger(__name__)

# Errors worth a retry: the database or broker blinked. Anything else is a bug or bad data,
# and retrying would only repeat it.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def _stale_claim_cutoff() -> datetime:
    # A worker killed mid-task leaves the row 'running'; after the hard time limit it is fair game.
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def extraction_claim(*, interview_id: int) -> bool:
    """Mark the interview running if nobody else is on it. One conditional UPDATE, so two workers never both win."""
    claimable = ~Q(status=ExtractionStatus.RUNNING) | Q(extraction_started_at__lt=_stale_claim_cutoff())
    claimed = Interview.objects.filter(claimable, pk=interview_id).update(
        status=ExtractionStatus.RUNNING,
        status_error="",
        extraction_started_at=timezone.now(),
        extraction_finished_at=None,
    )
    return claimed == 1


def _finish(*, interview_id: int, status: str, error: str = "") -> None:
    # Only the run that holds the claim may finish it: if the text changed meanwhile the row is
    # back to 'pending' and the newer run owns it.
    Interview.objects.filter(pk=interview_id, status=ExtractionStatus.RUNNING).update(
        status=status, status_error=error[:2000], extraction_finished_at=timezone.now()
    )


def extraction_run(*, interview_id: int, final_attempt: bool = True) -> str:
    """Extract one interview. Returns 'done', 'failed' or 'skipped' (claimed elsewhere or gone)."""
    if not extraction_claim(interview_id=interview_id):
        logger.info("interview %s: already being extracted, skipping", interview_id)
        return "skipped"
    try:
        interview = Interview.objects.select_related("segment").get(pk=interview_id)
        from insights.extraction import extract
        from insights.extraction.pipeline import get_nlp

        extraction = extract(answers=interview.answers, notes=interview.notes, nlp=get_nlp(settings.SPACY_MODEL))
        mentions_replace(interview=interview, extraction=extraction)
    except Interview.DoesNotExist:
        return "skipped"
    except TRANSIENT_ERRORS as exc:
        if final_attempt:
            _finish(interview_id=interview_id, status=ExtractionStatus.FAILED, error=_readable(exc))
        else:
            # Give the claim back so the retry can take it.
            Interview.objects.filter(pk=interview_id).update(status=ExtractionStatus.PENDING)
        raise
    except SoftTimeLimitExceeded:
        _finish(
            interview_id=interview_id,
            status=ExtractionStatus.FAILED,
            error="Extraction took longer than the time limit. Split very long transcripts and retry.",
        )
        return "failed"
    except Exception as exc:
        logger.exception("interview %s: extraction failed", interview_id)
        _finish(interview_id=interview_id, status=ExtractionStatus.FAILED, error=_readable(exc))
        return "failed"
    _finish(interview_id=interview_id, status=ExtractionStatus.DONE)
    return "done"


def segment_regroup(*, segment_id: int) -> int:
    """Regroup a segment's themes; returns how many mentions changed theme (0 if the segment is gone)."""
    segment = Segment.objects.filter(pk=segment_id).first()
    return themes_regroup(segment=segment) if segment is not None else 0


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
