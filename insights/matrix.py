"""The pain-point matrix: one row per pain theme of a segment, from a fixed number of narrow queries.

`segment_matrix` reads the segment's themes, its (filtered) interviews and their counting mentions,
one narrow row each (`insights.matrix_rules`' `ThemeRow`, `InterviewRow`, `MentionRow`), and the
rules in `insights.matrix_rules` (small functions over those rows, tested without a database) make
the rows; a last query reads the text of the quotes each evidence cell shows. The page, the
exports, the API and the command all read this one result. What the rules say, in prose, is the
README's table "How the matrix is computed" (the one copy).
"""

import gc
import json
import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

from insights import matrix_rules as rules
from insights.matrix_rules import (
    PAIN,
    RISK,
    SEVERITY_WEIGHT,
    InterviewRow,
    MentionRow,
    ThemeIndex,
    ThemeRow,
    priority_score,
)
from insights.models import CELL_KINDS, SEVERITY_ORDER, Mention, MentionKind, ReviewStatus, Theme
from interviews.models import Interview, Segment, UsageType

SEVERITY_LABEL = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}
CONSEQUENCE_CHARS = 90
CURRENCY_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
# Quotes with their text per cell (the count of all of them is always there); the sample keeps the
# quotes' query small however many themes a segment has.
QUOTES_PER_CELL = 25
MAX_SAMPLED_QUOTES = 30_000
# The evidence cells of a row, in the order the rules number them (1 to 5, as Mention.kind_cell does).
CELLS = tuple(CELL_KINDS)


@dataclass(frozen=True, slots=True)
class Quote:
    mention_id: int
    interview: str  # the interview's display id
    kind: str
    text: str
    source: str  # "machine" until a reviewer touched it, then "reviewer"
    review_status: str


@dataclass(slots=True)
class Figure:
    """A per-interview number and the theme it was attributed to."""

    interview: str
    value: float
    theme: str
    currency: str = ""


@dataclass(slots=True)
class WorkaroundCount:
    name: str
    interviews: int


@dataclass(slots=True)
class Wtp:
    median: float | None = None
    min: float | None = None
    max: float | None = None
    n: int = 0  # stated, non-refused figures, one-offs included
    monthly: int = 0  # of which normalised to a month in `currency` (the median's n)
    once: int = 0
    refused: int = 0
    unknown_team_size: int = 0  # per-user figures counted for one user
    currency: str = "USD"  # the currency most interviewees stated; median, min, max and monthly are in it
    mixed_currencies: bool = False
    # Interviewees who stated a figure in another currency: never converted nor summed into the
    # median, listed apart (currency -> interviewees).
    other_currencies: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Cell:
    """The mentions behind one number: how many (of them unreviewed), and the first QUOTES_PER_CELL with their text.

    `unreviewed` counts every unreviewed mention of the cell, also one that sits in another cell of
    the row too (a pain stating a risk amount): the row's `unreviewed` counts that one once.
    """

    total: int = 0
    quotes: list[Quote] = field(default_factory=list)
    unreviewed: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.quotes)

    @property
    def reviewed(self) -> bool:
        """Every mention behind it reviewed (an empty cell is no evidence cell: see `Evidence.counted`)."""
        return not self.unreviewed


@dataclass(slots=True)
class Evidence:
    pain: Cell = field(default_factory=Cell)
    time: Cell = field(default_factory=Cell)
    risk: Cell = field(default_factory=Cell)
    workaround: Cell = field(default_factory=Cell)
    wtp: Cell = field(default_factory=Cell)

    def cells(self) -> list[Cell]:
        return [self.pain, self.time, self.risk, self.workaround, self.wtp]

    def counted(self) -> list[Cell]:
        """The evidence cells: those holding at least one mention."""
        return [c for c in self.cells() if c.total]


@dataclass(slots=True)
class MatrixRow:
    theme_id: int
    key: str
    name: str
    interviews: int
    total_interviews: int
    severity: str | None
    severity_counts: dict[str, int]
    hours_median: float | None
    hours_n: int
    yearly_cost: int | None
    hours: list[Figure]
    risk_max: float | None
    risk_currency: str
    risks: list[Figure]
    consequence: str
    workaround: WorkaroundCount | None
    other_workarounds: list[WorkaroundCount]
    wtp: Wtp
    quotes: int
    unreviewed: int
    score: float
    evidence: Evidence
    # The largest risk amount stated in each other currency than `risk_currency`: never converted.
    other_risks: dict[str, float] = field(default_factory=dict)

    @property
    def cells(self) -> int:
        """Evidence cells of the row (pain, time, risk, workaround, WTP) holding at least one mention."""
        return len(self.evidence.counted())

    @property
    def unreviewed_cells(self) -> int:
        """Of those, the ones still holding an unreviewed (machine) mention."""
        return sum(1 for c in self.evidence.counted() if c.unreviewed)

    @property
    def frequency(self) -> str:
        return f"{self.interviews}/{self.total_interviews}"

    @property
    def frequency_ratio(self) -> float:
        return self.interviews / self.total_interviews if self.total_interviews else 0.0

    @property
    def frequency_pct(self) -> int:
        return round(100 * self.frequency_ratio)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABEL.get(self.severity or "", "—")

    @property
    def impact_label(self) -> str:
        parts = []
        if self.hours_median is not None:
            cost = f" ≈ {money(self.yearly_cost, 'USD')}/yr" if self.yearly_cost is not None else ""
            parts.append(f"{number(self.hours_median)} h/week{cost} ({self.hours_n} gave hours)")
        if self.risk_max is not None:
            risk = f"risk up to {money(self.risk_max, self.risk_currency)}"
            if self.other_risks:
                also = ", ".join(money(v, c) for c, v in sorted(self.other_risks.items()))
                risk += f" (also up to {also}; currencies not converted)"
            parts.append(risk)
        if self.consequence:
            parts.append(f"“{self.consequence}”")
        return "; ".join(parts) or "—"

    @property
    def workaround_label(self) -> str:
        if self.workaround is None:
            return "—"
        text = f"{self.workaround.name} ({self.workaround.interviews})"
        # The page stays readable with the three next-most-common; the evidence lists all of them.
        shown, rest = self.other_workarounds[:3], self.other_workarounds[3:]
        if shown:
            text += "; also " + ", ".join(f"{w.name} ({w.interviews})" for w in shown)
        if rest:
            text += f" and {len(rest)} more"
        return text

    @property
    def wtp_label(self) -> str:
        w = self.wtp
        notes = []
        if w.monthly:
            lo, hi = money(w.min, w.currency), money(w.max, w.currency)
            span = lo if lo == hi else f"{lo}-{hi}"
            text = f"{span}/month (median {money(w.median, w.currency)}, n={w.monthly})"
        else:
            text = "—"
        if w.once:
            notes.append(f"{w.once} one-off")
        if w.refused:
            notes.append(f"{w.refused} refused")
        if w.unknown_team_size:
            notes.append(f"{w.unknown_team_size} per-user without team size, counted as 1 user")
        if w.other_currencies:
            said = ", ".join(f"{n} in {c}" for c, n in sorted(w.other_currencies.items()))
            notes.append(f"{said} not converted, left out of the {w.currency} figures")
        return f"{text} [{'; '.join(notes)}]" if notes else text


@dataclass(slots=True)
class TopPains:
    most_severe: str | None
    most_frequent: str | None
    costliest: str | None
    # When one theme is more than one of the above, the next rows by priority, so the line names three.
    next: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        labels: dict[str, list[str]] = {}
        for name, label in (
            (self.most_severe, "most severe"),
            (self.most_frequent, "most frequent"),
            (self.costliest, "costliest"),
        ):
            if name:
                labels.setdefault(name, []).append(label)
        if not labels:
            return "Top pains: none yet."
        line = "Top pains: " + ", ".join(f"{name} ({', '.join(ls)})" for name, ls in labels.items())
        return line + (f"; then {', '.join(self.next)}" if self.next else "")


@dataclass(slots=True)
class Matrix:
    segment: str
    segment_name: str
    hourly_cost: Decimal
    weeks_per_year: int
    usage: str | None
    date_from: date | None
    date_to: date | None
    interviews: int
    rows: list[MatrixRow]
    top: TopPains
    unthemed_pain_mentions: int = 0
    unattributed_figures: int = 0
    # Evidence cells (row x pain, time, risk, workaround, WTP) holding a mention, and of those the
    # ones still holding an unreviewed mention: the rows' sums.
    cells: int = 0
    unreviewed_cells: int = 0

    @property
    def review_line(self) -> str:
        """How much of the evidence a reviewer has yet to look at, in cells."""
        if not self.cells:
            return "No evidence cells yet."
        of = f"{self.cells} evidence cell{'s' if self.cells != 1 else ''}"
        if not self.unreviewed_cells:
            return f"All {of} are reviewed." if self.cells != 1 else "The 1 evidence cell is reviewed."
        verb = "has" if self.unreviewed_cells == 1 else "have"
        return f"{self.unreviewed_cells} of {of} still {verb} unreviewed mentions."


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def money(value: float | int | None, currency: str) -> str:
    if value is None:
        return "—"
    amount = f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.2f}"
    symbol = CURRENCY_SYMBOL.get(currency or "USD")
    return f"{symbol}{amount}" if symbol else f"{currency} {amount}"


def _source(review_status: str) -> str:
    return "machine" if review_status == ReviewStatus.UNREVIEWED else "reviewer"


def _short(text: str) -> str:
    return textwrap.shorten(" ".join(text.split()), width=CONSEQUENCE_CHARS, placeholder="...")


def interview_lookups(
    *, usage: str | None = None, date_from: date | None = None, date_to: date | None = None, prefix: str = ""
) -> dict[str, Any]:
    """ORM lookups for the matrix filters, on Interview or (with prefix "interview__") on Mention."""
    if usage and usage not in UsageType.values:
        raise ValueError(f"Unknown interviewee type {usage!r}; use one of {', '.join(UsageType.values)}.")
    lookups: dict[str, Any] = {}
    if usage:
        lookups[f"{prefix}participant__usage"] = usage
    if date_from:
        lookups[f"{prefix}interviewed_on__gte"] = date_from
    if date_to:
        lookups[f"{prefix}interviewed_on__lte"] = date_to
    return lookups


# --- The queries: a fixed number, each as narrow as the rules need ------------------------------------


def _themes(segment: Segment) -> ThemeIndex:
    rows = Theme.objects.filter(segment=segment).order_by("id").values_list("id", "kind", "key", "name", "merged_into")
    return ThemeIndex(ThemeRow._make(r) for r in rows)


def _interviews(segment: Segment, filters: dict[str, Any]) -> list[InterviewRow]:
    rows = (
        Interview.objects.filter(segment=segment, **filters)
        .order_by("id")
        .values_list("id", "external_id", "participant__team_size")
    )
    return [InterviewRow(pk, external_id or str(pk), team_size) for pk, external_id, team_size in rows]


def _ids_in(column: str, ids: list[int]) -> tuple[str, list[Any]]:
    """`column` is one of `ids`, as one parameter whatever their number (SQLite caps a statement's parameters)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


# The consequence rule reads the quote of a risk without an amount and of a pain said in the risk
# answer; every other mention comes without its text.
_MENTIONS_SQL = f"""
SELECT id, interview_id, kind_cell, theme_id, unreviewed, severity_rank, position, about_key,
       proposed_theme_key, hours_per_week, risk_amount, currency, wtp_min, wtp_max, wtp_period, refused,
       CASE WHEN (kind_cell = {RISK} AND risk_amount IS NULL) OR (kind_cell = {PAIN} AND states_consequence)
         THEN quote END
FROM {Mention._meta.db_table}
-- The conditions of the partial index mention_counted_by_interview (migration 0004), which holds
-- only the mentions the matrix counts.
WHERE {{ids}} AND review_status <> 'rejected' AND kind IN ({", ".join(f"'{k}'" for k in CELL_KINDS)})
"""


def _mentions(interviews: list[InterviewRow]) -> list[MentionRow]:
    if not interviews:
        return []
    where, params = _ids_in("interview_id", [iv.id for iv in interviews])
    with connection.cursor() as cursor:
        cursor.execute(_MENTIONS_SQL.format(ids=where), params)
        return list(map(MentionRow._make, cursor.fetchall()))


def _quote_texts(ids: list[int]) -> dict[int, tuple[str, str, int]]:
    """mention id -> (quote, review status, interview id), for the quotes the cells show."""
    if not ids:
        return {}
    where, params = _ids_in("id", ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, quote, review_status, interview_id FROM {Mention._meta.db_table} WHERE {where}", params
        )
        return {pk: (quote, status, iv) for pk, quote, status, iv in cursor.fetchall()}


def _facts(segment: Segment, filters: dict[str, Any]) -> tuple[ThemeIndex, list[InterviewRow], rules.Facts]:
    index = _themes(segment)
    interviews = _interviews(segment, filters)
    # Reading and sorting 100k mention rows allocates several objects each and no reference cycle:
    # the cyclic collector would walk the growing heap again and again (a third of the time at 100k).
    with _collector_paused():
        return index, interviews, rules.theme_facts(index=index, interviews=interviews, mentions=_mentions(interviews))


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def segment_matrix(
    *,
    segment: Segment,
    usage: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    with_figures: bool = False,
) -> Matrix:
    """The pain-point matrix of a segment, filtered by interviewee type and interview date.

    Four queries whatever the size: themes, interviews, their counting mentions, and the text of
    the quotes shown. `with_figures` adds each interview's hours and risk figure with the theme it
    went to (the JSON export's detail). Undated interviews drop out as soon as a date filter is set.
    """
    filters = interview_lookups(usage=usage, date_from=date_from, date_to=date_to)
    index, interviews, facts = _facts(segment, filters)
    n_cells = 5 * max(1, len(index.roots(MentionKind.PAIN)))
    per_cell = max(1, min(QUOTES_PER_CELL, MAX_SAMPLED_QUOTES // n_cells))
    # Each cell shows its first quotes by id; their text is read in one query for all the rows.
    shown = {
        (tid, cell): sorted(c.ids)[:per_cell] if len(c.ids) > per_cell else sorted(c.ids)
        for tid, f in facts.themes.items()
        for cell, c in f.cells.items()
    }
    texts = _quote_texts(sorted({i for ids in shown.values() for i in ids}))
    display = {iv.id: iv.display for iv in interviews}
    total = len(interviews)
    rows = [
        _row(f, index=index, segment=segment, total=total, display=display, shown=shown, texts=texts,
             with_figures=with_figures)
        for _tid, f in sorted(facts.themes.items())
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.score, -(r.yearly_cost or 0), -r.interviews, r.name.casefold()))
    return Matrix(
        segment=segment.slug,
        segment_name=segment.name,
        hourly_cost=segment.hourly_cost,
        weeks_per_year=segment.weeks_per_year,
        usage=usage or None,
        date_from=date_from,
        date_to=date_to,
        interviews=total,
        rows=rows,
        top=_top(rows),
        unthemed_pain_mentions=facts.unthemed_pains,
        unattributed_figures=facts.unattributed_figures,
        cells=sum(r.cells for r in rows),
        unreviewed_cells=sum(r.unreviewed_cells for r in rows),
    )


def evidence_ids(
    *,
    segment: Segment,
    theme_id: int,
    cell: str | None = None,
    usage: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> set[int]:
    """The ids of the mentions behind a row of `segment_matrix` (its "N quotes"), or behind one of its cells.

    `theme_id` is the row's (surviving) pain theme, `cell` one of `CELLS`; the same filters, the
    same rules and the same queries as the matrix, so the ids are exactly what it counts (a cell's
    `total` of them, a row's `quotes` for all cells together).
    """
    if cell is not None and cell not in CELLS:
        raise ValueError(f"Unknown evidence cell {cell!r}; use one of {', '.join(CELLS)}.")
    _, _, facts = _facts(segment, interview_lookups(usage=usage, date_from=date_from, date_to=date_to))
    found = facts.themes.get(theme_id)
    if found is None:
        return set()
    return {i for n, c in found.cells.items() if cell in (None, CELLS[n - 1]) for i in c.ids}


def _row(
    f: rules.ThemeFacts,
    *,
    index: ThemeIndex,
    segment: Segment,
    total: int,
    display: dict[int, str],
    shown: dict[tuple[int, int], list[int]],
    texts: dict[int, tuple[str, str, int]],
    with_figures: bool,
) -> MatrixRow:
    tid = f.theme
    counts = {SEVERITY_ORDER[n]: z for n, z in f.severity_counts.items() if n >= 0}
    severity = rules.row_severity(counts)

    hours_of = {iv: sum(sorted(hs)) for iv, hs in f.hours.items()}  # the distinct figures of each interviewee
    hours_hist: dict[float, int] = defaultdict(int)
    for h in hours_of.values():
        hours_hist[round(h, 2)] += 1
    median = rules.median_of_counts(hours_hist)
    median = round(median, 2) if median is not None else None
    yearly = round(Decimal(str(median)) * segment.hourly_cost * segment.weeks_per_year) if median is not None else None

    risks = rules.largest_risks([r for rs in f.risks.values() for r in rs])
    # Amounts in different currencies are never compared: the row shows the USD one (else the first
    # currency by code) and names the others apart.
    risk_currency = "USD" if "USD" in risks else (min(risks) if risks else "USD")
    risk_max = risks.pop(risk_currency, None)

    consequence = ""
    if risk_max is None and f.consequences:
        # The consequence stated most (case and outer spaces ignored); the earliest mention wins ties.
        text, _first, _n = max(f.consequences.values(), key=lambda c: (c[2], -c[1]))
        consequence = _short(text)

    groups: dict[str, int] = defaultdict(int)
    for (wtid, wkey), ivs in f.workarounds.items():
        name = index.name(index.root.get(wtid, wtid)) if wtid else (wkey or "Other")
        groups[name] += len(ivs)
    workarounds = sorted(
        (WorkaroundCount(n, c) for n, c in groups.items()), key=lambda w: (-w.interviews, w.name.casefold())
    )

    wtp = _wtp(f.wtp)

    evidence = Evidence()
    for n, cell_name in enumerate(CELLS, 1):
        c = f.cells[n]
        target = getattr(evidence, cell_name)
        target.total, target.unreviewed = len(c.ids), c.unreviewed
        for mention_id in shown[(tid, n)]:
            text, status, interview_id = texts[mention_id]
            target.quotes.append(Quote(mention_id, display[interview_id], cell_name, text, _source(status), status))
    key = index.key(tid)
    interviews = f.interviews
    ratio = rules.frequency_ratio(interviews=interviews, total=total)
    return MatrixRow(
        theme_id=tid,
        key=key,
        name=index.name(tid),
        interviews=interviews,
        total_interviews=total,
        severity=severity,
        severity_counts={s: counts[s] for s in SEVERITY_ORDER if s in counts},
        hours_median=median,
        hours_n=sum(hours_hist.values()),
        yearly_cost=yearly,
        hours=[Figure(display[iv], round(h, 2), key) for iv, h in sorted(hours_of.items())] if with_figures else [],
        risk_max=risk_max,
        risk_currency=risk_currency,
        risks=[
            Figure(display[iv], max(r[0] for r in rs), key, min(r[1] for r in rs)) for iv, rs in sorted(f.risks.items())
        ]
        if with_figures
        else [],
        consequence=consequence,
        workaround=workarounds[0] if workarounds else None,
        other_workarounds=workarounds[1:],
        wtp=wtp,
        # Distinct mentions behind the row: each cell's not already counted in another cell.
        quotes=sum(c.fresh for c in f.cells.values()),
        unreviewed=sum(c.fresh_unreviewed for c in f.cells.values()),
        score=priority_score(frequency_ratio=ratio, severity=severity),
        evidence=evidence,
        other_risks=risks,
    )


def _wtp(said: list[rules.InterviewWtp]) -> Wtp:
    """The row's WTP: its interviewees' stated figures per month, one-offs and refusals counted apart."""
    mid_hist: dict[float, int] = defaultdict(int)
    stated = [w for w in said if w.stated]
    currencies = Counter(w.currency for w in stated)
    main = rules.main_currency(currencies)
    lows: list[float] = []
    highs: list[float] = []
    once = monthly = unknown = 0
    for w in stated:
        if w.low is None or w.high is None:
            once += 1
            continue
        if w.currency != main:  # never summed with the main currency's: counted apart
            continue
        monthly += 1
        mid_hist[(w.low + w.high) / 2] += 1
        lows.append(w.low)
        highs.append(w.high)
        unknown += w.unknown_team_size
    median = rules.median_of_counts(mid_hist)
    return Wtp(
        median=round(median, 2) if median is not None else None,
        min=round(min(lows), 2) if lows else None,
        max=round(max(highs), 2) if highs else None,
        n=len(stated),
        monthly=monthly,
        once=once,
        refused=sum(1 for w in said if not w.stated and w.refused),
        unknown_team_size=unknown,
        currency=main,
        mixed_currencies=len(currencies) > 1,
        other_currencies={c: k for c, k in sorted(currencies.items()) if c != main},
    )


COSTLIEST_MIN_FIGURES = 2


def _top(rows: list[MatrixRow]) -> TopPains:
    """Most severe (then most frequent), most frequent (then most severe), costliest by $/yr then risk
    among themes with hours from two interviewees or more (any theme when none has); then the next
    rows by priority until three pains are named."""
    if not rows:
        return TopPains(None, None, None)
    weight = lambda r: SEVERITY_WEIGHT.get(r.severity or "", 0)  # noqa: E731
    severe = [r for r in rows if r.severity]
    costly = [r for r in rows if r.yearly_cost is not None or r.risk_max is not None]
    # One interviewee's hours are an anecdote: a cost that two or more gave figures for comes first.
    costly = [r for r in costly if r.hours_n >= COSTLIEST_MIN_FIGURES] or costly
    named = (
        max(severe, key=lambda r: (weight(r), r.interviews, r.score)).name if severe else None,
        max(rows, key=lambda r: (r.interviews, weight(r))).name,
        max(costly, key=lambda r: (r.yearly_cost or 0, r.risk_max or 0)).name if costly else None,
    )
    distinct = {name for name in named if name}
    # A top 3 names three pains: when one theme wins twice, the next rows in priority order join.
    following = [r.name for r in rows if r.name not in distinct][: max(0, 3 - len(distinct))]
    return TopPains(*named, next=tuple(following))
