"""The pain-point matrix: one row per pain theme of a segment, in a fixed number of SQL queries whatever its size.

`segment_matrix` reads the segment's themes, then runs one statement (`_matrix_sql`) that applies
every rule in the database and returns small aggregates (histograms, counts, quote samples), never
the mentions themselves: at 100k mentions fetching rows costs more than the whole SQL. The page,
the exports, the API and the command all read this one result. The rules:

- Mentions a reviewer rejected never count; unreviewed ones count and each row says how many of
  the mentions behind it are still unreviewed. An evidence cell is one row's pain, time, risk,
  workaround or WTP evidence holding at least one (counting) mention; the matrix says how many of
  its cells still hold an unreviewed one (`Matrix.cells`, `Matrix.unreviewed_cells`).
- Rows: pain themes, reviewer merges followed to the surviving theme. Pain mentions without a
  theme are not in any row (`Matrix.unthemed_pain_mentions` counts them).
- Frequency: distinct interviews with a pain mention of the theme / interviews in the (filtered)
  segment.
- Severity: per interview the highest severity of its mentions of the theme; the row's is the most
  common of those, ties to the higher.
- Attribution of time, risk and workaround mentions: `about_key` names the pain they are about: the
  theme that interview's pains of that proposed key were grouped into, else the theme with that key
  (or one merged into it). Untied time and risk go to the interview's main pain (highest
  severity, then most mentions, then first mentioned in script order); untied workarounds go to
  every pain of the interview. Figures only count for interviews in the row's frequency; a figure
  tied to a pain the interview does not (countably) have is left out and counted in
  `Matrix.unattributed_figures`.
- Impact: per interview, the sum of the distinct hours attributed to the theme (as
  `insights.selectors.interview_figures` does for the whole interview); the row shows the median
  over interviewees who gave a figure and median x hourly cost x weeks per year. Risk: the largest
  amount attributed. Without a risk amount, the consequence stated most (case-insensitive) in the
  attributed risk quotes (each pain said in the risk answer is one); else nothing.
- Workaround: grouped by workaround theme (its name, else the proposed key), counted in interviews.
- WTP: each interviewee's first stated, non-refused figure, "first" as in `interview_figures` (answers
  in script order, notes last, then position), normalised to a month (year / 12, per user x team
  size, x 1 when the team size is unknown); one-off amounts are counted but kept out of the monthly
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

from insights.models import CELL_KINDS, SEVERITY_ORDER, Mention, MentionKind, ReviewStatus, Theme
from interviews.models import Interview, Segment, UsageType

SEVERITY_WEIGHT = {"low": 1, "medium": 2, "high": 3, "very_high": 4}
SEVERITY_LABEL = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}
CONSEQUENCE_CHARS = 90
CURRENCY_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
# Quotes with their text per cell (the count of all of them is always there); the sample keeps the
# statement's result small however many themes a segment has.
QUOTES_PER_CELL = 25
MAX_SAMPLED_QUOTES = 30_000
# The evidence cells of a row, in the order the SQL numbers them (1 to 5).
CELLS = tuple(CELL_KINDS)
# The SQL carries a mention's kind as the number of its cell (Mention.kind_cell): comparing numbers on
# every pass over the mentions costs a fraction of comparing text.
PAIN, TIME, RISK, WORKAROUND, WTP = range(1, len(CELLS) + 1)


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

    @classmethod
    def of(cls, segment: Segment) -> "_ThemeIndex":
        """The segment's themes, in one query."""
        rows = Theme.objects.filter(segment=segment).order_by().values_list("id", "kind", "key", "name", "merged_into")
        return cls(list(rows))

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
    *,
    segment: Segment,
    index: _ThemeIndex,
    filters: dict[str, Any],
    per_cell: int,
    with_figures: bool,
    postgres: bool,
    evidence_of: tuple[int, str | None] | None = None,
) -> tuple[str, list[Any]]:
    """Every rule of the matrix as one SQL statement (CTEs and window functions: SQLite 3.25+, PostgreSQL).

    CTEs, in order: ivs (the segment's interviews, date filters), iv (the interviewee type filter),
    m (their counting mentions, one narrow row each: kind as its cell number, pain themes resolved
    to the surviving theme, severity and position as numbers, about_key resolved to the surviving
    pain theme, workaround theme, figures, WTP), mp (its pains), pk (see there: only the proposed
    keys some other mention of the interview names), mo (the other
    mentions with the pain their about_key names), mstat (`cut`, see below, and the unthemed
    pains), pain_iv (one row per interview and pain theme: highest severity, and rk, the theme's
    rank in the interview, rk = 1 being its main pain: severity, then mentions, then first
    position), pt (per pain theme: its pain cell's counts), fa (time, risk
    and risk-amount mentions with the pain they are attributed to, NULL when the interview lacks
    it), fig (the attributed ones), wk (workarounds per pain: tied, or every pain of the
    interview), wi (per interview: its first stated WTP normalised to a month, whether it refused,
    and its WTP mentions), wg (wi per pain theme of the interview, grouped), cellcount (each
    evidence cell's counts), cand and picked (the sampled mentions), quotes (their text).

    Every lookup is a join on (interview, theme) against pain_iv, computed once, never a correlated
    subquery (SQLite indexes the materialised CTEs automatically); the one correlated subquery is
    the team size of a per-user WTP figure, two primary-key lookups for the few that need it. A
    row's distinct mentions are summed from the cells (see `dup`) rather than counted with
    COUNT(DISTINCT). The mention table is read once by interview, in m, through a partial index
    holding only the mentions it counts, and once more by id for the sampled quotes' text. Kinds
    are numbers from m on: every pass over m filters on the kind, and text comparisons were a
    tenth of the statement's work. The per-mention numbers that depend on no theme (the kind's
    cell, severity rank, position, the unreviewed flag) are generated columns of the mention table
    (`Mention.kind_cell` and the others), kept by the database on every write: m only reads them.

    Sampling without sorting every cell: a cell's first per_cell mentions by id are all at or below
    `cut` (the first twentieth of the pains' id range) as soon as per_cell of its mentions are, so
    only those are ranked; a cell with fewer there ("short") has all its mentions ranked. Same
    quotes as ranking everything, for a small fraction of the sorting.

    PostgreSQL: the tables are reached through their indexes by lists of ids (`= ANY(ARRAY(...))`,
    work proportional to the segment whatever the tables' size), never through a join, and the CTEs
    are MATERIALIZED (computed once) or NOT MATERIALIZED (a filter over another CTE, inlined; iv
    too when no interviewee type filters it). The proposed key is compared under "C" (bytes) in
    pk and its join: the database's own collation (C.UTF-8) sorts through strcoll.
    The planner cannot know how many rows a CTE holds (on a freshly loaded segment it guesses a
    handful), so `segment_matrix` turns nested loops off for this statement: every join left is
    between CTEs, where a nested loop is a quadratic scan (tens of seconds at 100k mentions) and a
    hash join is what the planner picks when it guesses right.

    `evidence_of` (theme id, cell or None): instead of the aggregates, the ids of the mentions behind
    that row's cell, or behind every cell of the row (its "N quotes"), from the same CTEs as the counts.
    """
    mention, interview, participant = Mention._meta.db_table, Interview._meta.db_table, "interviews_participant"
    pain_roots = index.roots(MentionKind.PAIN)
    work_case = _case("theme_id", index.roots(MentionKind.WORKAROUND))
    about_case = _case("about_key", {index.key(t): r for t, r in pain_roots.items()})
    mat, inline = ("MATERIALIZED ", "NOT MATERIALIZED ") if postgres else ("", "")
    # Sorting and grouping by the proposed key under the database's collation (C.UTF-8 is not "C" to
    # PostgreSQL) went through strcoll for every comparison.
    tkey_collate = ' COLLATE "C"' if postgres else ""
    n = int(per_cell)

    def among(column: str, ids: str) -> str:
        """`column` is one of the ids `ids` returns; on PostgreSQL an index scan over an array of them."""
        return f"{column} = ANY(ARRAY({ids}))" if postgres else f"{column} IN ({ids})"

    dates = {"interviewed_on__gte": "i.interviewed_on >= %s", "interviewed_on__lte": "i.interviewed_on <= %s"}
    where_ivs = ["i.segment_id = %s", *(dates[k] for k in dates if k in filters)]
    params: list[Any] = [segment.pk, *(filters[k] for k in dates if k in filters)]
    # Interviewees are read only to filter by their type (every interview has one): a lookup per
    # interview was a twentieth of the statement. WTP per user looks its team size up by itself.
    iv_select, iv_mat = "SELECT id, display FROM ivs", inline
    if "participant__usage" in filters:
        iv_mat = mat
        iv_select = (
            f"SELECT ivs.id, ivs.display FROM ivs JOIN {participant} p ON p.id = ivs.participant_id"
            f" WHERE {among('p.id', 'SELECT participant_id FROM ivs')} AND p.usage = %s"
        )
        params.append(filters["participant__usage"])

    cut = "(SELECT cut FROM mstat)"
    early = f"CASE WHEN id <= {cut} THEN 1 ELSE 0 END"
    stated = "CASE WHEN refused THEN 0 WHEN wtp_min IS NOT NULL THEN 1 ELSE 0 END"
    # One window definition for all of wi's functions: PostgreSQL computes them in one pass.
    per_interview = (
        f"OVER (PARTITION BY interview_id ORDER BY {stated} DESC, pos, id"
        " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
    )
    # The CTEs carry only what some rule reads (the quote only on risk mentions without an amount):
    # every column of every row costs on each pass over a CTE.
    ctes = f"""
WITH ivs AS {mat}(
  SELECT i.id, i.participant_id, COALESCE(NULLIF(i.external_id, ''), CAST(i.id AS TEXT)) AS display
  FROM {interview} i WHERE {" AND ".join(where_ivs)}
), iv AS {iv_mat}(
  {iv_select}
), m AS {mat}(
  -- kind: its cell number. ktid: NULL when the mention is tied to no pain (no about_key), 0 when
  -- its about_key names no pain theme of the segment. The kind, severity and position as numbers
  -- and the unreviewed flag are columns the database keeps (Mention.kind_cell and the others,
  -- migration 0005); sev is read on pains only, pos on pains and WTP. tkey is compared byte for
  -- byte on PostgreSQL (the same equality as the database's collation, without its sort rules).
  SELECT id, interview_id, kind_cell AS kind,
         CASE WHEN kind_cell = {PAIN} THEN {_case("theme_id", pain_roots)} END AS ptid,
         unreviewed AS unrev, severity_rank AS sev, position AS pos,
         CASE WHEN kind_cell <> {PAIN} AND about_key <> '' THEN COALESCE({about_case}, 0) END AS ktid,
         CASE WHEN kind_cell = {PAIN} THEN proposed_theme_key WHEN about_key <> '' THEN about_key END{tkey_collate}
           AS tkey,
         CASE WHEN kind_cell = {WORKAROUND} THEN {work_case} END AS wtid,
         CASE WHEN kind_cell = {WORKAROUND} THEN CASE WHEN {work_case} IS NULL THEN proposed_theme_key ELSE '' END
         END AS wkey,
         hours_per_week, risk_amount, currency, wtp_min, wtp_max, wtp_period, refused,
         CASE WHEN (kind_cell = {RISK} AND risk_amount IS NULL) OR (kind_cell = {PAIN} AND states_consequence)
           THEN quote END AS rtext
  -- The conditions are those of the partial index mention_counted_by_interview (migration 0004),
  -- which holds only these mentions.
  FROM {mention}
  WHERE {among("interview_id", "SELECT id FROM iv")} AND review_status <> 'rejected'
    AND kind IN ({", ".join(f"'{kind}'" for kind in CELLS)})
), mp AS {inline}(
  SELECT id, interview_id, ptid, unrev, sev, pos, risk_amount, currency, tkey, rtext FROM m WHERE kind = {PAIN}
), pk AS {mat}(
  -- The theme each interview's pains of one proposed key ended up in (the most common): a figure
  -- tied to "board" follows that interview's "board" pains wherever the segment grouping put them.
  -- Only for the keys some other mention of the interview names (mo's only use of pk): ranking
  -- every interview's pains cost more than finding those.
  SELECT interview_id, tkey, ptid FROM (
    SELECT interview_id, tkey, ptid,
           ROW_NUMBER() OVER (PARTITION BY interview_id, tkey ORDER BY COUNT(*) DESC, ptid) AS rk
    FROM mp WHERE ptid IS NOT NULL AND tkey <> ''
      AND (interview_id, tkey) IN (SELECT interview_id, tkey FROM m WHERE kind <> {PAIN} AND ktid IS NOT NULL)
    GROUP BY interview_id, tkey, ptid) g
  WHERE rk = 1
), mo AS {inline}(
  SELECT m.id, m.interview_id, m.kind, m.unrev, COALESCE(pk.ptid, m.ktid) AS ktid, m.wtid, m.wkey,
         m.hours_per_week, m.risk_amount, m.currency, m.rtext
  FROM m LEFT JOIN pk ON m.ktid IS NOT NULL AND pk.interview_id = m.interview_id AND pk.tkey = m.tkey
  WHERE m.kind <> {PAIN}
), mstat AS {mat}(
  SELECT MIN(id) + (MAX(id) - MIN(id)) / 20 AS cut, SUM(CASE WHEN ptid IS NULL THEN 1 ELSE 0 END) AS unthemed
  FROM mp
), pain_iv AS {mat}(
  -- Grouped from sorted rows: the rank's sort then only orders each interview's few themes.
  SELECT interview_id, ptid AS tid, MAX(sev) AS sev,
         ROW_NUMBER() OVER (PARTITION BY interview_id ORDER BY MAX(sev) DESC, COUNT(*) DESC, MIN(pos), ptid) AS rk
  FROM (SELECT interview_id, ptid, sev, pos FROM mp WHERE ptid IS NOT NULL ORDER BY interview_id, ptid) s
  GROUP BY interview_id, ptid
), pt AS {mat}(
  SELECT ptid AS tid, COUNT(*) AS total, SUM(unrev) AS unrev, SUM({early}) AS early
  FROM mp WHERE ptid IS NOT NULL GROUP BY ptid
), fa AS {mat}(
  -- Figures: tied ones go to the pain they name, untied ones to the main pain; NULL when the
  -- interview lacks that pain. Pains carrying a risk amount are risk figures of their own theme, and
  -- pains said in the risk answer its consequences (rtext; the risk cell does not count them).
  SELECT m.id, m.interview_id, m.kind, m.hours_per_week, m.risk_amount, m.currency, m.unrev, m.rtext, p.tid
  FROM mo m LEFT JOIN pain_iv p ON p.interview_id = m.interview_id
    AND CASE WHEN m.ktid IS NOT NULL THEN p.tid = m.ktid ELSE p.rk = 1 END
  WHERE m.kind IN ({TIME}, {RISK}) OR (m.kind = {WTP} AND m.risk_amount IS NOT NULL)
  UNION ALL
  SELECT id, interview_id, {PAIN}, NULL, risk_amount, currency, unrev, rtext, ptid
  FROM mp WHERE ptid IS NOT NULL AND (risk_amount IS NOT NULL OR rtext IS NOT NULL)
), fig AS {inline}(
  SELECT * FROM fa WHERE tid IS NOT NULL
), wk AS {mat}(
  -- Workarounds per pain: the one they name, or every pain of the interview.
  SELECT m.id, m.interview_id, p.tid, m.unrev, m.wtid, m.wkey
  FROM mo m JOIN pain_iv p ON p.interview_id = m.interview_id
  WHERE m.kind = {WORKAROUND} AND (m.ktid IS NULL OR p.tid = m.ktid)
), wi AS {mat}(
  SELECT w.interview_id, w.stated, w.refused_any, w.total, w.unrev, w.early,
         CASE w.wtp_period WHEN 'once' THEN NULL WHEN 'year' THEN w.wtp_min / 12.0
              WHEN 'user_month' THEN w.wtp_min * COALESCE(w.team_size, 1) ELSE w.wtp_min END AS lo,
         CASE w.wtp_period WHEN 'once' THEN NULL WHEN 'year' THEN w.wtp_max / 12.0
              WHEN 'user_month' THEN w.wtp_max * COALESCE(w.team_size, 1) ELSE w.wtp_max END AS hi,
         CASE WHEN w.wtp_period = 'user_month' AND w.team_size IS NULL THEN 1 ELSE 0 END AS unknown,
         COALESCE(NULLIF(w.currency, ''), 'USD') AS cur
  FROM (
    SELECT interview_id, wtp_min, COALESCE(wtp_max, wtp_min) AS wtp_max, wtp_period, currency, {stated} AS stated,
           CASE WHEN wtp_period = 'user_month' THEN (
             SELECT p.team_size FROM {participant} p
             WHERE p.id = (SELECT i.participant_id FROM {interview} i WHERE i.id = m.interview_id)) END AS team_size,
           ROW_NUMBER() {per_interview} AS rn,
           MAX(CASE WHEN refused THEN 1 ELSE 0 END) {per_interview} AS refused_any,
           COUNT(*) {per_interview} AS total, SUM(unrev) {per_interview} AS unrev,
           SUM({early}) {per_interview} AS early
    FROM m WHERE kind = {WTP}) w
  WHERE w.rn = 1
), wg AS {mat}(
  -- The text key last: sorted groupings compare it only between otherwise equal rows.
  SELECT p.tid, wi.stated, wi.refused_any, wi.lo, wi.hi, wi.unknown, wi.cur, COUNT(*) AS interviews,
         SUM(wi.total) AS total, SUM(wi.unrev) AS unrev, SUM(wi.early) AS early
  FROM wi JOIN pain_iv p ON p.interview_id = wi.interview_id
  GROUP BY p.tid, wi.stated, wi.refused_any, wi.lo, wi.hi, wi.unknown, wi.cur
), cellcount AS {mat}(
  -- Per cell (1 pain, 2 time, 3 risk, 4 workaround, 5 WTP) and theme: its mentions, of them not
  -- counted in another cell (fresh) and of those the unreviewed, all its unreviewed, and how many
  -- are at or below cut. A mention sits in two cells of a row only through its risk amount (a pain,
  -- a WTP or an hours figure that also states a risk): dup marks that second appearance.
  SELECT 1 AS cell, tid, total, total AS fresh, unrev AS fresh_unrev, unrev, early FROM pt
  UNION ALL
  SELECT 2, tid, COUNT(*), COUNT(*), SUM(unrev), SUM(unrev), SUM({early})
  FROM fig WHERE kind = {TIME} AND hours_per_week IS NOT NULL GROUP BY tid
  UNION ALL
  SELECT 3, tid, COUNT(*), SUM(1 - dup), SUM(unrev * (1 - dup)), SUM(unrev), SUM({early}) FROM (
    SELECT tid, id, unrev,
           CASE WHEN kind IN ({PAIN}, {WTP}) OR (kind = {TIME} AND hours_per_week IS NOT NULL) THEN 1 ELSE 0
           END AS dup
    FROM fig WHERE kind = {RISK} OR risk_amount IS NOT NULL) r
  GROUP BY tid
  UNION ALL
  SELECT 4, tid, COUNT(*), COUNT(*), SUM(unrev), SUM(unrev), SUM({early}) FROM wk GROUP BY tid
  UNION ALL
  SELECT 5, tid, SUM(total), SUM(total), SUM(unrev), SUM(unrev), SUM(early) FROM wg GROUP BY tid
), short AS {inline}(
  SELECT cell, tid FROM cellcount WHERE early < {n}
), cand AS {mat}(
  -- The mentions a sample can hold.
  SELECT 1 AS cell, m.ptid AS tid, m.id
  FROM mp m JOIN pt ON pt.tid = m.ptid
  WHERE m.id <= {cut} OR pt.early < {n}
  UNION ALL
  SELECT 2, tid, id FROM fig WHERE kind = {TIME} AND hours_per_week IS NOT NULL
    AND (id <= {cut} OR tid IN (SELECT tid FROM short WHERE cell = 2))
  UNION ALL
  SELECT 3, tid, id FROM fig WHERE (kind = {RISK} OR risk_amount IS NOT NULL)
    AND (id <= {cut} OR tid IN (SELECT tid FROM short WHERE cell = 3))
  UNION ALL
  SELECT 4, tid, id FROM wk WHERE id <= {cut} OR tid IN (SELECT tid FROM short WHERE cell = 4)
  UNION ALL
  SELECT 5, p.tid, w.id
  FROM (SELECT id, interview_id FROM m WHERE kind = {WTP} AND id <= {cut}) w
  JOIN pain_iv p ON p.interview_id = w.interview_id
  UNION ALL
  SELECT 5, p.tid, w.id
  FROM (SELECT interview_id, tid FROM pain_iv WHERE tid IN (SELECT tid FROM short WHERE cell = 5)) p
  JOIN m w ON w.interview_id = p.interview_id
  WHERE w.kind = {WTP} AND w.id > {cut}
), picked AS {mat}(
  -- Each cell's first per_cell mentions by id.
  SELECT cell, tid, id FROM (
    SELECT cell, tid, id, ROW_NUMBER() OVER (PARTITION BY cell, tid ORDER BY id) AS rn FROM cand
  ) r WHERE rn <= {n}
), quotes AS {mat}(
  SELECT q.id, q.quote, q.review_status, iv.display
  FROM {mention} q JOIN iv ON iv.id = q.interview_id
  WHERE {among("q.id", "SELECT id FROM picked")}
)"""
    if evidence_of is not None:
        return ctes + "\n" + _evidence_sql(*evidence_of), params
    cell_name = "CASE p.cell " + " ".join(f"WHEN {i} THEN '{c}'" for i, c in enumerate(CELLS, 1)) + " END"
    hours_per_interview = (
        "SELECT tid, interview_id, SUM(DISTINCT hours_per_week) AS h FROM fig"
        f" WHERE kind = {TIME} AND hours_per_week IS NOT NULL GROUP BY tid, interview_id"
    )
    parts = [
        _part("interviews", n="(SELECT COUNT(*) FROM iv)"),
        _part("unthemed", n="(SELECT unthemed FROM mstat)"),
        # Figures tied to a pain the interview lacks (or to no pain at all) are left out, and counted.
        _part(
            "unattributed",
            n="(SELECT COUNT(*) FROM fa WHERE tid IS NULL AND (risk_amount IS NOT NULL"
            f" OR (kind = {TIME} AND hours_per_week IS NOT NULL)))",
        ),
        _part("severity", tid="tid", n="sev", z="COUNT(*)") + " FROM pain_iv GROUP BY tid, sev",
        _part("hours", tid="tid", x="h", z="COUNT(*)") + f" FROM ({hours_per_interview}) per GROUP BY tid, h",
        _part("risk", tid="tid", k="cur", x="amount")
        + " FROM (SELECT tid, COALESCE(NULLIF(currency, ''), 'USD') AS cur, risk_amount AS amount,"
        " ROW_NUMBER() OVER (PARTITION BY tid, COALESCE(NULLIF(currency, ''), 'USD') ORDER BY risk_amount DESC, id)"
        " AS rn FROM fig"
        " WHERE risk_amount IS NOT NULL) ranked WHERE rn = 1",
        _part("consequence", tid="tid", s="MIN(rtext)", n="MIN(id)", z="COUNT(*)")
        + " FROM fig WHERE rtext IS NOT NULL GROUP BY tid, LOWER(TRIM(rtext))",
        _part("workaround", tid="tid", n="wtid", k="wkey", z="COUNT(DISTINCT interview_id)")
        + " FROM wk GROUP BY tid, wtid, wkey",
        # wi has one row per interview, so wg's counts are interviews.
        _part("wtp", tid="tid", k="cur", x="lo", y="hi", n="unknown", z="SUM(interviews)")
        + " FROM wg WHERE stated = 1 GROUP BY tid, cur, lo, hi, unknown",
        _part("refused", tid="tid", z="SUM(interviews)") + " FROM wg WHERE stated = 0 AND refused_any = 1 GROUP BY tid",
        _part("cell", tid="tid", k=cell_name.replace("p.cell", "cell"), z="total", x="fresh", y="fresh_unrev",
              n="unrev") + " FROM cellcount",
        # Sampled quotes with "cell|review status|interview display id".
        _part("sample", tid="p.tid", k=f"{cell_name} || '|' || q.review_status || '|' || q.display", s="q.quote",
              n="p.id") + " FROM picked p JOIN quotes q ON q.id = p.id",
    ]  # fmt: skip
    if with_figures:
        parts.append(_part("hours_fig", tid="tid", x="h", z="interview_id") + f" FROM ({hours_per_interview}) per")
        parts.append(
            _part("risk_fig", tid="tid", k="MIN(COALESCE(NULLIF(currency, ''), 'USD'))", x="MAX(risk_amount)",
                  z="interview_id") + " FROM fig WHERE risk_amount IS NOT NULL GROUP BY tid, interview_id"
        )  # fmt: skip
        parts.append(_part("display", k="display", z="id") + " FROM iv")
    return ctes + "\n" + "\nUNION ALL\n".join(parts), params


def _evidence_sql(tid: int, cell: str | None) -> str:
    """The ids of the mentions behind one row's cells, each selected as cellcount counts it."""
    t = int(tid)
    cells = {
        "pain": f"SELECT id FROM mp WHERE ptid = {t}",
        "time": f"SELECT id FROM fig WHERE tid = {t} AND kind = {TIME} AND hours_per_week IS NOT NULL",
        "risk": f"SELECT id FROM fig WHERE tid = {t} AND (kind = {RISK} OR risk_amount IS NOT NULL)",
        "workaround": f"SELECT id FROM wk WHERE tid = {t}",
        "wtp": f"SELECT w.id FROM m w JOIN pain_iv p ON p.interview_id = w.interview_id WHERE w.kind = {WTP}"
        f" AND p.tid = {t}",
    }
    return "\nUNION\n".join(sql for name, sql in cells.items() if cell in (None, name))


# Statement-local PostgreSQL settings for the matrix statement (see `_matrix_sql`): nested loops off
# (every join is between CTEs whose size the planner cannot know), JIT off (compiling the statement
# costs more than it saves: +130 ms at 100k mentions unoptimised, over a second optimised), and
# sorts, hashes and materialised CTEs in memory (the 4MB default spills them to disk at 100k).
_PG_SETTINGS = {"enable_nestloop": "off", "jit": "off", "work_mem": "16MB"}


def _run(sql: str, params: list[Any], *, postgres: bool) -> list[tuple]:
    """Run a matrix statement with the planner settings it needs (`_PG_SETTINGS`) on PostgreSQL."""
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            # set_config(..., true) is SET LOCAL: it lasts until the end of the transaction.
            cursor.execute(
                "SELECT " + ", ".join(f"current_setting('{name}')" for name in _PG_SETTINGS) + ", "
                + ", ".join(f"set_config('{name}', %s, true)" for name in _PG_SETTINGS),
                list(_PG_SETTINGS.values()),
            )  # fmt: skip
            previous = list(cursor.fetchone() or ())[: len(_PG_SETTINGS)]
        cursor.execute(sql, params)
        result = cursor.fetchall()
        if postgres and nested:
            # The caller's transaction goes on after ours: give it its own settings back.
            cursor.execute(
                "SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in _PG_SETTINGS), list(previous)
            )
    return result


def segment_matrix(
    *,
    segment: Segment,
    usage: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    with_figures: bool = False,
) -> Matrix:
    """The pain-point matrix of a segment, filtered by interviewee type and interview date.

    Two queries whatever the size: the segment's themes, then one statement that applies every rule
    in the database (see `_matrix_sql`) and returns small aggregates and the sampled quotes, not the
    mentions (on PostgreSQL one more sets its planner settings, and one restores them when the
    caller's transaction goes on). `with_figures` adds each interview's hours and risk figure with
    the theme it went to (the JSON export's detail). Undated interviews drop out as soon as a date
    filter is set.
    """
    filters = interview_lookups(usage=usage, date_from=date_from, date_to=date_to)
    index = _ThemeIndex.of(segment)
    n_cells = 5 * max(1, len(index.roots(MentionKind.PAIN)))
    per_cell = max(1, min(QUOTES_PER_CELL, MAX_SAMPLED_QUOTES // n_cells))
    postgres = connection.vendor == "postgresql"
    sql, params = _matrix_sql(
        segment=segment, index=index, filters=filters, per_cell=per_cell, with_figures=with_figures, postgres=postgres
    )
    result = _run(sql, params, postgres=postgres)
    scalars: dict[str, int] = {}
    by_part: dict[str, list[tuple]] = defaultdict(list)
    for part, tid, k, s_, x, y, n, z in result:
        if tid is None and part in ("interviews", "unthemed", "unattributed"):
            scalars[part] = n or 0
        else:
            by_part[part].append((tid, k, s_, x, y, n, z))
    display = {z: k for _tid, k, _s, _x, _y, _n, z in by_part["display"]}

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
    same attribution and the same two queries as the matrix, so the ids are exactly what it counts
    (a cell's `total` of them, a row's `quotes` for all cells together).
    """
    if cell is not None and cell not in CELLS:
        raise ValueError(f"Unknown evidence cell {cell!r}; use one of {', '.join(CELLS)}.")
    filters = interview_lookups(usage=usage, date_from=date_from, date_to=date_to)
    index = _ThemeIndex.of(segment)
    postgres = connection.vendor == "postgresql"
    sql, params = _matrix_sql(
        segment=segment, index=index, filters=filters, per_cell=QUOTES_PER_CELL, with_figures=False,
        postgres=postgres, evidence_of=(theme_id, cell),
    )  # fmt: skip
    return {mention_id for (mention_id,) in _run(sql, params, postgres=postgres)}


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
    # The largest amount per currency: amounts in different currencies are never compared. The row
    # shows the USD one (else the first currency by code) and names the others apart.
    risks = {cur: amount for _t, cur, _s, amount, _y, _n, _z in mine("risk")}
    risk_currency = "USD" if "USD" in risks else (min(risks) if risks else "USD")
    risk_max = risks.pop(risk_currency, None)

    consequence = ""
    said = mine("consequence")
    if risk_max is None and said:
        # The consequence stated most (case and outer spaces ignored); the earliest mention wins ties.
        best = max(said, key=lambda r: (r[6], -r[5]))
        consequence = _short(best[2])

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
    wtp_rows = mine("wtp")
    for _t, cur, _s, _lo, _hi, _unk, z in wtp_rows:
        currencies[cur] += z
    # Amounts in different currencies are never summed: the median, min and max are in the currency
    # most interviewees stated (ties: first by code); the others are counted apart.
    main = min(currencies, key=lambda c: (-currencies[c], c)) if currencies else "USD"
    n = once = monthly = unknown = 0
    for _t, cur, _s, lo, hi, unk, z in wtp_rows:
        n += z
        if lo is None:
            once += z
            continue
        if cur != main:
            continue
        monthly += z
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
        monthly=monthly,
        once=once,
        refused=sum(z for *_, z in mine("refused")),
        unknown_team_size=unknown,
        currency=main,
        mixed_currencies=len(currencies) > 1,
        other_currencies={c: k for c, k in sorted(currencies.items()) if c != main},
    )

    cells = {c: (z, n) for _t, c, _s, _x, _y, n, z in mine("cell")}
    evidence = Evidence()
    for _t, label, text, _x, _y, mention_id, _z in sorted(mine("sample"), key=lambda r: r[5]):
        cell, status, interview = label.split("|", 2)
        getattr(evidence, cell).quotes.append(Quote(mention_id, interview, cell, text, _source(status), status))
    for cell_name in CELLS:
        counts_of = getattr(evidence, cell_name)
        counts_of.total, counts_of.unreviewed = (int(v or 0) for v in cells.get(cell_name, (0, 0)))
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
        other_risks=risks,
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
