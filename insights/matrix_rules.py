"""The pain-point matrix's rules, each a small function over plain rows: no database here.

`insights.matrix.segment_matrix` reads a segment's themes, interviews and counting mentions in a
fixed number of narrow queries (`ThemeRow`, `InterviewRow`, `MentionRow`) and hands them to
`theme_facts`, which applies the rules below in order; the README's table "How the matrix is
computed" says the same in prose (the one copy of it). Mentions are numbered by evidence cell
(`Mention.kind_cell`: 1 pain, 2 time, 3 risk, 4 workaround, 5 WTP) and severities by rank
(`Mention.severity_rank`: 0 low to 3 very high, -1 none), as the database keeps them.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

PAIN, TIME, RISK, WORKAROUND, WTP = range(1, 6)
CELL_NAMES = ("pain", "time", "risk", "workaround", "wtp")
SEVERITY_NAMES = ("low", "medium", "high", "very_high")
SEVERITY_WEIGHT = {"low": 1, "medium": 2, "high": 3, "very_high": 4}
NO_SEVERITY = -1


class ThemeRow(NamedTuple):
    id: int
    kind: str
    key: str
    name: str
    merged_into: int | None


class InterviewRow(NamedTuple):
    id: int
    display: str  # the interview's id as people know it (external id, else the database id)
    team_size: int | None


class MentionRow(NamedTuple):
    """One counting mention (not rejected, of a matrix kind), as narrow as the rules need it."""

    id: int
    interview_id: int
    cell: int  # PAIN ... WTP
    theme_id: int | None
    unreviewed: int  # 1 until a reviewer touched it
    severity: int  # rank in SEVERITY_NAMES, NO_SEVERITY when none was said
    position: int  # where in the conversation: script order, notes last, then the offset
    about_key: str  # the pain key a time, risk, workaround or WTP mention says it is about ("" when none)
    proposed_key: str
    hours: float | None
    risk: float | None
    currency: str
    wtp_min: float | None
    wtp_max: float | None
    wtp_period: str
    refused: bool
    text: str | None  # the quote, read only where the consequence rule needs it


# --- Themes -----------------------------------------------------------------------------------------


class ThemeIndex:
    """Themes of a segment with reviewer merges followed to the surviving theme."""

    def __init__(self, themes: Iterable[ThemeRow]) -> None:
        self.by_id = {t.id: t for t in themes}
        self.root: dict[int, int] = {tid: self._resolve(tid) for tid in self.by_id}

    def _resolve(self, tid: int) -> int:
        seen = set()
        while (parent := self.by_id[tid].merged_into) and parent in self.by_id and tid not in seen:
            seen.add(tid)
            tid = parent
        return tid

    def roots(self, kind: str) -> dict[int, int]:
        """theme id (maybe merged away) -> surviving theme, for themes whose survivor is of this kind."""
        return {tid: root for tid, root in self.root.items() if self.by_id[root].kind == kind}

    def name(self, tid: int) -> str:
        return self.by_id[tid].name

    def key(self, tid: int) -> str:
        return self.by_id[tid].key


# --- Rules ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class InterviewPain:
    """One interview's mentions of one pain theme."""

    theme: int
    severity: int  # the highest said
    mentions: int
    first: int  # position of the first


def interview_pains(pains: Iterable[tuple[MentionRow, int]]) -> dict[int, list[InterviewPain]]:
    """Per interview its pain themes, main pain first: highest severity, then most mentions, then
    said first (script order), then theme id."""
    per: dict[tuple[int, int], InterviewPain] = {}
    for m, tid in pains:
        p = per.get((m.interview_id, tid))
        if p is None:
            per[(m.interview_id, tid)] = InterviewPain(tid, m.severity, 1, m.position)
        else:
            p.severity = max(p.severity, m.severity)
            p.mentions += 1
            p.first = min(p.first, m.position)
    out: dict[int, list[InterviewPain]] = defaultdict(list)
    for (iv, _tid), p in per.items():
        out[iv].append(p)
    for ranked in out.values():
        ranked.sort(key=lambda p: (-p.severity, -p.mentions, p.first, p.theme))
    return out


def row_severity(counts: dict[str, int]) -> str | None:
    """The row's severity: the most common of its interviews' (each its highest), ties to the higher."""
    return max(counts, key=lambda s: (counts[s], SEVERITY_WEIGHT[s])) if counts else None


def frequency_ratio(*, interviews: int, total: int) -> float:
    """Interviews with a pain of the theme / interviews in the (filtered) segment."""
    return interviews / total if total else 0.0


def priority_score(*, frequency_ratio: float, severity: str | None) -> float:
    """Row priority: frequency ratio x severity weight (Low 1, Medium 2, High 3, Very high 4).

    A theme without any severity weighs as Low. Rows sort by score, then yearly $ impact, then
    interviews, then name; the score is in every export so the order can be checked.
    """
    return round(frequency_ratio * SEVERITY_WEIGHT.get(severity or "low", 1), 4)


def proposed_key_themes(pains: Iterable[tuple[MentionRow, int]]) -> dict[tuple[int, str], int]:
    """(interview, proposed key) -> the theme that interview's pains of that key were grouped into
    (the most common, ties to the lower id): a figure about "board" follows that interview's "board"
    pains wherever the segment's grouping put them."""
    counts: Counter[tuple[int, str, int]] = Counter(
        (m.interview_id, m.proposed_key, tid) for m, tid in pains if m.proposed_key
    )
    best: dict[tuple[int, str], tuple[int, int]] = {}
    for (iv, key, tid), n in counts.items():
        seen = best.get((iv, key))
        if seen is None or (n, -tid) > (seen[1], -seen[0]):
            best[(iv, key)] = (tid, n)
    return {k: tid for k, (tid, _n) in best.items()}


def named_pain(
    m: MentionRow, *, by_proposed_key: dict[tuple[int, str], int], by_theme_key: dict[str, int]
) -> int | None:
    """The pain theme a time, risk, workaround or WTP mention says it is about: None when it names
    none (untied), 0 when what it names is no pain theme of the segment."""
    if not m.about_key:
        return None
    found = by_proposed_key.get((m.interview_id, m.about_key))
    return found if found is not None else by_theme_key.get(m.about_key, 0)


def attributed_pain(named: int | None, pains: Sequence[InterviewPain]) -> int | None:
    """Hours and risk attribution: a tied figure goes to the pain it names, an untied one to the
    interview's main pain; None when the interview has no such (counting) pain."""
    if named is None:
        return pains[0].theme if pains else None
    return named if any(p.theme == named for p in pains) else None


def workaround_pains(named: int | None, pains: Sequence[InterviewPain]) -> list[int]:
    """A workaround goes to the pain it names, or to every pain of the interview when it names none."""
    if named is None:
        return [p.theme for p in pains]
    return [named] if any(p.theme == named for p in pains) else []


def monthly(amount: float | None, *, period: str, team_size: int | None) -> float | None:
    """A WTP amount per month: a year / 12, per user x team size (x 1 when unknown), one-offs none."""
    if amount is None or period == "once":
        return None
    if period == "year":
        return amount / 12.0
    if period == "user_month":
        return amount * (team_size if team_size is not None else 1)
    return amount


@dataclass(frozen=True, slots=True)
class InterviewWtp:
    """What one interviewee said they would pay: their first stated, non-refused figure."""

    stated: bool
    refused: bool  # some WTP mention of theirs refuses
    low: float | None  # per month; None for one-offs (and when nothing was stated)
    high: float | None
    unknown_team_size: bool
    currency: str
    mentions: int
    unreviewed: int


def interview_wtp(mentions: Sequence[MentionRow], *, team_size: int | None) -> InterviewWtp:
    """The first stated figure, "first" as in `insights.selectors.interview_figures` (answers in
    script order, notes last, then position), normalised to a month."""
    first = min(mentions, key=lambda m: (0 if _stated(m) else 1, m.position, m.id))
    per_user = first.wtp_period == "user_month"
    high = first.wtp_max if first.wtp_max is not None else first.wtp_min
    return InterviewWtp(
        stated=_stated(first),
        refused=any(m.refused for m in mentions),
        low=monthly(first.wtp_min, period=first.wtp_period, team_size=team_size),
        high=monthly(high, period=first.wtp_period, team_size=team_size),
        unknown_team_size=per_user and team_size is None,
        currency=first.currency or "USD",
        mentions=len(mentions),
        unreviewed=sum(m.unreviewed for m in mentions),
    )


def _stated(m: MentionRow) -> bool:
    return not m.refused and m.wtp_min is not None


def main_currency(counts: Counter[str]) -> str:
    """The currency most interviewees stated (ties: first by code): WTP figures are never converted."""
    return min(counts, key=lambda c: (-counts[c], c)) if counts else "USD"


def largest_risks(risks: Iterable[tuple[float, str, int]]) -> dict[str, float]:
    """The largest risk amount in each currency ((amount, currency, mention id) each): never compared across."""
    best: dict[str, tuple[float, int]] = {}
    for amount, currency, mention_id in risks:
        seen = best.get(currency)
        if seen is None or (amount, -mention_id) > (seen[0], -seen[1]):
            best[currency] = (amount, mention_id)
    return {c: amount for c, (amount, _id) in best.items()}


def median_of_counts(values: dict[float, int]) -> float | None:
    """The median of values given as {value: how many times}."""
    total = sum(values.values())
    if not total:
        return None
    ordered = sorted(values.items())
    at = []
    for wanted in ((total - 1) // 2, total // 2):
        seen = 0
        for value, count in ordered:
            seen += count
            if seen > wanted:
                at.append(value)
                break
    return (at[0] + at[1]) / 2


def consequence_key(text: str) -> str:
    """Consequences are counted case-insensitively, outer spaces ignored."""
    return text.strip(" ").lower()


# --- All of them, per theme --------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    """The mentions behind one evidence cell of a row, by id, and how many are unreviewed."""

    ids: list[int] = field(default_factory=list)
    unreviewed: int = 0
    fresh: int = 0  # not already counted in another cell of the row (a pain stating a risk amount)
    fresh_unreviewed: int = 0

    def add(self, m: MentionRow, *, fresh: bool = True) -> None:
        self.ids.append(m.id)
        self.unreviewed += m.unreviewed
        if fresh:
            self.fresh += 1
            self.fresh_unreviewed += m.unreviewed


@dataclass(slots=True)
class ThemeFacts:
    """What the rules found for one pain theme: a matrix row before it is labelled."""

    theme: int
    severity_counts: Counter[int] = field(default_factory=Counter)  # per interview, its highest
    hours: dict[int, set[float]] = field(default_factory=dict)  # interview -> distinct hours figures
    risks: dict[int, list[tuple[float, str, int]]] = field(default_factory=dict)  # interview -> (amount, cur, id)
    consequences: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # key -> (min text, min id, n)
    workarounds: dict[tuple[int | None, str | None], set[int]] = field(default_factory=dict)
    wtp: list[InterviewWtp] = field(default_factory=list)
    cells: dict[int, Cell] = field(default_factory=lambda: {c: Cell() for c in range(PAIN, WTP + 1)})

    @property
    def interviews(self) -> int:
        return sum(self.severity_counts.values())


@dataclass(slots=True)
class Facts:
    themes: dict[int, ThemeFacts]
    unthemed_pains: int
    unattributed_figures: int


def theme_facts(*, index: ThemeIndex, interviews: Sequence[InterviewRow], mentions: Iterable[MentionRow]) -> Facts:
    """Every rule, applied to the counting mentions of the (filtered) interviews."""
    pain_roots = index.roots("pain")
    work_roots = index.roots("workaround")
    by_theme_key = {index.key(t): r for t, r in pain_roots.items()}
    team_size = {iv.id: iv.team_size for iv in interviews}

    pains: list[tuple[MentionRow, int]] = []
    others: list[MentionRow] = []
    unthemed = 0
    for m in mentions:
        if m.cell == PAIN:
            tid = pain_roots.get(m.theme_id) if m.theme_id is not None else None
            if tid is None:
                unthemed += 1
            else:
                pains.append((m, tid))
        else:
            others.append(m)

    per_interview = interview_pains(pains)
    facts: dict[int, ThemeFacts] = {}
    for ranked in per_interview.values():
        for p in ranked:
            f = facts.get(p.theme) or facts.setdefault(p.theme, ThemeFacts(p.theme))
            f.severity_counts[p.severity] += 1
    for m, tid in pains:
        f = facts[tid]
        f.cells[PAIN].add(m)
        if m.risk is not None:  # a pain stating an amount is a risk figure of its own theme too
            f.cells[RISK].add(m, fresh=False)
            f.risks.setdefault(m.interview_id, []).append((m.risk, m.currency or "USD", m.id))
        if m.text is not None:
            _said(f, m)

    by_proposed_key = proposed_key_themes(pains)
    unattributed = 0
    wtp_by_interview: dict[int, list[MentionRow]] = defaultdict(list)
    no_pains: list[InterviewPain] = []
    for m in others:
        named = named_pain(m, by_proposed_key=by_proposed_key, by_theme_key=by_theme_key)
        ranked = per_interview.get(m.interview_id, no_pains)
        if m.cell == WORKAROUND:
            wtid = work_roots.get(m.theme_id) if m.theme_id is not None else None
            wkey = m.proposed_key if wtid is None else ""
            for tid in workaround_pains(named, ranked):
                f = facts[tid]
                f.cells[WORKAROUND].add(m)
                f.workarounds.setdefault((wtid, wkey), set()).add(m.interview_id)
            continue
        if m.cell == WTP:
            wtp_by_interview[m.interview_id].append(m)
            if m.risk is None:
                continue
        tid = attributed_pain(named, ranked)
        has_hours = m.cell == TIME and m.hours is not None
        if tid is None:
            unattributed += m.risk is not None or has_hours
            continue
        f = facts[tid]
        if has_hours:
            f.cells[TIME].add(m)
            f.hours.setdefault(m.interview_id, set()).add(m.hours)  # type: ignore[arg-type]
        if m.cell == RISK or m.risk is not None:
            # Counted once per row: an hours or WTP figure stating a risk is already in its own cell.
            f.cells[RISK].add(m, fresh=not (m.cell == WTP or has_hours))
        if m.risk is not None:
            f.risks.setdefault(m.interview_id, []).append((m.risk, m.currency or "USD", m.id))
        if m.text is not None:
            _said(f, m)

    for iv, said in wtp_by_interview.items():
        wtp = interview_wtp(said, team_size=team_size.get(iv))
        for p in per_interview.get(iv, no_pains):
            f = facts[p.theme]
            f.wtp.append(wtp)
            for m in said:
                f.cells[WTP].add(m)
    return Facts(themes=facts, unthemed_pains=unthemed, unattributed_figures=unattributed)


def _said(f: ThemeFacts, m: MentionRow) -> None:
    """A consequence said in the risk answer (a risk quote without an amount, or a pain said there)."""
    text = m.text or ""
    key = consequence_key(text)
    seen = f.consequences.get(key)
    f.consequences[key] = (text, m.id, 1) if seen is None else (min(seen[0], text), min(seen[1], m.id), seen[2] + 1)
