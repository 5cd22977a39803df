"""The playbook's decisions: when to stop interviewing, what to charge, which segment to pick.

Small named rules over plain values (no database, no Django): `insights.decision_selectors` reads
the segment and feeds them, and the pages, the JSON export and the PRD draft all show their result.

- Saturation: interviews in date order (undated ones last, in the order they were logged); each
  adds the pain themes (matrix rows) no earlier interview had. Reached when the last `window`
  interviews (default 3) added none and some theme was found at all.
- Interview mix: a group is missing when its target share is above zero and nobody of it was
  interviewed; it dominates when its share is `DOMINANCE_MARGIN` points or more above its target.
- WTP: each interviewee's first stated figure, per month (year / 12, per user x team size, x 1 when
  the team size is unknown), the midpoint of a range, as the matrix's WTP column; one-off amounts
  and refusals counted apart; quartiles by linear interpolation (`statistics.quantiles`, inclusive).
- Price tiers: the lower quartile (entry) and the median (standard); the interviewees below the
  median back the entry tier, the others the standard one; a tier's seats are the largest team
  among its backers (never fewer than the tier below). None below `MIN_PRICE_EVIDENCE` prices.
- Opportunity: companies in the segment x median monthly WTP x 12.
- Must-have: from how often the top pain recurs (daily, weekly, monthly, ...) in what interviewees said.
"""

import re
import statistics
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

SATURATION_WINDOW = 3
DOMINANCE_MARGIN = 20  # percentage points above the target share
MIN_PRICE_EVIDENCE = 5
# Team-size bands for the WTP breakdown: (label, largest team in the band); the last has no limit.
TEAM_SIZE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("1-5", 5),
    ("6-10", 10),
    ("11-25", 25),
    ("26-50", 50),
    ("51+", None),
)
UNKNOWN_BAND = "unknown"
RECURRENCES = ("daily", "weekly", "monthly", "quarterly", "yearly")
MUST_HAVE_RECURRENCES = ("daily", "weekly")


# When to stop interviewing ------------------------------------------------------------------------


def new_themes_per_interview(theme_sets: Iterable[Iterable[Hashable]]) -> list[int]:
    """How many themes each interview (in the order given) adds that no earlier one had."""
    seen: set[Hashable] = set()
    added = []
    for themes in theme_sets:
        fresh = set(themes) - seen
        added.append(len(fresh))
        seen |= fresh
    return added


def cumulative(values: Iterable[int]) -> list[int]:
    total, out = 0, []
    for value in values:
        total += value
        out.append(total)
    return out


def saturation_reached(new_per_interview: Sequence[int], *, window: int = SATURATION_WINDOW) -> bool:
    """The last `window` interviews added no new theme, and the interviews found some theme at all."""
    if window < 1 or len(new_per_interview) < window or not sum(new_per_interview):
        return False
    return not any(new_per_interview[-window:])


@dataclass(frozen=True, slots=True)
class Saturation:
    interviews: list[str]  # display ids, in date order
    new_themes_per_interview: list[int]
    window: int = SATURATION_WINDOW
    not_analysed: int = 0  # interviews whose extraction is not done: not in the curve yet

    @property
    def cumulative(self) -> list[int]:
        return cumulative(self.new_themes_per_interview)

    @property
    def reached(self) -> bool:
        return saturation_reached(self.new_themes_per_interview, window=self.window)

    @property
    def themes(self) -> int:
        return sum(self.new_themes_per_interview)

    @property
    def label(self) -> str:
        n = len(self.interviews)
        if self.reached:
            return (
                f"Saturation reached: the last {self.window} interviews added no new pain theme "
                f"({self.themes} themes from {n} interviews)."
            )
        if not self.themes:
            return "No pain themes yet: saturation is measured once interviews are analysed."
        last = self.new_themes_per_interview[-self.window :]
        said = ", ".join(str(v) for v in last)
        return (
            f"Not saturated yet: the last {len(last)} interview{'s' if len(last) != 1 else ''} added {said} "
            f"new pain theme{'s' if sum(last) != 1 else ''}; saturation is {self.window} in a row adding none."
        )


@dataclass(frozen=True, slots=True)
class MixGroup:
    usage: str
    label: str
    count: int
    share_pct: int
    target_pct: int
    warning: str = ""


def share_pct(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def mix_warning(*, label: str, count: int, total: int, target_pct: int, margin: int = DOMINANCE_MARGIN) -> str:
    """Why a group of interviewees is off its target: missing, or dominating the interviews; else ''."""
    if not total:
        return ""
    if count == 0 and target_pct > 0:
        return f"No one who {label.lower()} interviewed yet (target {target_pct}%)."
    share = share_pct(count, total)
    if share - target_pct >= margin:
        return (
            f"Those who {label.lower()} dominate: {share}% of interviews against a target of {target_pct}%; "
            "their pains may crowd out the others'."
        )
    return ""


def interview_mix(*, groups: Sequence[tuple[str, str, int, int]], margin: int = DOMINANCE_MARGIN) -> list[MixGroup]:
    """groups: (usage, label, interviews, target %) for each interviewee type."""
    total = sum(count for _u, _l, count, _t in groups)
    return [
        MixGroup(
            usage=usage,
            label=label,
            count=count,
            share_pct=share_pct(count, total),
            target_pct=target,
            warning=mix_warning(label=label, count=count, total=total, target_pct=target, margin=margin),
        )
        for usage, label, count, target in groups
    ]


Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class Aligned(Generic[Row]):
    name: str
    cells: list[Row | None]  # one per table, None where that table lacks the theme


def align_by_name(tables: Sequence[Sequence[Row]], *, name_of: Callable[[Row], str]) -> list[Aligned[Row]]:
    """Rows of several tables side by side, matched by theme name (case and spaces ignored).

    Order: each table's rows in its own order, interleaved by rank, so every table's top rows come
    first; a theme keeps the first place it appears at.
    """
    keys: list[str] = []
    names: dict[str, str] = {}
    found: dict[str, list[Row | None]] = {}
    longest = max((len(t) for t in tables), default=0)
    for rank in range(longest):
        for i, table in enumerate(tables):
            if rank >= len(table):
                continue
            row = table[rank]
            key = " ".join(name_of(row).split()).casefold()
            if key not in found:
                keys.append(key)
                names[key] = name_of(row)
                found[key] = [None] * len(tables)
            if found[key][i] is None:
                found[key][i] = row
    return [Aligned(names[k], found[k]) for k in keys]


# What to charge ----------------------------------------------------------------------------------


def monthly_wtp(*, low: float, high: float | None, period: str, team_size: int | None) -> float | None:
    """A stated WTP per month, the midpoint of a range; None for a one-off amount.

    Same normalisation as the matrix's WTP column: per year / 12, per user x team size (x 1 when
    the team size is unknown), per month as said.
    """
    high = low if high is None else high
    mid = (low + high) / 2
    if period == "once":
        return None
    if period == "year":
        return mid / 12
    if period == "user_month":
        return mid * (team_size or 1)
    return mid


def team_size_band(size: int | None) -> str:
    if size is None:
        return UNKNOWN_BAND
    for label, upper in TEAM_SIZE_BANDS:
        if upper is None or size <= upper:
            return label
    return TEAM_SIZE_BANDS[-1][0]


@dataclass(frozen=True, slots=True)
class Spread:
    n: int
    min: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    max: float | None = None


def spread(values: Sequence[float]) -> Spread:
    """Min, quartiles (linear interpolation, inclusive) and max; one value is all five."""
    if not values:
        return Spread(0)
    ordered = sorted(values)
    if len(ordered) == 1:
        v = ordered[0]
        return Spread(1, v, v, v, v, v)
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(len(ordered), ordered[0], round(q1, 2), round(median, 2), round(q3, 2), ordered[-1])


def median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


@dataclass(frozen=True, slots=True)
class PricePoint:
    """One interviewee's stated monthly price (`interview`: its display id)."""

    interview: str
    monthly: float
    currency: str
    team_size: int | None = None
    quote: str = ""


@dataclass(frozen=True, slots=True)
class PriceTier:
    basis: str  # which statistic set the price: "lower quartile", "median"
    name: str  # "Entry", "Standard"
    price_per_month: float
    currency: str
    seats_up_to: int | None
    evidence: tuple[PricePoint, ...]

    @property
    def evidence_count(self) -> int:
        return len(self.evidence)

    def as_contract(self) -> dict[str, object]:
        return {
            "price_per_month": self.price_per_month,
            "currency": self.currency,
            "seats_up_to": self.seats_up_to,
            "evidence_count": self.evidence_count,
        }


@dataclass(frozen=True, slots=True)
class PriceTiers:
    tiers: list[PriceTier]
    warning: str = ""
    other_currencies: dict[str, int] = field(default_factory=dict)  # currency -> statements left out


def too_few_prices_warning(stated: int, *, minimum: int = MIN_PRICE_EVIDENCE) -> str:
    if stated >= minimum:
        return ""
    return (
        f"Only {stated} interviewee{'s' if stated != 1 else ''} stated a monthly price; tiers need at least "
        f"{minimum}. Ask the pricing question in the next interviews."
    )


def main_currency(points: Iterable[PricePoint]) -> str:
    """The currency most interviewees stated a price in (ties: alphabetical); USD when none."""
    counts = Counter(p.currency for p in points)
    if not counts:
        return "USD"
    return min(counts, key=lambda c: (-counts[c], c))


def price_tiers(points: Sequence[PricePoint], *, minimum: int = MIN_PRICE_EVIDENCE) -> PriceTiers:
    """Suggested tiers from the stated monthly prices of one currency (the most common one).

    Prices: the lower quartile (entry) and the median (standard), in whole currency units; one
    tier when they are equal. The interviewees who stated less than the median are the entry
    tier's evidence, the others the standard tier's. A tier's seats: the largest known team size
    among its evidence, never fewer than the tier below (None when none gave a team size).
    """
    currency = main_currency(points)
    mine = [p for p in points if p.currency == currency]
    others = dict(Counter(p.currency for p in points if p.currency != currency))
    warning = too_few_prices_warning(len(mine), minimum=minimum)
    if warning:
        return PriceTiers([], warning, other_currencies=others)
    s = spread([p.monthly for p in mine])
    assert s.q1 is not None and s.median is not None
    entry, standard = round(s.q1), round(s.median)
    groups: list[tuple[str, str, float, list[PricePoint]]]
    if entry == standard:
        groups = [("Standard", "median", standard, mine)]
    else:
        groups = [
            ("Entry", "lower quartile", entry, [p for p in mine if p.monthly < s.median]),
            ("Standard", "median", standard, [p for p in mine if p.monthly >= s.median]),
        ]
    tiers: list[PriceTier] = []
    floor: int | None = None
    for name, basis, price, backers in groups:
        sizes = [p.team_size for p in backers if p.team_size is not None]
        seats = max(sizes) if sizes else None
        if floor is not None:
            seats = max(seats or 0, floor)
        floor = seats
        evidence = tuple(sorted(backers, key=lambda p: (p.monthly, p.interview)))
        tiers.append(PriceTier(basis, name, float(price), currency, seats, evidence))
    note = ""
    if others:
        note = "Prices stated in " + ", ".join(f"{c} ({n})" for c, n in sorted(others.items())) + " are left out."
    return PriceTiers(tiers, note, others)


# Which segment to pick ----------------------------------------------------------------------------


def opportunity_per_year(*, companies: int | None, median_wtp_month: float | None) -> float | None:
    """Companies in the segment x median monthly WTP x 12; None without either."""
    if not companies or median_wtp_month is None:
        return None
    return round(companies * median_wtp_month * 12, 2)


def yearly_impact(*, hours_per_week: float, hourly_cost: float, weeks_per_year: int) -> float:
    return round(hours_per_week * hourly_cost * weeks_per_year, 2)


_RECURRENCE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "daily",
            r"\b(daily|every (single )?(day|morning|evening|night)|each (day|morning)|(a|per) day|all day|"
            r"day in,? day out|every ?day)\b",
        ),
        (
            "weekly",
            r"\b(weekly|every (single )?(week|monday|tuesday|wednesday|thursday|friday)|each week|"
            r"(a|per) week|every other week|on mondays|on fridays)\b",
        ),
        ("monthly", r"\b(monthly|every (single )?month|each month|(a|per) month|month[- ]end|end of (the )?month)\b"),
        ("quarterly", r"\b(quarterly|every quarter|each quarter|(a|per) quarter|quarter[- ]end)\b"),
        ("yearly", r"\b(yearly|annually|every year|each year|once a year|(a|per) year|year[- ]end)\b"),
    )
)


def recurrence_of(text: str) -> str | None:
    """How often a sentence says something happens: the most frequent wording wins ("daily" before "weekly")."""
    for name, pattern in _RECURRENCE_PATTERNS:
        if pattern.search(text):
            return name
    return None


@dataclass(frozen=True, slots=True)
class MustHave:
    suggestion: str  # "must-have", "nice-to-have" or "" when nobody said how often
    recurrences: dict[str, int]  # recurrence -> interviews
    reason: str


def must_have_suggestion(per_interview: Sequence[str | None], *, pain: str = "the top pain") -> MustHave:
    """Must-have when at least half of the interviewees who said how often the pain comes back said
    daily or weekly; nice-to-have when it comes back monthly or less often for most."""
    said = [r for r in per_interview if r]
    counts = {r: said.count(r) for r in RECURRENCES if r in said}
    if not said:
        return MustHave("", counts, f"No interviewee said how often {pain} comes back.")
    often = sum(counts.get(r, 0) for r in MUST_HAVE_RECURRENCES)
    spelled = ", ".join(f"{r} {n}" for r, n in counts.items())
    of = f"{often} of {len(said)} interviewees who said how often"
    if 2 * often >= len(said):
        return MustHave("must-have", counts, f"{pain} comes back daily or weekly for {of} ({spelled}).")
    return MustHave("nice-to-have", counts, f"{pain} comes back daily or weekly for only {of} ({spelled}).")
