"""The pain-point matrix: one row per pain theme of a segment, in three SQL queries whatever its size.

`segment_matrix` reads the segment's themes, then runs one statement (`_matrix_sql`) that applies
every rule in the database and returns small aggregates (histograms, counts, quote samples), never
the mentions themselves: at 100k mentions fetching rows costs more than the whole SQL. The page,
the exports, the API and the command all read this one result. The rules:

- Mentions a reviewer rejected never count; unreviewed ones count and each row says how many of
  the mentions behind it are still unreviewed.
- Rows: pain themes, reviewer merges followed to the surviving theme. Pain mentions without a
  theme are not in any row (`Matrix.unthemed_pain_mentions` counts them).
- Frequency: distinct interviews with a pain mention of the theme / interviews in the (filtered)
  segment.
- Severity: per interview the highest severity of its mentions of the theme; the row's is the most
  common of those, ties to the higher.
- Attribution of time, risk and workaround mentions: `about_key` names the pain theme (its key, or
  the key of a theme merged into it). Untied time and risk go to the interview's main pain (highest
  severity, then most mentions, then first mentioned in script order); untied workarounds go to
  every pain of the interview. Figures only count for interviews in the row's frequency; a figure
  tied to a pain the interview does not (countably) have is left out and counted in
  `Matrix.unattributed_figures`.
- Impact: per interview, the sum of the distinct hours attributed to the theme (as
  `insights.selectors.interview_figures` does for the whole interview); the row shows the median
  over interviewees who gave a figure and median x hourly cost x weeks per year. Risk: the largest
  amount attributed. Without a risk amount, the consequence stated most (case-insensitive) in the
  attributed risk quotes; without any figure at all, the quote of the most severe pain.
- Workaround: grouped by workaround theme (its name, else the proposed key), counted in interviews.
- WTP: each interviewee's first stated, non-refused figure, "first" in the mention export's order
  (field, start) as in `interview_figures`, normalised to a month (year / 12, per user x team size,
  x 1 when the team size is unknown); one-off amounts are counted but kept out of the monthly
  median, min and max. Refused: interviewees with a refusal and no stated figure.
- Priority: see `priority_score`.
"""

import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from insights.models import SEVERITY_ORDER, Mention, MentionKind, ReviewStatus, Theme
from interviews.models import Interview, Segment, UsageType
from interviews.script import SCRIPT_KEYS

SEVERITY_WEIGHT = {"low": 1, "medium": 2, "high": 3, "very_high": 4}
SEVERITY_LABEL = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}
# Script order, then notes, then anything else: "first mentioned" follows the interview's flow.
FIELD_ORDER = {key: i for i, key in enumerate((*SCRIPT_KEYS, "notes"))}
CONSEQUENCE_CHARS = 90
CURRENCY_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
# Quotes with their text per cell (the ids of all of them are always there); the sample keeps the
# quote query small and under SQLite's 32,766 parameters however many themes a segment has.
QUOTES_PER_CELL = 25
MAX_SAMPLED_QUOTES = 30_000


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
    monthly: int = 0  # of which normalised to a month (the median's n)
    once: int = 0
    refused: int = 0
    unknown_team_size: int = 0  # per-user figures counted for one user
    currency: str = "USD"
    mixed_currencies: bool = False


@dataclass(slots=True)
class Cell:
    """The mentions behind one number: how many, and the first QUOTES_PER_CELL of them with their text."""

    total: int = 0
    quotes: list[Quote] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.quotes)


@dataclass(slots=True)
class Evidence:
    pain: Cell = field(default_factory=Cell)
    time: Cell = field(default_factory=Cell)
    risk: Cell = field(default_factory=Cell)
    workaround: Cell = field(default_factory=Cell)
    wtp: Cell = field(default_factory=Cell)

    def cells(self) -> list[Cell]:
        return [self.pain, self.time, self.risk, self.workaround, self.wtp]


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
            parts.append(f"risk up to {money(self.risk_max, self.risk_currency)}")
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
        if w.mixed_currencies:
            notes.append("mixed currencies")
        return f"{text} [{'; '.join(notes)}]" if notes else text


@dataclass(slots=True)
class TopPains:
    most_severe: str | None
    most_frequent: str | None
    costliest: str | None

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
        return "Top pains: " + ", ".join(f"{name} ({', '.join(ls)})" for name, ls in labels.items())


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


def priority_score(*, frequency_ratio: float, severity: str | None) -> float:
    """Row priority: frequency ratio x severity weight (Low 1, Medium 2, High 3, Very high 4).

    A theme without any severity weighs as Low. Rows sort by score, then yearly $ impact, then
    interviews, then name; the score is in every export so the order can be checked.
    """
    return round(frequency_ratio * SEVERITY_WEIGHT.get(severity or "low", 1), 4)


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


class _ThemeIndex:
    """Themes of the segment with reviewer merges followed to the surviving theme."""

    def __init__(self, themes: list[tuple[int, str, str, str, int | None]]) -> None:
        self.by_id = {t[0]: t for t in themes}
        self.root: dict[int, int] = {tid: self._resolve(tid) for tid in self.by_id}

    def _resolve(self, tid: int) -> int:
        seen = set()
        while (parent := self.by_id[tid][4]) and parent in self.by_id and tid not in seen:
            seen.add(tid)
            tid = parent
        return tid

    def roots(self, kind: str) -> dict[int, int]:
        """theme id (maybe merged away) -> surviving theme, for themes whose survivor is of this kind."""
        return {tid: root for tid, root in self.root.items() if self.by_id[root][1] == kind}

    def name(self, tid: int) -> str:
        return self.by_id[tid][3]

    def key(self, tid: int) -> str:
        return self.by_id[tid][2]


def _literal(value: Any) -> str:
    """An SQL literal for a theme id or key (ids are ints; keys are slugs, quoted and escaped anyway)."""
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"


def _case(column: str, mapping: dict[Any, int]) -> str:
    """SQL mapping a column through a Python dict (NULL when absent); the dicts are theme-sized."""
    if not mapping:
        return "CAST(NULL AS BIGINT)"
    whens = " ".join(f"WHEN {_literal(k)} THEN {int(v)}" for k, v in mapping.items())
    return f"CASE {column} {whens} END"


# One row shape for every part of the answer, so one round trip brings everything back.
_PART = (
    "SELECT CAST({part} AS TEXT) AS part, CAST({tid} AS BIGINT) AS tid, CAST({k} AS TEXT) AS k, "
    "CAST({s} AS TEXT) AS s, CAST({x} AS DOUBLE PRECISION) AS x, CAST({y} AS DOUBLE PRECISION) AS y, "
    "CAST({n} AS BIGINT) AS n, CAST({z} AS BIGINT) AS z"
)


def _part(
    part: str,
    *,
    tid: str = "NULL",
    k: str = "NULL",
    s: str = "NULL",
    x: str = "NULL",
    y: str = "NULL",
    n: str = "NULL",
    z: str = "NULL",
) -> str:
    return _PART.format(part=f"'{part}'", tid=tid, k=k, s=s, x=x, y=y, n=n, z=z)


def _matrix_sql(
    *, segment: Segment, index: _ThemeIndex, filters: dict[str, Any], per_cell: int, with_figures: bool
) -> tuple[str, list[Any]]:
    """Every rule of the matrix as one SQL statement (CTEs and window functions: SQLite 3.25+, PostgreSQL).

    CTEs: iv (filtered interviews), m (their counting mentions, one narrow row each: pain themes
    resolved to the surviving theme, about_key to the surviving pain theme, review status as a flag),
    pain_iv (one row per interview and pain theme: highest severity, and rk, the theme's rank in the
    interview, rk = 1 being its main pain: severity, then mentions, then first position), fa (time,
    risk and risk-amount mentions with the pain they are attributed to when the interview has that
    pain, else NULL), fig (the attributed ones, and pain mentions carrying a risk amount), wk
    (workarounds per pain: tied, or every pain of the interview), wtp1 (each interview's first
    stated WTP), wn (it normalised to a month).

    Every lookup is a join on (interview, theme) against pain_iv, computed once, never a correlated
    subquery (SQLite indexes the materialised pain_iv automatically); the evidence cells are counted
    and sampled per cell, so no sort sees more than one cell's mentions, and a row's distinct
    mentions are summed from the cells (see `dup`) rather than counted with COUNT(DISTINCT). The
    mention table is read once, in m; the sampled quotes' text is fetched by id afterwards.
    """
    mention, interview, participant = Mention._meta.db_table, Interview._meta.db_table, "interviews_participant"
    pain_roots = index.roots(MentionKind.PAIN)
    sev_whens = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEVERITY_ORDER))
    pos_whens = " ".join(f"WHEN '{f}' THEN {i}" for f, i in FIELD_ORDER.items())
    work_case = _case("m.theme_id", index.roots(MentionKind.WORKAROUND))
    where_iv = ["i.segment_id = %s"]
    params: list[Any] = [segment.pk]
    columns = {
        "participant__usage": "p.usage =",
        "interviewed_on__gte": "i.interviewed_on >=",
        "interviewed_on__lte": "i.interviewed_on <=",
    }
    for lookup, value in filters.items():
        where_iv.append(f"{columns[lookup]} %s")
        params.append(value)
    params += [False, True]  # wtp1's "refused = false", the refused part's "refused = true"

    # m carries only what some rule reads, and text only on the rows that need it (narrow rows keep
    # the materialised CTE and every sort over it in memory).
    ctes = f"""
WITH iv AS (
  SELECT i.id, p.team_size, COALESCE(NULLIF(i.external_id, ''), CAST(i.id AS TEXT)) AS display
  FROM {interview} i JOIN {participant} p ON p.id = i.participant_id WHERE {" AND ".join(where_iv)}
), m AS (
  SELECT m.id, m.interview_id, m.kind, m.hours_per_week, m.risk_amount, m.currency,
         CASE WHEN m.review_status = 'unreviewed' THEN 1 ELSE 0 END AS unrev,
         CASE WHEN m.kind = 'pain' THEN {_case("m.theme_id", pain_roots)} END AS ptid,
         CASE WHEN m.kind = 'pain' THEN CASE m.severity {sev_whens} ELSE -1 END END AS sev,
         CASE WHEN m.kind = 'pain' THEN
           CAST(CASE m.field {pos_whens} ELSE {len(FIELD_ORDER)} END AS BIGINT) * 1000000000 + m.start END AS pos,
         CASE WHEN m.about_key <> '' THEN 1 ELSE 0 END AS tied,
         CASE WHEN m.kind <> 'pain' AND m.about_key <> '' THEN
           {_case("m.about_key", {index.key(t): r for t, r in pain_roots.items()})} END AS ktid,
         CASE WHEN m.kind = 'workaround' THEN {work_case} END AS wtid,
         CASE WHEN m.kind = 'workaround' AND {work_case} IS NULL THEN m.proposed_theme_key ELSE '' END AS wkey,
         CASE WHEN m.kind = 'wtp' THEN m.wtp_min END AS wtp_min,
         CASE WHEN m.kind = 'wtp' THEN m.wtp_max END AS wtp_max,
         CASE WHEN m.kind = 'wtp' THEN m.wtp_period END AS wtp_period,
         CASE WHEN m.kind = 'wtp' THEN m.refused END AS refused,
         CASE WHEN m.kind = 'wtp' THEN m.field END AS field,
         CASE WHEN m.kind = 'wtp' THEN m.start END AS start,
         CASE WHEN m.kind = 'wtp' THEN iv.team_size END AS team_size,
         CASE WHEN m.kind = 'risk' AND m.risk_amount IS NULL THEN m.quote END AS rtext
  FROM {mention} m JOIN iv ON iv.id = m.interview_id
  WHERE m.review_status <> 'rejected' AND m.kind IN ('pain', 'time', 'risk', 'workaround', 'wtp')
), pain_iv AS (
  SELECT interview_id, ptid AS tid, MAX(sev) AS sev,
         ROW_NUMBER() OVER (PARTITION BY interview_id ORDER BY MAX(sev) DESC, COUNT(*) DESC, MIN(pos), ptid) AS rk
  FROM m WHERE ptid IS NOT NULL GROUP BY interview_id, ptid
), fa AS (
  SELECT a.id, a.interview_id, a.kind, a.hours_per_week, a.risk_amount, a.currency, a.unrev, a.rtext, p.tid
  FROM (SELECT m.*, CASE WHEN m.tied = 1 THEN m.ktid ELSE mp.tid END AS want
        FROM m LEFT JOIN pain_iv mp ON mp.interview_id = m.interview_id AND mp.rk = 1
        WHERE m.kind IN ('time', 'risk') OR (m.kind = 'wtp' AND m.risk_amount IS NOT NULL)) a
  LEFT JOIN pain_iv p ON p.interview_id = a.interview_id AND p.tid = a.want
), fig AS (
  SELECT id, interview_id, kind, hours_per_week, risk_amount, currency, unrev, rtext, tid FROM fa
  WHERE tid IS NOT NULL
  UNION ALL
  SELECT id, interview_id, kind, hours_per_week, risk_amount, currency, unrev, rtext, ptid FROM m
  WHERE ptid IS NOT NULL AND risk_amount IS NOT NULL
), wk AS (
  SELECT m.id, m.interview_id, p.tid, m.unrev, m.wtid, m.wkey
  FROM m JOIN pain_iv p ON p.interview_id = m.interview_id
  WHERE m.kind = 'workaround' AND (m.tied = 0 OR p.tid = m.ktid)
), wtp1 AS (
  SELECT interview_id, wtp_min, COALESCE(wtp_max, wtp_min) AS wtp_max, wtp_period, currency, team_size FROM (
    SELECT interview_id, wtp_min, wtp_max, wtp_period, currency, team_size,
           ROW_NUMBER() OVER (PARTITION BY interview_id ORDER BY field, start, id) AS rn
    FROM m WHERE kind = 'wtp' AND refused = %s AND wtp_min IS NOT NULL) ranked
  WHERE rn = 1
), wn AS (
  SELECT interview_id,
         CASE wtp_period WHEN 'once' THEN NULL WHEN 'year' THEN wtp_min / 12.0
              WHEN 'user_month' THEN wtp_min * COALESCE(team_size, 1) ELSE wtp_min END AS lo,
         CASE wtp_period WHEN 'once' THEN NULL WHEN 'year' THEN wtp_max / 12.0
              WHEN 'user_month' THEN wtp_max * COALESCE(team_size, 1) ELSE wtp_max END AS hi,
         CASE WHEN wtp_period = 'user_month' AND team_size IS NULL THEN 1 ELSE 0 END AS unknown,
         COALESCE(NULLIF(currency, ''), 'USD') AS cur
  FROM wtp1
)"""
    # The mentions behind each cell, (tid, id, unreviewed, dup) with one row per mention and theme.
    # A mention can sit in two cells of a row only through its risk amount (a pain, a WTP or an
    # hours figure that also states a risk): dup marks that second appearance, so a row's distinct
    # mentions are the sum over cells of the rows with dup = 0, and no COUNT(DISTINCT) is needed.
    cells = {
        "pain": "SELECT ptid AS tid, id, unrev, 0 AS dup FROM m WHERE ptid IS NOT NULL",
        "time": "SELECT tid, id, unrev, 0 AS dup FROM fig WHERE kind = 'time' AND hours_per_week IS NOT NULL",
        "risk": "SELECT tid, id, unrev, CASE WHEN kind IN ('pain', 'wtp') OR (kind = 'time' AND hours_per_week"
        " IS NOT NULL) THEN 1 ELSE 0 END AS dup FROM fig WHERE kind = 'risk' OR risk_amount IS NOT NULL",
        "workaround": "SELECT tid, id, unrev, 0 AS dup FROM wk",
        "wtp": "SELECT p.tid, m.id, m.unrev, 0 AS dup FROM m JOIN pain_iv p ON p.interview_id = m.interview_id"
        " WHERE m.kind = 'wtp'",
    }
    sampled = " UNION ALL ".join(
        f"SELECT tid, '{cell}' AS cell, id FROM (SELECT tid, id, ROW_NUMBER() OVER (PARTITION BY tid ORDER BY id)"
        f" AS rn FROM ({sql}) c) r WHERE rn <= {int(per_cell)}"
        for cell, sql in cells.items()
    )
    hours_per_interview = (
        "SELECT tid, interview_id, SUM(DISTINCT hours_per_week) AS h FROM fig"
        " WHERE kind = 'time' AND hours_per_week IS NOT NULL GROUP BY tid, interview_id"
    )
    parts = [
        _part("interviews", n="(SELECT COUNT(*) FROM iv)"),
        _part("unthemed", n="(SELECT COUNT(*) FROM m WHERE kind = 'pain' AND ptid IS NULL)"),
        # Figures tied to a pain the interview lacks (or to no pain at all) are left out, and counted.
        _part(
            "unattributed",
            n="(SELECT COUNT(*) FROM fa WHERE tid IS NULL AND (risk_amount IS NOT NULL"
            " OR (kind = 'time' AND hours_per_week IS NOT NULL)))",
        ),
        _part("severity", tid="tid", n="sev", z="COUNT(*)") + " FROM pain_iv GROUP BY tid, sev",
        _part("hours", tid="tid", x="h", z="COUNT(*)") + f" FROM ({hours_per_interview}) per GROUP BY tid, h",
        _part("risk", tid="tid", k="cur", x="amount")
        + " FROM (SELECT tid, COALESCE(NULLIF(currency, ''), 'USD') AS cur, risk_amount AS amount,"
        " ROW_NUMBER() OVER (PARTITION BY tid ORDER BY risk_amount DESC, id) AS rn FROM fig"
        " WHERE risk_amount IS NOT NULL) ranked WHERE rn = 1",
        _part("consequence", tid="tid", s="MIN(rtext)", n="MIN(id)", z="COUNT(*)")
        + " FROM fig WHERE rtext IS NOT NULL GROUP BY tid, LOWER(TRIM(rtext))",
        _part("workaround", tid="tid", n="wtid", k="wkey", z="COUNT(DISTINCT interview_id)")
        + " FROM wk GROUP BY tid, wtid, wkey",
        # pain_iv has one row per interview and theme, and wn one per interview: COUNT(*) counts interviews.
        _part("wtp", tid="p.tid", k="cur", x="lo", y="hi", n="unknown", z="COUNT(*)")
        + " FROM wn JOIN pain_iv p ON p.interview_id = wn.interview_id GROUP BY p.tid, cur, lo, hi, unknown",
        _part("refused", tid="p.tid", z="COUNT(*)")
        + " FROM (SELECT DISTINCT interview_id FROM m WHERE kind = 'wtp' AND refused = %s"
        " AND interview_id NOT IN (SELECT interview_id FROM wtp1)) r"
        " JOIN pain_iv p ON p.interview_id = r.interview_id GROUP BY p.tid",
        # Per cell: its mentions (z), of them not counted in another cell (x) and unreviewed (y).
        *(
            _part("cell", tid="tid", k=f"'{cell}'", z="COUNT(*)", x="SUM(1 - dup)", y="SUM(unrev * (1 - dup))")
            + f" FROM ({sql}) c GROUP BY tid"
            for cell, sql in cells.items()
        ),
        # The sampled mention ids per cell; their quotes come in a second, id-only query (segment_matrix),
        # so this statement never joins back to the mention table.
        _part("sample", tid="tid", k="cell", n="id") + f" FROM ({sampled}) x",
        # The most severe pain of each theme: its quote stands in as the consequence when there is no figure.
        _part("top_pain", tid="tid", n="id")
        + " FROM (SELECT ptid AS tid, id, ROW_NUMBER() OVER (PARTITION BY ptid ORDER BY sev DESC, pos, id) AS rn"
        " FROM m WHERE ptid IS NOT NULL) ranked WHERE rn = 1",
    ]
    if with_figures:
        parts.append(_part("hours_fig", tid="tid", x="h", z="interview_id") + f" FROM ({hours_per_interview}) per")
        parts.append(
            _part("risk_fig", tid="tid", k="MIN(COALESCE(NULLIF(currency, ''), 'USD'))", x="MAX(risk_amount)",
                  z="interview_id") + " FROM fig WHERE risk_amount IS NOT NULL GROUP BY tid, interview_id"
        )  # fmt: skip
        parts.append(_part("display", k="display", z="id") + " FROM iv")
    return ctes + "\n" + "\nUNION ALL\n".join(parts), params


def segment_matrix(
    *,
    segment: Segment,
    usage: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    with_figures: bool = False,
) -> Matrix:
    """The pain-point matrix of a segment, filtered by interviewee type and interview date.

    Three queries whatever the size: the segment's themes, one statement that applies every rule in
    the database (see `_matrix_sql`) and returns small aggregates, not mentions, then the quotes of
    the sampled mentions by id. `with_figures`
    adds each interview's hours and risk figure with the theme it went to (the JSON export's detail).
    Undated interviews drop out as soon as a date filter is set.
    """
    filters = interview_lookups(usage=usage, date_from=date_from, date_to=date_to)
    index = _ThemeIndex(
        list(Theme.objects.filter(segment=segment).order_by().values_list("id", "kind", "key", "name", "merged_into"))
    )
    n_cells = 5 * max(1, len(index.roots(MentionKind.PAIN)))
    per_cell = max(1, min(QUOTES_PER_CELL, MAX_SAMPLED_QUOTES // n_cells))
    sql, params = _matrix_sql(
        segment=segment, index=index, filters=filters, per_cell=per_cell, with_figures=with_figures
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The statement's estimated cost crosses PostgreSQL's JIT threshold once the tables are
            # analysed, and compiling it costs more (~280 ms at 100k mentions) than it saves.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        result = cursor.fetchall()

    scalars: dict[str, int] = {}
    by_part: dict[str, list[tuple]] = defaultdict(list)
    for part, tid, k, s_, x, y, n, z in result:
        if tid is None and part in ("interviews", "unthemed", "unattributed"):
            scalars[part] = n or 0
        else:
            by_part[part].append((tid, k, s_, x, y, n, z))
    display = {z: k for _tid, k, _s, _x, _y, _n, z in by_part["display"]}
    # Quote texts for the sampled and top pain mentions: at most MAX_SAMPLED_QUOTES ids plus one per row.
    wanted = {n for part in ("sample", "top_pain") for _t, _k, _s, _x, _y, n, _z in by_part[part]}
    texts = (
        {
            pk: (quote, status, external_id or str(interview_id))
            for pk, quote, status, interview_id, external_id in Mention.objects.filter(pk__in=wanted)
            .order_by()
            .values_list("id", "quote", "review_status", "interview_id", "interview__external_id")
        }
        if wanted
        else {}
    )
    # Sample rows become (tid, "cell|review status|interview display id", quote, ..., mention id, ...).
    by_part["sample"] = [
        (t, f"{k}|{texts[n][1]}|{texts[n][2]}", texts[n][0], x, y, n, z) for t, k, _s, x, y, n, z in by_part["sample"]
    ]
    by_part["top_pain"] = [(t, k, texts[n][0], x, y, n, z) for t, k, _s, x, y, n, z in by_part["top_pain"]]

    rows = [
        _row(tid, by_part, index, segment, scalars["interviews"], display)
        for tid in sorted({t for t, *_ in by_part["severity"]})
    ]
    rows.sort(key=lambda r: (-r.score, -(r.yearly_cost or 0), -r.interviews, r.name.casefold()))
    return Matrix(
        segment=segment.slug,
        segment_name=segment.name,
        hourly_cost=segment.hourly_cost,
        weeks_per_year=segment.weeks_per_year,
        usage=usage or None,
        date_from=date_from,
        date_to=date_to,
        interviews=scalars["interviews"],
        rows=rows,
        top=_top(rows),
        unthemed_pain_mentions=scalars["unthemed"],
        unattributed_figures=scalars["unattributed"],
    )


def _median_of_counts(values: dict[float, int]) -> float | None:
    """The median of values given as {value: how many times}."""
    total = sum(values.values())
    if not total:
        return None
    ordered = sorted(values.items())
    expanded_at = []
    for wanted in ((total - 1) // 2, total // 2):
        seen = 0
        for value, count in ordered:
            seen += count
            if seen > wanted:
                expanded_at.append(value)
                break
    return (expanded_at[0] + expanded_at[1]) / 2


def _row(
    tid: int, parts: dict[str, list[tuple]], index: _ThemeIndex, segment: Segment, total: int, display: dict[int, str]
) -> MatrixRow:
    def mine(part: str) -> list[tuple]:
        return [r for r in parts[part] if r[0] == tid]

    counts = {SEVERITY_ORDER[n]: z for _t, _k, _s, _x, _y, n, z in mine("severity") if n >= 0}
    interviews = sum(z for *_, z in mine("severity"))
    severity = max(counts, key=lambda s: (counts[s], SEVERITY_WEIGHT[s])) if counts else None

    hours_hist: dict[float, int] = defaultdict(int)
    for _t, _k, _s, x, _y, _n, z in mine("hours"):
        hours_hist[round(x, 2)] += z
    median = _median_of_counts(hours_hist)
    median = round(median, 2) if median is not None else None
    yearly = round(Decimal(str(median)) * segment.hourly_cost * segment.weeks_per_year) if median is not None else None
    risk = mine("risk")
    risk_max, risk_currency = (risk[0][3], risk[0][1]) if risk else (None, "USD")

    consequence = ""
    said = mine("consequence")
    if risk_max is None and said:
        # The consequence stated most (case and outer spaces ignored); the earliest mention wins ties.
        best = max(said, key=lambda r: (r[6], -r[5]))
        consequence = _short(best[2])
    elif risk_max is None and median is None and (top := mine("top_pain")):
        consequence = _short(top[0][2])

    groups: dict[str, int] = defaultdict(int)
    for _t, wkey, _s, _x, _y, wtid, z in mine("workaround"):
        name = index.name(index.root.get(wtid, wtid)) if wtid else (wkey or "Other")
        groups[name] += z
    workarounds = sorted(
        (WorkaroundCount(n, c) for n, c in groups.items()), key=lambda w: (-w.interviews, w.name.casefold())
    )

    mid_hist: dict[float, int] = defaultdict(int)
    lows: list[float] = []
    highs: list[float] = []
    currencies: Counter[str] = Counter()
    n = once = unknown = 0
    for _t, cur, _s, lo, hi, unk, z in mine("wtp"):
        n += z
        currencies[cur] += z
        if lo is None:
            once += z
            continue
        mid_hist[(lo + hi) / 2] += z
        lows.append(lo)
        highs.append(hi)
        unknown += z * (unk or 0)
    wtp_median = _median_of_counts(mid_hist)
    wtp = Wtp(
        median=round(wtp_median, 2) if wtp_median is not None else None,
        min=round(min(lows), 2) if lows else None,
        max=round(max(highs), 2) if highs else None,
        n=n,
        monthly=n - once,
        once=once,
        refused=sum(z for *_, z in mine("refused")),
        unknown_team_size=unknown,
        currency=currencies.most_common(1)[0][0] if currencies else "USD",
        mixed_currencies=len(currencies) > 1,
    )

    cells = {c: z for _t, c, _s, _x, _y, _n, z in mine("cell")}
    evidence = Evidence()
    for _t, label, text, _x, _y, mention_id, _z in sorted(mine("sample"), key=lambda r: r[5]):
        cell, status, interview = label.split("|", 2)
        getattr(evidence, cell).quotes.append(Quote(mention_id, interview, cell, text, _source(status), status))
    for cell_name in ("pain", "time", "risk", "workaround", "wtp"):
        getattr(evidence, cell_name).total = cells.get(cell_name, 0)
    cell_rows = mine("cell")
    key = index.key(tid)
    ratio = interviews / total if total else 0.0
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
        hours=[
            Figure(display.get(z, str(z)), round(x, 2), key)
            for _t, _k, _s, x, _y, _n, z in sorted(mine("hours_fig"), key=lambda r: r[6])
        ],
        risk_max=risk_max,
        risk_currency=risk_currency,
        risks=[
            Figure(display.get(z, str(z)), x, key, k)
            for _t, k, _s, x, _y, _n, z in sorted(mine("risk_fig"), key=lambda r: r[6])
        ],
        consequence=consequence,
        workaround=workarounds[0] if workarounds else None,
        other_workarounds=workarounds[1:],
        wtp=wtp,
        # Distinct mentions behind the row: each cell's rows not already counted in another cell.
        quotes=round(sum(x for _t, _k, _s, x, _y, _n, _z in cell_rows)),
        unreviewed=round(sum(y for _t, _k, _s, _x, y, _n, _z in cell_rows)),
        score=priority_score(frequency_ratio=ratio, severity=severity),
        evidence=evidence,
    )


def _top(rows: list[MatrixRow]) -> TopPains:
    """Most severe (then most frequent), most frequent (then most severe), costliest by $/yr then risk."""
    if not rows:
        return TopPains(None, None, None)
    weight = lambda r: SEVERITY_WEIGHT.get(r.severity or "", 0)  # noqa: E731
    severe = [r for r in rows if r.severity]
    costly = [r for r in rows if r.yearly_cost is not None or r.risk_max is not None]
    return TopPains(
        most_severe=max(severe, key=lambda r: (weight(r), r.interviews, r.score)).name if severe else None,
        most_frequent=max(rows, key=lambda r: (r.interviews, weight(r))).name,
        costliest=max(costly, key=lambda r: (r.yearly_cost or 0, r.risk_max or 0)).name if costly else None,
    )
