"""Pure-regex parsing of the figures interviews state: hours per week, willingness to pay, risk amounts.

No spaCy here: these run on raw text spans, so they are cheap and unit-testable. Every figure keeps
its character offsets so the extractor can quote it. Regexes are compiled once at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- number words -----------------------------------------------------------------------------

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Vague quantities people use for figures; "a couple hundred" is 200 per the guidelines.
_VAGUE = {
    "few": 3,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "couple": 2,
    "a few": 3,
    "a dozen": 12,
    "dozen": 12,
    "several": 3,
    "half a": 0.5,
    "half an": 0.5,
    "an": 1,
    "a": 1,
    "one and a half": 1.5,
    "an hour and a half": 1.5,
}

_WORDNUM = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"  # noqa: E501
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
# "four-ish", "four-odd", "5ish": an approximate figure is still the figure.
_APPROX = r"(?:-?ish\b|-odd\b)?"
_NUM = rf"(?:(?:{_DIGITS}|(?:{_WORDNUM})(?:\s+and\s+a\s+half)?){_APPROX})"
_RANGE_SEP = r"\s*(?:-|–|—|to|or)\s*"  # noqa: RUF001


def word_to_number(text: str) -> float | None:
    """'3' -> 3, '1,500' -> 1500, 'twenty-five' -> 25, 'a couple' -> 2; None if not a number."""
    t = re.sub(r"\s+", " ", text.strip().lower().replace("~", ""))
    t = re.sub(r"(?<=\w)(?:-?ish|-odd)$", "", t)
    if t == "another":
        return 1.0
    t = re.sub(r"^another ", "", t)
    if not t:
        return None
    half = 0.0
    if t.endswith(" and a half"):
        half, t = 0.5, t[: -len(" and a half")]
    t = t.replace(",", "")
    try:
        return float(t) + half
    except ValueError:
        pass
    if t in _VAGUE:
        return _VAGUE[t] + half
    parts = re.split(r"[- ]", t)
    total = 0.0
    for p in parts:
        if p not in _UNITS:
            return None
        total += _UNITS[p]
    return total + half


# --- hours ------------------------------------------------------------------------------------

HOURS_PER_DAY_UNIT = 8.0  # "a full day" of work
DAY_FACTOR, WEEK_FACTOR, MONTH_FACTOR, YEAR_FACTOR = 5.0, 1.0, 0.25, 1 / 52

_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)s?"
_HOUR_UNIT = r"(?P<unit>hours?|hrs?|h|minutes?|mins?|m)(?![a-z])"
_LEAD = r"(?P<lead>(?:another\s+)?(?:a\s+couple\s+of|couple\s+of|a\s+couple|a\s+few|few|an|a|half\s+an|one\s+and\s+a\s+half)\s+|another\s+)"  # noqa: E501

# "3 hrs", "1-2 hours", "between five and seven hours", "an hour", "a couple of hours", "2-3h".
HOURS_RE = re.compile(
    rf"(?<![\w$€£.,:])(?:between\s+(?P<b1>{_NUM})\s+and\s+(?P<b2>{_NUM})\s*|(?P<n1>{_NUM})(?:{_RANGE_SEP}(?P<n2>{_NUM}))?\s*(?:\+\s*)?|{_LEAD}"
    # "hour and a half" with its article dropped, as captions and notes do.
    r"|(?P<bare>)(?=hours?\s+and\s+a\s+half\b))"
    rf"(?:full\s+|more\s+|extra\s+|solid\s+)?{_HOUR_UNIT}(?P<and_half>\s+and\s+a\s+half\b)?",
    re.IGNORECASE,
)
# "half a day a week", "one whole day every month", "two days a month": days as a quantity of work.
DAYS_RE = re.compile(
    rf"(?<![\w$€£.,:])(?P<q>half\s+a|a\s+full|another(?:\s+full)?|a|one|two|three|four|{_DIGITS})\s+(?:full\s+)?(?P<unit>days?)\s+"
    rf"(?P<per>(?:a|per|each|every)\s+(?:week|month|year)|weekly|monthly|(?:on|every|each)\s+(?:a\s+)?{_WEEKDAY}\b)",
    re.IGNORECASE,
)
# Period right after a figure ("a day", "/wk", "every morning", "on Friday", "of every day").
_PERIOD_AFTER = re.compile(
    rf"^[\s,]*(?:(?:of\s+)?(?:\w+'s\s+)?)?(?:(?:a|an|per|each|every|/|of\s+every|of\s+each|of\s+the|of\s+(?:my|our|his|her|their|your)|in\s+a|on|on\s+a|every\s+single)\s*)"
    rf"(?P<p>day|workday|weekday|morning|afternoon|evening|night|week|wk|w|month|mo|year|yr|quarter|{_WEEKDAY})\b"
    r"|^[\s,]*(?P<adv>daily|weekly|monthly|yearly|annually|nightly)\b",
    re.IGNORECASE,
)
# Period anywhere else in the same sentence ("I look at the tills daily, perhaps 15 minutes").
_PERIOD_ANY = re.compile(
    rf"\b(?:(?:every|each|per|a)\s+(?P<p>day|workday|morning|afternoon|evening|week|month|{_WEEKDAY})|(?P<adv>daily|weekly|monthly)"
    r"|(?:some|most|other|many|busy|quiet|good|bad)\s+(?P<ps>day|week|month)s"
    # A part of every period: "the first week of the month is gone, that's 20 hours".
    r"|(?:of|in)\s+(?:the|every|each)\s+(?P<po>week|month|year))\b",
    re.IGNORECASE,
)
# A figure said as a frequency or delay rather than time spent: "every 15 minutes", "an hour before".
_NOT_SPENT_BEFORE = re.compile(
    r"(?:\bevery|\beach|\bwithin|\bin|\bafter|\bfor\s+the\s+first|\bup\s+to|\bby|\bat)\s*$", re.I
)
_NOT_SPENT_AFTER = re.compile(
    r"^\s*(?:before|after|ago|later|early|late|behind|away|out|to\s+(?:show|load|sync|update|respond|reply|come)|for\s+(?:a|the)\s+(?:response|reply))\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:used\s+to|was\s+(?:taking|costing)|before\s+we|back\s+when|previously|in\s+the\s+past)\b", re.I
)
# Bare figures in a time answer that inherit the previous figure's unit: "another 2 or 3", "1-2 on X".
_BARE_RE = re.compile(
    rf"(?:(?P<another>\b(?:another|plus|and)\s+(?:maybe\s+|about\s+|around\s+)?)(?P<n1>{_NUM})(?:{_RANGE_SEP}(?P<n2>{_NUM}))?(?![\w%$€£]|[.:]\d)"
    rf"|(?<![\w$€£.,:])(?P<m1>{_NUM})(?:{_RANGE_SEP}(?P<m2>{_NUM}))?(?=\s+(?:on|for)\s+[a-z]))",
    re.IGNORECASE,
)
_BETWEEN_BARE = re.compile(
    rf"(?:between\s+(?P<b1>{_NUM})\s+and\s+(?P<b2>{_NUM})|^\W*(?:maybe\s+|about\s+|around\s+|probably\s+|roughly\s+)?(?P<n1>{_NUM})(?:{_RANGE_SEP}(?P<n2>{_NUM}))?)(?![\w%$€£]|[.:]\d)",
    re.I,
)


# A number that counts or labels something ("a crew of 4, 6 hours a day", "step 3, 5 hours") is no
# range's lower end.
_COUNTED_BEFORE = re.compile(r"\b(?:of|step|number|no\.?|#|item|line|page|version)\s*$", re.I)
# The lower end of a range said with a comma, just before a figure: "6, 7 hours".
_COMMA_RANGE_LOW = re.compile(rf"(?<![\w$€£.,:])(?P<n>{_NUM}),\s+$", re.I)
# "an hour or two", "a couple of hours or three": the second figure after a unit word makes a range.
_LEAD_RANGE = re.compile(rf"\s*(?:or|to|-|–)\s*(?P<n>{_NUM})(?![\w%$€£])", re.I)  # noqa: RUF001
# A peak or an occasion rather than a regular load: "twelve hours at quarter end", "six in exam season".
_PEAK_AFTER = re.compile(
    r"^[\s,]*(?:at|in|around|during|near|over|for)\s+(?:the\s+|a\s+)?"
    r"(?:(?P<occ>quarter|month|year)[- ]end|end\s+of\s+(?:the\s+)?(?P<occ2>quarter|month|year)"
    r"|(?:\w+\s+){0,2}(?:season|peak|crunch|rush|spring|summer|autumn|winter|holidays)|busy\s+(?:weeks?|months?|periods?|times?|season))\b",
    re.I,
)
# A figure that restates the one just before it in other units: "an hour a day, so five a week",
# "two hundred a month? So around 2,400 a year". Only fillers may sit between the cue and the figure.
_RESTATE_GAP = re.compile(
    r"^(?:\s*(?:a|an|per|each|every|/)\s*(?:day|workday|week|wk|month|mo|year|yr|morning|evening)\b)?"
    r"(?:,[^,.?!;]{1,30}(?=,))?"  # a short aside: "twenty minutes a day, every day we're open, so ..."
    r"[\s,;:.?!()–—-]*(?:so|that's|that\s+is|which\s+is|i\.?e\.?|meaning|in\s+other\s+words)"  # noqa: RUF001
    r"(?:[\s,]+(?:what|like|about|around|roughly|maybe|basically|approximately|call\s+it|um|uh|that's|is|it's))*[\s,~]*$",
    re.I,
)
# A bare figure that completes a short time clause in a time answer: "The investor thing is maybe two.",
# "Board update, call it two.", "Reconciliation, two or so on top", "the deck is around five a week".
_BARE_TAIL_RE = re.compile(
    rf"(?<![\w$€£.,:/-])(?P<n1>{_NUM})(?:{_RANGE_SEP}(?P<n2>{_NUM}))?"
    r"(?:\s+or\s+so|\s+on\s+top(?:\s+of\s+(?:that|it|this))?|\s+tops|\s+max)*"
    r"(?:\s*(?:a|an|per|each|every|/)\s*(?P<p>day|workday|week|wk|month|mo)\b|(?=\s*(?:[.,;!?)]|$)))",
    re.I,
)


# A second figure offered as an alternative to the one just said: "three hours a week, maybe four",
# "two hours, or three". One figure said as a range: the midpoint, not a sum.
_ALTERNATIVE_GAP = re.compile(
    r"^(?:\s*(?:a|an|per|each|every|/)\s*(?:day|workday|week|wk|month|mo)\b)?"
    r"[\s,;]*(?:or|maybe|perhaps|possibly|or\s+maybe|or\s+perhaps|could\s+be|might\s+be|more\s+like)\s+$",
    re.I,
)


# A figure corrected upwards straight away, with nothing but a comma between: "an hour, an hour and a half".
_CORRECTION_GAP = re.compile(r"^[\s,]*$")


def _widen(lists: tuple[list[HoursFigure], ...], fig: HoursFigure, text: str) -> bool:
    """Whether `fig` is an alternative to the figure just before it (in any of `lists`); that figure
    is then replaced, in its list, by their midpoint."""
    prev = max((f for lst in lists for f in lst if f.end <= fig.start), key=lambda f: f.end, default=None)
    if prev is None or fig.start - prev.end > 40:
        return False
    gap = text[prev.end : fig.start]
    if not _ALTERNATIVE_GAP.match(gap) and not (
        _CORRECTION_GAP.match(gap) and fig.hours_per_week > prev.hours_per_week
    ):
        return False
    if not (prev.hours_per_week / 4 <= fig.hours_per_week <= prev.hours_per_week * 4):
        return False  # "two hours, or twenty minutes a day": a different figure, not an alternative
    low = min(prev.low if prev.low is not None else prev.hours_per_week, fig.hours_per_week)
    high = max(prev.high if prev.high is not None else prev.hours_per_week, fig.hours_per_week)
    mid = HoursFigure(prev.start, fig.end, round((low + high) / 2, 4), low, high)
    for lst in lists:
        if prev in lst:
            lst[lst.index(prev)] = mid
    return True


def is_restatement(text: str, prev_end: int, start: int) -> bool:
    """Whether a figure at `start` only restates the figure ending at `prev_end` ("..., so about 2,400 a year")."""
    return 0 <= prev_end <= start and start - prev_end <= 60 and bool(_RESTATE_GAP.match(text[prev_end:start]))


def _attached_period(text: str, lo: int, at: int) -> bool:
    """A period word right after another figure ("three a week") belongs to that figure, not to the sentence."""
    return bool(re.search(rf"(?:{_NUM}|hours?|hrs?|h|minutes?|mins?|days?)\s*$", text[lo:at], re.I))


@dataclass(frozen=True)
class HoursFigure:
    start: int
    end: int
    hours_per_week: float
    # A figure said as alternatives ("ten, or twelve, or fifteen"): the range it spans, midpoint above.
    low: float | None = None
    high: float | None = None


def _period_factor(word: str | None) -> float | None:
    if not word:
        return None
    w = word.lower().rstrip("s") if len(word) > 3 else word.lower()
    if w in ("day", "workday", "weekday", "morning", "afternoon", "evening", "night", "daily", "nightly"):
        return DAY_FACTOR
    if w in ("week", "wk", "w", "weekly") or re.fullmatch(_WEEKDAY, word.lower()):
        return WEEK_FACTOR
    if w in ("month", "mo", "monthly"):
        return MONTH_FACTOR
    if w in ("year", "yr", "yearly", "annually"):
        return YEAR_FACTOR
    if w == "quarter":
        return 1 / 13
    return None


def _said_period_factor(m: re.Match[str]) -> float | None:
    """The factor of a _PERIOD_ANY match, whichever of its ways the period was said in."""
    return _period_factor(m.group("p") or m.group("adv") or m.group("ps") or m.group("po"))


def _unit_hours(unit: str) -> float:
    u = unit.lower()
    return 1 / 60 if u.startswith("m") else 1.0


def _midpoint(a: str | None, b: str | None) -> float | None:
    x = word_to_number(a) if a else None
    if x is None:
        return None
    y = word_to_number(b) if b else None
    return (x + y) / 2 if y is not None else x


# Unpunctuated captions make one "sentence" of a whole transcript: what is said about a figure is
# within a few hundred characters of it, and a bounded search keeps long texts linear.
SENTENCE_REACH = 400


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo, hi = max(0, start - SENTENCE_REACH), min(len(text), end + SENTENCE_REACH)
    left = max(
        text.rfind(".", lo, start), text.rfind("?", lo, start), text.rfind("!", lo, start), text.rfind("\n", lo, start)
    )
    if left == -1:
        left = lo - 1
    right_candidates = [
        i
        for i in (
            text.find(". ", end, hi),
            text.find("? ", end, hi),
            text.find("\n", end, hi),
            text.find("! ", end, hi),
        )
        if i != -1
    ]
    right = min(right_candidates) if right_candidates else hi
    return left + 1, right


def _is_past(text: str, s0: int, start: int) -> bool:
    """A past figure ("it once took a whole day every month"), judged within the figure's own clause:
    "used to be X, now it's Y" keeps Y."""
    clause_start = max(s0, text.rfind(",", s0, start) + 1, text.rfind(";", s0, start) + 1)
    return bool(_PAST.search(text[clause_start:start]))


def parse_hours(text: str, *, time_section: bool = False, hint_hours: bool = False) -> list[HoursFigure]:
    """Figures of time spent, each normalised to hours per week.

    time_section: the text answers "how much time?"; a figure without a period then means per week
    (the script question's unit) and bare follow-ups ("another 2 or 3") inherit the previous unit.
    Outside a time section only figures with an explicit period count, because "takes 20 minutes"
    or "every 15 minutes" elsewhere is a duration or a frequency, not a weekly cost.
    hint_hours: the question asked for hours; a lone bare number answer ("between five and seven") is hours.
    """
    out: list[HoursFigure] = []
    taken: list[tuple[int, int]] = []
    last_factor: float | None = None
    last_unit = 1.0
    for m in DAYS_RE.finditer(text):
        q = m.group("q").lower()
        days = 0.5 if q.startswith("half") else (1.0 if q.split()[0] in ("a", "another") else word_to_number(q))
        factor = _period_factor(m.group("per").split()[-1])
        s0, _ = _sentence_bounds(text, m.start(), m.end())
        if days is None or factor is None or _is_past(text, s0, m.start()):
            taken.append((m.start(), m.end()))
            continue
        out.append(HoursFigure(m.start(), m.end(), round(days * HOURS_PER_DAY_UNIT * factor, 4)))
        taken.append((m.start(), m.end()))
    for m in HOURS_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        unit = m.group("unit")
        if unit.lower() in ("m", "h") and re.match(r"\d", text[m.end() : m.end() + 1] or " "):
            continue  # "2h30" or model numbers
        if unit.lower() == "m" and not re.match(r"\s*/|\s+(?:a|per|every)\b", text[m.end() : m.end() + 8], re.I):
            continue  # "3m" is usually millions, count minutes only as "15m/day"
        if m.group("lead"):
            qty = word_to_number(m.group("lead"))
        elif m.group("bare") is not None:
            qty = 1.0
        elif m.group("b1"):
            qty = _midpoint(m.group("b1"), m.group("b2"))
        else:
            qty = _midpoint(m.group("n1"), m.group("n2"))
        if qty is None:
            continue
        if m.group("and_half"):
            qty += 0.5  # "an hour and a half", "two hours and a half"
        start, end = m.start(), m.end()
        if m.group("n1") and not m.group("n2"):
            # "6, 7 hours a week", "two, two and a half hours a day": a range said with a comma.
            lo = _COMMA_RANGE_LOW.search(text, max(0, start - 30), start)
            low = word_to_number(lo.group("n")) if lo else None
            counted = lo is not None and _COUNTED_BEFORE.search(text, max(0, lo.start() - 20), lo.start())
            if lo is not None and low is not None and low < qty <= low * 2 and not counted:
                qty, start = (low + qty) / 2, lo.start()
        if m.group("lead"):
            lr = _LEAD_RANGE.match(text, end)
            top = word_to_number(lr.group("n")) if lr else None
            if lr is not None and top is not None and qty < top <= qty * 4:
                qty, end = (qty + top) / 2, lr.end()
        before = text[max(0, start - 20) : start]
        after = text[end : end + 40]
        if _NOT_SPENT_BEFORE.search(before) or _NOT_SPENT_AFTER.search(after):
            continue
        s0, s1 = _sentence_bounds(text, start, m.end())
        if _is_past(text, s0, start) or _PER_PERSON.match(text[s0:start]):
            taken.append((start, end))
            continue
        peak = _PEAK_AFTER.match(after)
        if peak:
            # A peak next to a regular figure restates it; alone, a month/quarter/year end is its period.
            occ = peak.group("occ") or peak.group("occ2")
            occ_factor = _period_factor(occ)
            if occ_factor is None or re.search(_NUM, text[s0:start], re.I):
                taken.append((start, end))
                continue
            out.append(HoursFigure(start, end, round(qty * _unit_hours(unit) * occ_factor, 4)))
            taken.append((start, end))
            continue
        pm = _PERIOD_AFTER.match(after)
        if pm is None and _PER_ITEM.match(text[s0:start]):
            taken.append((start, end))
            continue
        factor = _period_factor(pm.group("p") or pm.group("adv")) if pm else None
        if factor is None:
            # A period elsewhere in the sentence: "daily, maybe 20 minutes", "every morning".
            for pa in _PERIOD_ANY.finditer(text[s0:s1]):
                if _attached_period(text, s0, s0 + pa.start()):
                    continue  # "three a week, but twelve hours at quarter end": that week is the three's
                if s0 + pa.start() < start or s0 + pa.start() >= end:
                    factor = _said_period_factor(pa)
                    if factor is not None:
                        break
        if factor is None and s0 > 1:
            # An elliptical period said just before: "I type them in by hand. Every Monday. It takes five hours."
            p0, _ = _sentence_bounds(text, s0 - 2, s0 - 1)
            prev = text[p0 : s0 - 1]
            prev_period = _PERIOD_ANY.search(prev)
            if prev_period and len(prev.split()) <= 4:
                factor = _said_period_factor(prev_period)
        if factor is None:
            if not time_section:
                continue
            factor = WEEK_FACTOR
        alt = _ALTERNATIVE.match(text, end, s1) if pa_some(text, s0, s1) else None
        other = word_to_number(alt.group("n")) if alt else None
        if alt and other is not None:
            qty = (qty + other) / 2
            taken.append((alt.start("n"), alt.end("n")))
        hours = qty * _unit_hours(unit) * factor
        taken.append((start, end))
        fig = HoursFigure(start, end, round(hours, 4))
        if not _restated(out, fig, text, factor == WEEK_FACTOR) and not _widen((out,), fig, text):
            out.append(fig)
        last_factor, last_unit = factor, _unit_hours(unit)
    if time_section:
        out.extend(_bare_followups(text, out, taken, last_factor, last_unit))
        bare = _BETWEEN_BARE.search(text) if not out and hint_hours else None
        if bare:
            qty = (
                _midpoint(bare.group("b1"), bare.group("b2"))
                if bare.group("b1")
                else _midpoint(bare.group("n1"), bare.group("n2"))
            )
            if qty is not None and 0 < qty <= 80:
                out.append(HoursFigure(bare.start(), bare.end(), round(qty, 4)))
    out.sort(key=lambda f: f.start)
    return out


_TOTAL_CUE = re.compile(r"^\W*(?:so|that's|that\s+is|which\s+is|total|in\s+total|all\s+in|altogether)\b", re.I)


def _clause_start(text: str, at: int) -> int:
    return max(text.rfind(c, 0, at) for c in ".?!;,\n") + 1


# A per-person rate is not the interviewee's own time: "Per CSM, prep is three hours a week".
_PER_PERSON = re.compile(
    rf"^\W*(?:per|for\s+each|for\s+every|each)\s+"
    rf"(?!(?:day|workday|week|month|year|morning|afternoon|evening|night|quarter|shift|{_WEEKDAY})s?\b)[a-z]",
    re.I,
)
# A figure said of some of the items, without a period, is how long one takes: "Some are ten minutes",
# "The easy ones take an hour", "Each one is twenty minutes".
_PER_ITEM = re.compile(
    r"^\W*(?:(?:some|most|many|a\s+few)(?:\s+of\s+(?:them|those|these))?|the\s+(?:\w+\s+)?ones|(?:each|every)\s+one"
    r"|an?\s+(?:easy|simple|quick|clean|messy|hard|bad|tricky|normal|typical|straightforward|complicated)\s+one)"
    r"\s+(?:are|is|take|takes|run|runs|last|lasts)\b[^,.;:!?]*$",
    re.I,
)
# "Some weeks eight hours, some weeks three": two alternatives of one figure make a range.
_ALTERNATIVE = re.compile(
    rf"[^.?!]{{0,60}}?\b(?:some|other)\s+(?:weeks|days|months)\s*,?\s*(?:\w+\s+){{0,2}}?(?P<n>{_NUM})(?![\w%$€£:])",
    re.I,
)


def pa_some(text: str, s0: int, s1: int) -> bool:
    return bool(re.search(r"\b(?:some|other)\s+(?:weeks|days|months)\b", text[s0:s1], re.I))


def _restated(found: list[HoursFigure], fig: HoursFigure, text: str, weekly: bool) -> bool:
    """Whether `fig` restates the figure just before it ("an hour a day, so five a week"). The
    interviewee's own weekly conversion then replaces the figure it restates (in `found`); a
    restatement into another unit is dropped. True when `fig` must not be added."""
    prev = max((f for f in found if f.end <= fig.start), key=lambda f: f.end, default=None)
    if prev is None or not is_restatement(text, prev.end, fig.start):
        return False
    if weekly:
        found[found.index(prev)] = fig
    return True


def _prev_end(found: list[HoursFigure], start: int) -> int:
    return max((f.end for f in found if f.end <= start), default=-1)


def _bare_followups(
    text: str, found: list[HoursFigure], taken: list[tuple[int, int]], factor: float | None, unit: float
) -> list[HoursFigure]:
    """Bare figures after the first timed one, in its unit: "another 2 or 3", "1-2 on X", "X is maybe two"."""
    if not found or factor is None:
        return []
    extra: list[HoursFigure] = []
    spans = list(taken)
    first = min(f.start for f in found)
    cands = [(m, False) for m in _BARE_RE.finditer(text)] + [(m, True) for m in _BARE_TAIL_RE.finditer(text)]
    for m, tail in sorted(cands, key=lambda c: c[0].start()):
        if m.start() < first or any(a <= m.start() < b or a < m.end() <= b for a, b in spans):
            continue
        if tail and _NOT_SPENT_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
            continue  # "at 9.", "in 2."
        if tail and _TOTAL_CUE.search(text[_clause_start(text, m.start()) : m.start()]):
            continue  # "So five.", "that's six all in": a total of the figures already counted
        qty = _midpoint(m.group("n1"), m.group("n2")) if m.group("n1") else _midpoint(m.group("m1"), m.group("m2"))
        if qty is None or qty <= 0 or qty > 60:
            continue
        own = _period_factor(m.group("p")) if tail and m.group("p") else None
        spans.append((m.start(), m.end()))
        fig = HoursFigure(m.start(), m.end(), round(qty * (unit * factor if own is None else own), 4))
        if _restated(found, fig, text, (own if own is not None else factor) == WEEK_FACTOR):
            continue
        if _widen((found, extra), fig, text):
            continue
        extra.append(fig)
    return extra


def total_hours(figures: list[float]) -> float | None:
    """Sum of the distinct figures, as the guidelines and the export do."""
    distinct: list[float] = []
    for h in figures:
        if h not in distinct:
            distinct.append(h)
    return round(sum(distinct), 2) if distinct else None


# --- money ------------------------------------------------------------------------------------

_CUR_SYM = {"$": "USD", "€": "EUR", "£": "GBP"}
_CUR_WORD = {
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "usd": "USD",
    "buck": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "gbp": "GBP",
    "quid": "GBP",
}
_MULT = r"(?:k|K|m|M|bn|thousand|grand|million|hundred)"
# Amounts also come with European thousands: "1.500 €", "25 000 $" (groups of exactly three digits, so
# "2.99" stays a decimal).
_MONEY_DIGITS = rf"\d{{1,3}}(?:\.\d{{3}})+(?![.,]?\d)|\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?![\d.,])|{_DIGITS}"
_AMT = rf"(?:{_MONEY_DIGITS})(?:\s?{_MULT}\b|{_MULT}\b)?"
_VAGUE_AMT = r"(?:a\s+couple(?:\s+of)?|a\s+few|several|couple(?:\s+of)?|few|a)\s+(?:hundred|thousand|grand|k)"
_DIGIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TENS_WORD = rf"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-{_DIGIT_WORD})?"
# What follows "hundred" without an "and" ("a hundred fifty", "two hundred twenty-five"); never "one",
# which after a price is rather "one time" or a count.
_HUNDRED_REST = rf"{_TENS_WORD}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
# Word amounts: "a hundred and fifty", "a hundred fifty", "two hundred", "eight grand", "fifty" (bare unless a
# currency follows).
_HUNDREDS = rf"(?:(?:(?:{_WORDNUM})|a|one)\s+)?hundred(?:\s+and\s+(?:{_WORDNUM})|\s+(?:{_HUNDRED_REST})(?![\w-]))?\b"
_WORD_AMT = (
    # "eleven thousand four hundred", "two thousand five hundred and fifty"
    rf"(?:{_WORDNUM})\s+thousand(?:\s+(?:and\s+)?{_HUNDREDS}|\s+and\s+(?:{_WORDNUM})\b)"
    rf"|{_HUNDREDS}"
    # "three fifty a month", "two ninety-nine": hundreds said without the word, before a price's unit.
    rf"|{_DIGIT_WORD}\s+{_TENS_WORD}(?=\s+(?:a|an|per|each|every|bucks|dollars|euros|pounds|quid)\b|\s*/)"
    rf"|(?:{_WORDNUM})\s+(?:thousand|grand)\b|(?:{_WORDNUM})\b(?!-)"
)
_CUR_PRE = r"(?:[$€£]|(?:USD|EUR|GBP)\s?)"
_CUR_POST = r"(?:\s*(?:dollars?|bucks|usd|euros?|eur|pounds|gbp|quid)\b|\s?[$€£])"

MONEY_RE = re.compile(
    rf"(?<![\w.])(?:between\s+)?(?P<pre1>{_CUR_PRE})?(?P<a1>{_AMT}|{_WORD_AMT}|{_VAGUE_AMT}|(?:a|one)(?=\s+(?:dollar|buck|pound|euro|quid)\b))(?P<plus1>\+)?"
    rf"(?:(?:{_RANGE_SEP}|\s+and\s+)(?P<pre2>{_CUR_PRE})?(?P<a2>{_AMT}|{_WORD_AMT})(?P<plus2>\+)?)?"
    rf"(?P<post>{_CUR_POST})?",
    re.IGNORECASE,
)
_PERIOD_MONEY = re.compile(
    r"^\s*(?:(?:a|an|per|each|every|/|for\s+(?:a|each|every))\s*(?P<seat>seat|user|head|person|licen[cs]e|clinician|provider|"
    r"therapist|doctor|dentist|location|site|employee|member|agent|login|account|staff(?:\s+member)?"
    # Any other unit priced per period is a per-seat price too: "$30 per CSM per month", "£20/truck/month".
    r"|(?!(?:month|mo|year|yr|annum|week|wk|quarter|day)\b)[a-z][\w-]{1,20}(?=\s*(?:a|an|per|each|every|/)\s*(?:month|mo|year|yr|week|wk)\b))\b)?"
    r"(?:\s*(?:,|and)?\s*(?:a|an|per|each|every|/)\s*(?P<per>month|mo|year|yr|annum|week|wk|quarter)\b|\s*(?P<adv>monthly|annually|yearly|weekly))?"
    r"(?:\s*(?P<once>one[- ]time|one[- ]off|once|upfront|up[- ]front|lifetime|flat))?",
    re.IGNORECASE,
)
_SEAT_NOUNS = (
    r"(?:seat|user|head|person|licen[cs]e|clinician|provider|therapist|doctor|dentist|vet|technician|location|site|"
    r"employee|member|agent|login|account|store|shop|restaurant|truck|vehicle|project)s?"
)
_SEAT_AFTER = re.compile(rf"^\s*(?:per|a|each|every|/)\s*{_SEAT_NOUNS}\b", re.IGNORECASE)
# The seat said first, opening the clause, with no other figure before the price: "Per user, something like
# twenty bucks", "For each technician, maybe $12".
_SEAT_BEFORE = re.compile(
    rf"(?:^|[.;:!?,(]\s*|\b(?:for|and|so)\s+)(?:per|each|every)\s+{_SEAT_NOUNS}\b(?=[^$€£\d]*$)", re.IGNORECASE
)
_ONCE_ANY = re.compile(
    r"\b(?:one[- ]time|one[- ]off|pay\s+once|upfront|up[- ]front|lifetime\s+deal|a\s+flat\s+fee)\b", re.I
)


@dataclass(frozen=True)
class MoneyFigure:
    start: int
    end: int
    min: float
    max: float
    currency: str | None  # None when the text names no currency
    period: str | None  # "month"|"year"|"user_month"|"once"|None (unstated)
    explicit: bool  # a currency sign/word or a "k" multiplier marks it as money


def _amount(text: str) -> float | None:
    t = re.sub(r"^hundred\b", "one hundred", text.strip().lower())
    m = re.fullmatch(r"(.+?)\s+thousand\s+(?:and\s+)?(.+)", t)
    if m:  # "eleven thousand four hundred"
        q, r = word_to_number(m.group(1)), _amount(m.group(2))
        return q * 1000 + r if q is not None and r is not None else None
    m = re.fullmatch(rf"({_DIGIT_WORD})\s+({_TENS_WORD})", t)
    if m:  # "three fifty" (a price): 350
        q, r = word_to_number(m.group(1)), word_to_number(m.group(2))
        return q * 100 + r if q is not None and r is not None else None
    m = re.fullmatch(rf"({_MONEY_DIGITS})\s?(k|m|bn|thousand|grand|million|hundred)?", t)
    if m:
        digits = m.group(1)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):  # "25.000"
            digits = digits.replace(".", "")
        base = float(re.sub(r"[,\s\u00a0\u202f]", "", digits))
        mult = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "hundred": 100}.get(
            m.group(2) or "", 1
        )
        return base * mult
    m = re.fullmatch(r"(.+?)\s+hundred\s+(?:and\s+)?(.+)", t)
    if m:
        q, r = word_to_number(m.group(1)), word_to_number(m.group(2))
        return q * 100 + r if q is not None and r is not None else None
    m = re.fullmatch(r"(.+?)\s+(hundred|thousand|grand|k)", t)
    if m:
        q = word_to_number(re.sub(r"\s+of$", "", m.group(1)))
        if q is None:
            return None
        return q * (100 if m.group(2) == "hundred" else 1000)
    return word_to_number(t)


def _has_mult(text: str) -> bool:
    return bool(re.search(r"(?:\d\s?(?:k|m|bn)\b|thousand|grand|million|hundred)", text, re.I))


def parse_money(text: str) -> list[MoneyFigure]:
    """Every amount of money in the text, with currency and billing period when stated."""
    out: list[MoneyFigure] = []
    for m in MONEY_RE.finditer(text):
        a1, a2 = m.group("a1"), m.group("a2")
        pre = m.group("pre1") or m.group("pre2")
        post = m.group("post")
        explicit = bool(pre or post or _has_mult(a1) or (a2 and _has_mult(a2)))
        if not explicit and re.fullmatch(r"a|an", a1.split()[0].lower()):
            continue
        # "2.5%" or "10-person" are not money; a bare year is not either.
        tail = text[m.end() : m.end() + 2]
        if tail[:1] in ("%",) or re.match(r"-?\s?(?:person|people|%)", text[m.end() : m.end() + 8], re.I):
            continue
        lo = _amount(a1)
        hi = _amount(a2) if a2 else None
        if lo is None:
            continue
        if hi is not None and a2 and _has_mult(a2) and not _has_mult(a1) and not re.search(r"hundred\s+\w", a2, re.I):
            # "2-3k", "between two and three hundred": the second figure's multiplier applies to the first too.
            digits2 = re.sub(r"\s*(?:k|m|bn|thousand|grand|million|hundred)\b.*$", "", a2, flags=re.I)
            base2 = _amount(digits2 or "0") or 0
            if base2 and lo <= base2:
                lo *= hi / base2
        if hi is not None and hi < lo:
            lo, hi = hi, lo
        cur = None
        if pre:
            p = pre.strip().upper()
            cur = _CUR_SYM.get(pre.strip(), p if p in ("USD", "EUR", "GBP") else None)
        elif post:
            cur = _CUR_SYM.get(post.strip()) or _CUR_WORD.get(post.strip().lower())
        pm = _PERIOD_MONEY.match(text[m.end() : m.end() + 60])
        period = None
        if pm:
            if pm.group("seat"):
                period = "user_month"
            elif pm.group("per") or pm.group("adv"):
                w = (pm.group("per") or pm.group("adv")).lower()
                period = "year" if w.startswith(("y", "ann")) else ("month" if w.startswith("mo") else None)
                if w.startswith("w"):
                    period = "month"
                    lo, hi = lo * 4, (hi * 4 if hi is not None else None)
            elif pm.group("once"):
                period = "once"
        # "200 bucks a month per location": a per-seat word after the period still makes it per seat; so
        # does one said first in the clause ("Per user, something like twenty a month each").
        if (
            period in (None, "month", "year")
            and (
                _SEAT_AFTER.match(text[m.end() + (pm.end() if pm else 0) : m.end() + 60])
                or (
                    (period or explicit)  # a price, not a head count: "for maybe five seats"
                    and _SEAT_BEFORE.search(re.split(r"[.!?]\s", text[max(0, m.start() - 80) : m.start()])[-1])
                )
            )
        ):
            period = "user_month"
        end = m.end() + (pm.end() if pm and pm.end() and period else 0)
        end = len(text[:end].rstrip())
        out.append(MoneyFigure(m.start(), end, lo, hi if hi is not None else lo, cur, period, explicit))
    return out


# --- willingness to pay -----------------------------------------------------------------------

# Money said as what they pay today, not what they would pay: "we pay Triple Whale $300", "already on the $199 plan".
_CURRENT_SPEND = re.compile(
    r"\b(?:already|currently|today|right\s+now)\b|\b(?:we|i|they|she|he)\s+(?:pay|spend|are\s+paying|'re\s+paying|am\s+paying)\b|\bpays\b|\bpaying\b(?!\s+(?:for\s+)?(?:this|it|that)\b)",
    re.IGNORECASE,
)
# A consequence drawn from what came before opens a new statement: "We pay everything per seat here, so, like 40 bucks".
_SO_BOUNDARY = re.compile(r",\s*so\b|\bso\s*,", re.I)
# Paying for a named product is today's spend whatever follows: "We pay for Jobber, so, about $50".
_PAYS_FOR_PRODUCT = re.compile(
    r"\b(?i:we|i|they)\s+(?i:already\s+)?(?i:pay|are\s+paying|'re\s+paying)\s+for\s+[A-Z]\w+"
)
# How far back from a figure its payer is looked for.
LOOK_BACK = 200
_REFUSAL = re.compile(
    r"\b(?:wouldn'?t|won'?t|would\s+not|will\s+not|not\s+willing\s+to|can'?t|couldn'?t|cannot|don'?t|do\s+not)\s+(?:\w+\s+){0,2}?(?:pay|spend|afford|budget)\b"
    r"|\bnot\s+pay(?:ing)?\b|\bno\s+(?:budget|money|funds?|cash)\s+(?:for|left|this|right\s+now)\b|\bno\s+budget\b|\bif\s+it'?s\s+not\s+free\b|\bnothing,?\s+(?:honestly|really)?\b(?=.*\bfree\b)"
    r"|\bnot\s+(?:a\s+)?(?:cent|penny|dime)\b|\bzero\s+budget\b",
    re.IGNORECASE,
)
# Money said as a consequence rather than a price: "I was told up to $75k, plus the hassle with the regulator".
_RISK_CONTEXT = re.compile(
    r"\b(?:(?:a|the|any|big|huge|hefty)\s+fine|fine[ds]|fining|penalt(?:y|ies)|penali[sz]e[ds]?|lose|losing|lost|loss|sued|lawsuit|settlement|"
    r"regulators?|exposure|liabilit(?:y|ies)|sanctions?|damages|(?:was|were|been|got)\s+told|at\s+risk|would\s+have\s+cost)\b",
    re.I,
)
_PAY_CONTEXT = re.compile(
    r"\b(?:pay|paying|spend|budget|afford|worth|price|priced|charge|subscription|plan|tool|seat)\b", re.I
)
_BARE_ALTERNATIVE = re.compile(r"[\s,]*(?:or|to|maybe|perhaps|possibly|or\s+maybe|up\s+to|at\s+most)\s+", re.I)
# Said after an amount they would balk at: "A few hundred I'd have to think", "Over $200 I'd need sign-off".
_CEILING = re.compile(
    r"^[^.;!?]{0,40}?(?:\b(?:i|we|they|she|he)(?:['’]d|\s+would|['’]ll|\s+will)?\s+(?:have|need)\s+to\s+"  # noqa: RUF001
    r"(?:think|justify|ask|check|run\s+it|take\s+it|get\s+(?:approval|sign[- ]off|it\s+approved)|go\s+to"
    r"|make\s+a\s+case|talk|clear\s+it|fight)"
    r"|\b(?:too\s+(?:much|expensive|steep|rich|high)|a\s+(?:hard|tough)\s+sell|a\s+stretch|pushing\s+it)"
    r"|\bneeds?\s+(?:approval|sign[- ]off))\b",
    re.I,
)
# Between a per-unit price and the total it comes to: "a seat per month over our current plan, so roughly".
_SEAT_TOTAL_GAP = re.compile(
    r"^[^.?!;$€£]{0,50}?\b(?:so|that's|that\s+is|which\s+is|which's|comes\s+to|works\s+out\s+(?:to|at)|meaning)\b"
    r"(?:[\s,]+(?:about|around|roughly|like|maybe|basically|call\s+it|approximately|um|uh|you\s+know|that's|is|it's|what))*"
    r"[\s,~]*$",
    re.I,
)
_CLAUSE_SPLIT = re.compile(r"[.;!?]\s+|,\s+(?=(?:but|and|though|although)\b)|\n")


@dataclass(frozen=True)
class WtpResult:
    start: int
    end: int
    min: float | None
    max: float | None
    currency: str | None
    period: str | None
    refused: bool


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _CLAUSE_SPLIT.finditer(text):
        spans.append((pos, m.start() + 1 if text[m.start()] in ".!?" else m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def parse_wtp(text: str, *, section: bool = True) -> WtpResult | None:
    """Willingness to pay stated in a text.

    section: the text answers "what would you pay?", so bare figures with a billing period
    ("a further 150 to 300 monthly") count as money. Several figures make a range ("$100 a month,
    maybe $150" -> 100-150). Figures said as current spend are skipped. A refusal without any
    figure gives refused=True.
    """
    figures: list[MoneyFigure] = []
    ceilings: set[int] = set()  # starts of figures said as where they would balk
    last_end = -1
    for a, b in _clauses(text):
        clause = text[a:b]
        found = parse_money(clause)
        for k, f in enumerate(found):
            nxt = found[k + 1] if k + 1 < len(found) else None
            if (
                nxt is not None
                and (
                    (not f.explicit and nxt.explicit)
                    # "a hundred, a hundred fifty a month": an amount without a period before a priced one.
                    or (f.period is None and nxt.period and f.max < nxt.min and f.currency in (None, nxt.currency))
                )
                and re.fullmatch(r"\s*(?:,|or|to|-|–)\s*(?:maybe\s+)?", clause[f.end : nxt.start])  # noqa: RUF001
                # A range's ends are of one size: "a team of 12, 300 a month" is a head count and a price.
                and f.max * 3 >= nxt.min
            ):
                # "150, 200 bucks a month": a bare figure listed before a priced one starts its range.
                found[k + 1] = MoneyFigure(
                    f.start, nxt.end, min(f.min, nxt.min), max(f.max, nxt.max), nxt.currency, nxt.period, True
                )
                continue
            prev = found[k - 1] if k else None
            if (
                section
                and not f.explicit
                and not f.period
                and prev is not None
                and prev.explicit
                and figures
                and figures[-1].end == prev.end + a
                and _BARE_ALTERNATIVE.fullmatch(clause[prev.end : f.start])
            ):
                # "Fifty quid a month, maybe sixty": a bare figure offered after a priced one widens its range.
                last = figures[-1]
                figures[-1] = MoneyFigure(
                    last.start, f.end + a, min(last.min, f.min), max(last.max, f.max), last.currency, last.period, True
                )
                continue
            if not (f.explicit or (section and f.period)):
                continue
            if not section and not f.explicit:
                continue
            # Only the words just before the figure say whose money it is; a bounded look-back also keeps
            # a clause of thousands of figures linear.
            before = clause[max(0, f.start - LOOK_BACK) : f.start]
            if _CURRENT_SPEND.search(_SO_BOUNDARY.split(before)[-1]) or _PAYS_FOR_PRODUCT.search(before):
                continue  # "we already pay $300": today's spend. Not "We pay per seat, so, like $40 a seat"
            s0, s1 = _sentence_bounds(text, f.start + a, f.end + a)
            if _RISK_CONTEXT.search(text[s0:s1]) and not _PAY_CONTEXT.search(text[s0:s1]):
                continue  # a fine or a loss named in the pricing answer is a risk, not a price
            if (
                figures
                and figures[-1].period == "user_month"
                and f.period in (None, "month", "year")
                and (f.explicit or (section and f.period))
                and f.min > figures[-1].max
                and _SEAT_TOTAL_GAP.match(text[figures[-1].end : f.start + a])
            ):
                # "a dollar a unit a month, so about 75 bucks": their own total replaces the per-unit price.
                last = figures[-1]
                figures[-1] = MoneyFigure(
                    last.start, f.end + a, f.min, f.max, f.currency or last.currency, f.period, True
                )
                last_end = f.end + a
                continue
            restated = is_restatement(text, last_end, f.start + a)
            last_end = f.end + a
            if restated:
                continue  # "two hundred a month? So around 2,400 a year": one figure said twice
            if figures and f.period and figures[0].period and f.period != figures[0].period:
                continue  # "$100 a month or $1,000 a year": alternatives, not a range across periods
            figures.append(MoneyFigure(f.start + a, f.end + a, f.min, f.max, f.currency, f.period, f.explicit))
            if _CEILING.search(clause[f.end :]):
                ceilings.add(f.start + a)
    # "$99 a month feels right. Over $200 I'd have to justify it": the amount they balk at, above what they
    # accept, is no price. One below it was the offer, hesitation or not ("$100, I'd need to check. Maybe $150").
    accepted = [f for f in figures if f.start not in ceilings]
    if accepted:
        top = max(f.max for f in accepted)
        figures = [f for f in figures if f.start not in ceilings or f.max <= top]
    if figures:
        lo = min(f.min for f in figures)
        hi = max(f.max for f in figures)
        period = next((f.period for f in figures if f.period), None)
        if period is None and _ONCE_ANY.search(text):
            period = "once"
        currency = next((f.currency for f in figures if f.currency), None) or _currency_in(text)
        return WtpResult(figures[0].start, figures[-1].end, lo, hi, currency or "USD", period or "month", False)
    r = _REFUSAL.search(text)
    if r:
        a, b = next(((a, b) for a, b in _clauses(text) if a <= r.start() < b), (0, len(text)))
        return WtpResult(a, b, None, None, None, None, True)
    return None


def _currency_in(text: str) -> str | None:
    for sym, cur in _CUR_SYM.items():
        if sym in text:
            return cur
    m = re.search(r"\b(dollars?|bucks|usd|euros?|eur|pounds|gbp|quid)\b", text, re.I)
    return _CUR_WORD.get(m.group(1).lower()) if m else None


# --- risk amounts -----------------------------------------------------------------------------

# Outside a risk answer, money only counts as a risk when said as a loss or a penalty.
_LOSS = re.compile(
    r"\b(?:fine[ds]?|fining|penalt(?:y|ies)|penali[sz]e[ds]?|lost|lose|losing|loss|never\s+see|never\s+get\s+(?:it\s+)?back|"
    r"write[- ]?offs?|written\s+off|wrote\s+(?:it\s+)?off|writing\s+off|never\s+paid|claw(?:ed)?\s+back|sued|lawsuit|settlement|refunded|chargebacks?|at\s+risk|cost\s+us|wiped"  # noqa: E501
    # Absorbing a cost: "we ate a $4,000 repair bill", "had to eat the cost", "we were on the hook for $2k".
    # Money gone or owed: "I'm out $1,500", "the client owes us $9k", "fees we can't bill", "a $300 ticket".
    r"|(?:i'?m|we'?re|i\s+am|we\s+are|i\s+was|we\s+were)\s+out[\s,]+(?:(?:what|like|about|maybe|probably|um|uh)[\s,]+)*"
    r"(?=[$€£\d]|\w+\s+(?:hundred|thousand|grand)\b)|\b(?:owes?|owed)\s+(?:us|me)\b"
    r"|(?:can'?t|cannot|couldn'?t|never)\s+(?:bill|collect|recover|invoice)\b|violations?|citations?"
    r"|(?<=[$€£])\d[\d,.]*\s?k?\s+(?:(?!(?:on|for|in|of|to)\b)\w+\s+)?tickets?\b"
    r"|on\s+the\s+hook|(?:ate|eat|eating|eaten|swallowed|absorbed)\s+(?:(?:a|the|that|this|those|it)\s+)?"
    r"(?:[$€£]|(?:[\w$€£,.-]+\s+){0,4}?(?:bills?|costs?|loss(?:es)?|fees?|charges?|invoices?|repairs?|damages?|difference)\b))",
    re.IGNORECASE,
)


_STRONG_LOSS = re.compile(r"\b(?:lost|lose|losing|churn(?:ed|ing)?|walk(?:ed)?\s+(?:away|out)|gone)\b", re.I)
_OUR_SPEND = re.compile(r"\b(?:pay|paying|paid|spend|spending|spent|costs?|budget|subscription|price)\b", re.I)


@dataclass(frozen=True)
class RiskFigure:
    start: int
    end: int
    amount: float


def parse_risk_amounts(text: str, *, section: bool = True) -> list[RiskFigure]:
    """Money named as a risk. In a risk answer every explicit amount counts (ranges give their top:
    "$200 to $40,000 per breach" -> 40000); elsewhere only amounts in a sentence that speaks of a
    loss or a penalty, and never a recurring price ("$8k a month")."""
    out: list[RiskFigure] = []
    for f in parse_money(text):
        if not f.explicit:
            continue
        if not section:
            s0, s1 = _sentence_bounds(text, f.start, f.end)
            # The loss may be stated in the sentence before: "...or lose the contract. It's worth 2 million."
            p0 = _sentence_bounds(text, s0 - 2, s0 - 1)[0] if s0 > 1 else s0
            if not _LOSS.search(text[p0:s1]):
                continue
            # A recurring amount is a price ("$6k monthly on freight") unless it is revenue said as lost
            # ("we lost a landlord... $30k a year in fees, gone") with no payment of ours in the sentence.
            if f.period in ("month", "year", "user_month") and (
                f.period == "user_month" or _OUR_SPEND.search(text[s0:s1]) or not _STRONG_LOSS.search(text[p0:s1])
            ):
                continue
        out.append(RiskFigure(f.start, f.end, f.max))
    return out
