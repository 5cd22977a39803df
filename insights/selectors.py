"""Reads for synthesis: mentions, per-interview figures, exports."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Prefetch, QuerySet

from insights.models import Mention, MentionKind, ReviewStatus, Theme
from interviews.models import Interview, Segment
from interviews.script import field_position


def mentions_counting(*, segment: Segment) -> QuerySet[Mention]:
    """Mentions that count: everything in the segment except what a reviewer rejected."""
    return Mention.objects.filter(interview__segment=segment).exclude(review_status=ReviewStatus.REJECTED)


def interview_figures(*, mentions: Iterable[Mention]) -> dict[str, Any]:
    """Hours per week, willingness to pay and the largest risk amount of one interview.

    Hours: the sum of the distinct figures (two problems at 4 and 2 hours make 6; the same 3 hours
    said twice is still 3). WTP: the first stated, non-refused figure. Risk: the largest amount.
    """
    hours: list[float] = []
    wtp: dict[str, Any] | None = None
    risk: float | None = None
    # "First" in the order the interview went: the pricing answer comes before a note written later.
    for m in sorted(mentions, key=lambda m: (field_position(m.field), m.start)):
        if m.review_status == ReviewStatus.REJECTED:
            continue
        if m.kind == MentionKind.TIME and m.hours_per_week is not None and m.hours_per_week not in hours:
            hours.append(m.hours_per_week)
        elif m.kind == MentionKind.WTP and wtp is None and not m.refused and m.wtp_min is not None:
            wtp = {
                "min": m.wtp_min,
                "max": m.wtp_max if m.wtp_max is not None else m.wtp_min,
                "currency": m.currency or "USD",
                "period": m.wtp_period or "month",
            }
        if m.risk_amount is not None and (risk is None or m.risk_amount > risk):
            risk = m.risk_amount
    return {"hours_per_week": round(sum(hours), 2) if hours else None, "wtp": wtp, "risk_amount": risk}


def mention_export_rows(*, segment: Segment) -> Iterator[dict[str, Any]]:
    """One dict per interview with its figures and mentions, streamed interview by interview."""
    interviews = (
        Interview.objects.filter(segment=segment)
        .select_related("participant")
        .prefetch_related(
            Prefetch("mentions", queryset=Mention.objects.select_related("theme").order_by("field", "start"))
        )
        .order_by("id")
    )
    for interview in interviews.iterator(chunk_size=200):
        mentions = list(interview.mentions.all())
        yield {
            "id": interview.display_id,
            **interview_figures(mentions=mentions),
            "mentions": [mention_as_dict(m) for m in mentions if m.review_status != ReviewStatus.REJECTED],
        }


def mention_as_dict(m: Mention) -> dict[str, Any]:
    return {
        "kind": m.kind,
        "quote": m.quote,
        "field": m.field,
        "start": m.start,
        "end": m.end,
        "quote_missing": m.quote_missing,
        "theme": m.theme.key if m.theme else m.proposed_theme_key,
        "theme_name": m.theme.name if m.theme else "",
        "severity": m.severity or None,
        "hours_per_week": m.hours_per_week,
        "wtp_min": m.wtp_min,
        "wtp_max": m.wtp_max,
        "wtp_period": m.wtp_period or None,
        "currency": m.currency or None,
        "risk_amount": m.risk_amount,
        "refused": m.refused,
        "source": "machine" if m.review_status == ReviewStatus.UNREVIEWED else "reviewer",
        "review_status": m.review_status,
        "extractor_version": m.extractor_version,
    }


def interview_highlights(*, interview: Interview, sections: list[dict[str, Any]]) -> dict[str, Any]:
    """Split each section's text into plain and highlighted pieces, and group mentions by kind.

    Pieces are rendered with the template's escaping, so answers with HTML stay inert.
    """
    mentions = [m for m in interview.mentions.select_related("theme") if m.review_status != ReviewStatus.REJECTED]
    by_field: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_field[m.field].append(m)
    for section in sections:
        text = section["text"] or ""
        pieces: list[dict[str, Any]] = []
        cursor = 0
        for m in sorted(by_field.get(section["key"], []), key=lambda x: (x.start, -x.end)):
            if m.quote_missing or m.start < cursor or m.end > len(text):
                continue  # overlapping or stale span: the grouped list still shows it
            if m.start > cursor:
                pieces.append({"text": text[cursor : m.start]})
            pieces.append({"text": text[m.start : m.end], "kind": m.kind, "title": m.get_kind_display()})
            cursor = m.end
        if cursor < len(text):
            pieces.append({"text": text[cursor:]})
        section["pieces"] = pieces
    grouped = [
        {"kind": kind.value, "label": kind.label, "mentions": [m for m in mentions if m.kind == kind]}
        for kind in MentionKind
    ]
    return {"sections": sections, "mentions_by_kind": [g for g in grouped if g["mentions"]]}


def mention_list(*, user: AuthUser | AnonymousUser) -> QuerySet[Mention]:
    """Mentions in the user's workspaces (what the review queue and API may show)."""
    if not user.is_authenticated:
        return Mention.objects.none()
    return Mention.objects.filter(interview__segment__workspace__members=user).select_related(
        "interview__participant", "interview__segment", "theme", "reviewed_by"
    )


def theme_list(*, user: AuthUser | AnonymousUser) -> QuerySet[Theme]:
    if not user.is_authenticated:
        return Theme.objects.none()
    return Theme.objects.filter(segment__workspace__members=user).select_related("segment")
