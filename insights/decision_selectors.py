"""Reads for the playbook's decisions (saturation, mix, pricing, segment comparison): narrow queries
that feed the rules in `insights.decisions`. The matrix is read through its public functions only."""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from insights import decisions
from insights.decisions import MustHave, PricePoint, PriceTiers, Saturation, Spread
from insights.matrix import Matrix, MatrixRow, evidence_ids, segment_matrix
from insights.models import Mention as MentionModel
from insights.models import MentionKind, ReviewStatus, SegmentAssessment, Severity, Theme
from interviews.models import ExtractionStatus, Interview, Segment, UsageType
from interviews.script import field_position
from interviews.selectors import segment_progress

IDS_PER_QUERY = 500  # SQLite caps a statement's parameters near 1000


def assessment_of(*, segment: Segment) -> SegmentAssessment:
    """The PM's answers about the segment, unsaved defaults when there are none yet."""
    found = SegmentAssessment.objects.filter(segment=segment).first()
    return found or SegmentAssessment(segment=segment)


def pain_theme_roots(*, segment: Segment) -> dict[int, int]:
    """Theme id -> the pain theme it survives as (reviewer merges followed), for every pain matrix row."""
    parents = dict(Theme.objects.filter(segment=segment).values_list("id", "merged_into_id"))
    kinds = dict(Theme.objects.filter(segment=segment).values_list("id", "kind"))
    roots: dict[int, int] = {}
    for tid in parents:
        root, seen = tid, set()
        while (parent := parents.get(root)) and parent in parents and root not in seen:
            seen.add(root)
            root = parent
        if kinds[root] == MentionKind.PAIN:
            roots[tid] = root
    return roots


def _date_ordered(interviews: Iterable[Interview]) -> list[Interview]:
    """Interviews by interview date; undated ones last, in the order they were logged."""
    return sorted(interviews, key=lambda i: (i.interviewed_on is None, i.interviewed_on or 0, i.created_at, i.pk))


def segment_saturation(*, segment: Segment, window: int | None = None) -> Saturation:
    """How many new pain themes (matrix rows) each analysed interview added, in date order."""
    if window is None:
        window = assessment_of(segment=segment).saturation_window
    interviews = list(Interview.objects.filter(segment=segment).only("id", "external_id", "interviewed_on", "status",
                                                                    "created_at"))  # fmt: skip
    done = _date_ordered(i for i in interviews if i.status == ExtractionStatus.DONE)
    roots = pain_theme_roots(segment=segment)
    themes: dict[int, set[int]] = defaultdict(set)
    pains = (
        MentionModel.objects.filter(interview__segment=segment, kind=MentionKind.PAIN, theme__isnull=False)
        .exclude(review_status=ReviewStatus.REJECTED)
        .values_list("interview_id", "theme_id")
    )
    for interview_id, theme_id in pains:
        if theme_id in roots:
            themes[interview_id].add(roots[theme_id])
    return Saturation(
        interviews=[i.display_id for i in done],
        new_themes_per_interview=decisions.new_themes_per_interview(themes[i.pk] for i in done),
        window=window,
        not_analysed=len(interviews) - len(done),
    )


def segment_mix(*, segment: Segment) -> list[decisions.MixGroup]:
    """The interviewee types against the segment's target mix, with a warning for each group that is off."""
    targets = {
        UsageType.OUR_PRODUCT.value: segment.target_our_product_pct,
        UsageType.COMPETITOR.value: segment.target_competitor_pct,
        UsageType.NOTHING.value: segment.target_nothing_pct,
    }
    mix: Any = segment_progress(segment=segment)["mix"]
    return decisions.interview_mix(groups=[(g["usage"], g["label"], g["count"], targets[g["usage"]]) for g in mix])


@dataclass(frozen=True, slots=True)
class GroupMatrices:
    usages: list[tuple[str, str]]  # (usage, label) per column
    matrices: list[Matrix]
    rows: list[decisions.Aligned[MatrixRow]]


def matrices_by_usage(*, segment: Segment) -> GroupMatrices:
    """The matrix of each interviewee type, side by side, themes aligned by name."""
    usages = list(UsageType.choices)
    matrices = [segment_matrix(segment=segment, usage=usage) for usage, _label in usages]
    rows = decisions.align_by_name([m.rows for m in matrices], name_of=lambda r: r.name)
    return GroupMatrices([(str(u), str(label)) for u, label in usages], matrices, rows)


# What to charge ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WtpStatement:
    interview: str
    usage: str
    team_size: int | None
    monthly: float | None  # None: one-off
    currency: str
    quote: str
    mention_id: int


@dataclass(slots=True)
class Pricing:
    currency: str
    stated: list[WtpStatement]  # one per interviewee who stated a figure (one-offs included)
    refused: list[str]  # interviews that refused to name a price and stated none
    interviews: int
    spread: Spread  # of the monthly figures in `currency`
    by_band: list[tuple[str, Spread]]
    by_usage: list[tuple[str, str, Spread]]
    tiers: PriceTiers
    points: list[PricePoint] = field(default_factory=list)

    @property
    def monthly(self) -> list[WtpStatement]:
        return [s for s in self.stated if s.monthly is not None and s.currency == self.currency]

    @property
    def once(self) -> int:
        return sum(1 for s in self.stated if s.monthly is None)

    @property
    def other_currencies(self) -> dict[str, int]:
        return self.tiers.other_currencies


def wtp_statements(*, segment: Segment) -> tuple[list[WtpStatement], list[str]]:
    """Each interviewee's first stated WTP (script order, notes last; as the matrix), and who refused.

    A refusal counts only for an interviewee who stated no figure at all.
    """
    rows = (
        MentionModel.objects.filter(interview__segment=segment, kind=MentionKind.WTP)
        .exclude(review_status=ReviewStatus.REJECTED)
        .values(
            "id", "interview_id", "field", "start", "quote", "wtp_min", "wtp_max", "wtp_period", "currency",
            "refused", "interview__external_id", "interview__participant__team_size",
            "interview__participant__usage",
        )
    )  # fmt: skip
    by_interview: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_interview[row["interview_id"]].append(dict(row))
    stated: list[WtpStatement] = []
    refused: list[str] = []
    for interview_id, mentions in sorted(by_interview.items()):
        display = mentions[0]["interview__external_id"] or str(interview_id)
        figures = [m for m in mentions if not m["refused"] and m["wtp_min"] is not None]
        if not figures:
            if any(m["refused"] for m in mentions):
                refused.append(display)
            continue
        first = min(figures, key=lambda m: (field_position(m["field"]), m["start"], m["id"]))
        team_size = first["interview__participant__team_size"]
        stated.append(
            WtpStatement(
                interview=display,
                usage=first["interview__participant__usage"],
                team_size=team_size,
                monthly=decisions.monthly_wtp(
                    low=first["wtp_min"],
                    high=first["wtp_max"],
                    period=first["wtp_period"] or "month",
                    team_size=team_size,
                ),
                currency=first["currency"] or "USD",
                quote=first["quote"],
                mention_id=first["id"],
            )
        )
    return stated, refused


def segment_pricing(*, segment: Segment) -> Pricing:
    """The WTP distribution (in the currency most interviewees used), its breakdowns and the price tiers."""
    stated, refused = wtp_statements(segment=segment)
    points = [
        PricePoint(s.interview, s.monthly, s.currency, s.team_size, s.quote) for s in stated if s.monthly is not None
    ]
    tiers = decisions.price_tiers(points)
    currency = decisions.main_currency(points)
    monthly = [s for s in stated if s.monthly is not None and s.currency == currency]
    bands: dict[str, list[float]] = defaultdict(list)
    usages: dict[str, list[float]] = defaultdict(list)
    for s in monthly:
        assert s.monthly is not None
        bands[decisions.team_size_band(s.team_size)].append(s.monthly)
        usages[s.usage].append(s.monthly)
    band_order = [label for label, _upper in decisions.TEAM_SIZE_BANDS] + [decisions.UNKNOWN_BAND]
    return Pricing(
        currency=currency,
        stated=stated,
        refused=refused,
        interviews=Interview.objects.filter(segment=segment).count(),
        spread=decisions.spread([s.monthly for s in monthly if s.monthly is not None]),
        by_band=[(b, decisions.spread(bands[b])) for b in band_order if bands.get(b)],
        by_usage=[(str(u), str(label), decisions.spread(usages[u])) for u, label in UsageType.choices if usages.get(u)],
        tiers=tiers,
        points=[p for p in points if p.currency == currency],
    )


# Which segment to pick ----------------------------------------------------------------------------


@dataclass(slots=True)
class SegmentSummary:
    segment: Segment
    matrix: Matrix
    assessment: SegmentAssessment
    interviews: int
    high_pain: int  # interviewees with a high or very high pain
    pricing: Pricing
    impact_n: int  # interviewees who gave hours
    median_impact: float | None  # $ per customer per year from hours
    opportunity: float | None
    must_have: MustHave

    @property
    def high_pain_pct(self) -> int:
        return decisions.share_pct(self.high_pain, self.interviews)


def _in_batches(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), IDS_PER_QUERY):
        yield list(ids[i : i + IDS_PER_QUERY])


_SENTENCE_END = re.compile(r"[.!?\n]")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end] (from the previous . ! ? or line break to the next)."""
    before = max((m.end() for m in _SENTENCE_END.finditer(text, 0, max(0, start))), default=0)
    after = _SENTENCE_END.search(text, end)
    return text[before : after.end() if after else len(text)].strip()


def top_pain_recurrence(*, segment: Segment, row: MatrixRow | None) -> MustHave:
    """How often the top pain comes back, per interviewee, from the sentences of its pain and time quotes."""
    if row is None:
        return decisions.must_have_suggestion([], pain="the top pain")
    ids = sorted(evidence_ids(segment=segment, theme_id=row.theme_id))
    per_interview: dict[int, list[str]] = defaultdict(list)
    for batch in _in_batches(ids):
        mentions = MentionModel.objects.filter(
            id__in=batch, kind__in=[MentionKind.PAIN, MentionKind.TIME]
        ).select_related("interview")
        for m in mentions:
            text = getattr(m.interview, m.field, "") or ""
            sentence = m.quote if m.quote_missing else sentence_around(text, m.start, m.end)
            if said := decisions.recurrence_of(sentence):
                per_interview[m.interview_id].append(said)
    # Per interviewee the most frequent recurrence they mention (daily before weekly on ties).
    chosen = [
        min(set(rs), key=lambda r: (-rs.count(r), decisions.RECURRENCES.index(r))) for rs in per_interview.values()
    ]
    return decisions.must_have_suggestion(chosen, pain=f"“{row.name}”")


def segment_summary(*, segment: Segment) -> SegmentSummary:
    matrix = segment_matrix(segment=segment)
    assessment = assessment_of(segment=segment)
    high = (
        MentionModel.objects.filter(
            interview__segment=segment, kind=MentionKind.PAIN, severity__in=[Severity.HIGH, Severity.VERY_HIGH]
        )
        .exclude(review_status=ReviewStatus.REJECTED)
        .values("interview_id")
        .distinct()
        .count()
    )
    hours: dict[int, set[float]] = defaultdict(set)
    for interview_id, h in (
        MentionModel.objects.filter(interview__segment=segment, kind=MentionKind.TIME, hours_per_week__isnull=False)
        .exclude(review_status=ReviewStatus.REJECTED)
        .values_list("interview_id", "hours_per_week")
    ):
        if h is not None:
            hours[interview_id].add(h)
    cost = float(segment.hourly_cost)
    impacts = [
        decisions.yearly_impact(hours_per_week=sum(hs), hourly_cost=cost, weeks_per_year=segment.weeks_per_year)
        for hs in hours.values()
    ]
    pricing = segment_pricing(segment=segment)
    return SegmentSummary(
        segment=segment,
        matrix=matrix,
        assessment=assessment,
        interviews=matrix.interviews,
        high_pain=high,
        pricing=pricing,
        impact_n=len(impacts),
        median_impact=decisions.median(impacts),
        opportunity=decisions.opportunity_per_year(
            companies=assessment.companies, median_wtp_month=pricing.spread.median
        ),
        must_have=top_pain_recurrence(segment=segment, row=matrix.rows[0] if matrix.rows else None),
    )


def segment_comparison(
    *, segments: Sequence[Segment]
) -> tuple[list[SegmentSummary], list[decisions.Aligned[MatrixRow]]]:
    summaries = [segment_summary(segment=s) for s in segments]
    rows = decisions.align_by_name([s.matrix.rows for s in summaries], name_of=lambda r: r.name)
    return summaries, rows


class CompareError(ValueError):
    """A comparison the user cannot have: the message says which segment and what to do."""


def segments_to_compare(*, user: Any, slugs: Sequence[str]) -> list[Segment]:
    """The user's segments with these slugs, in the order asked, each once; an unknown slug is an error."""
    from interviews.selectors import segment_list

    mine = {s.slug: s for s in segment_list(user=user).order_by("-workspace_id")}
    wanted = list(dict.fromkeys(s.strip() for s in slugs if s.strip()))
    unknown = [s for s in wanted if s not in mine]
    if unknown:
        names = ", ".join(repr(s) for s in unknown)
        raise CompareError(f"No segment {names} in your workspaces; pick from: {', '.join(mine) or 'none'}.")
    return [mine[s] for s in wanted]
