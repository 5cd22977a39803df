"""Plain data returned by the extractor. No spaCy, no Django: safe to import anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("pain", "workaround", "wish", "stakeholder", "time", "wtp", "risk")
SEVERITIES = ("low", "medium", "high", "very_high")
WTP_PERIODS = ("month", "year", "user_month", "once")


@dataclass(frozen=True)
class Mention:
    kind: str  # one of KINDS
    quote: str  # exact substring of the field text
    field: str  # script key ("typical_day", ...) or "notes"
    start: int  # char offsets into that field's text: text[start:end] == quote
    end: int
    theme_key: str  # proposed normalised theme key; "" where meaningless
    severity: str | None  # pains only
    hours_per_week: float | None = None
    wtp_min: float | None = None
    wtp_max: float | None = None
    wtp_period: str | None = None
    currency: str | None = None
    risk_amount: float | None = None
    refused: bool = False
    about: str | None = None  # theme key of the pain a time/risk/workaround mention is tied to
    candidates: tuple[str, ...] = ()  # pains: every key the clause could be about, best first
    consequence: bool = False  # pains said in answer to "what's the risk?": a consequence the matrix can show


@dataclass(frozen=True)
class Extraction:
    mentions: tuple[Mention, ...]
    hours_per_week: float | None
    wtp: dict | None
    risk_amount: float | None
    # What the whole interview talks about: concept key -> how often. With the pains' candidates it
    # lets the segment regroup settle keys again across interviews (keys.resolve_themes).
    topics: dict[str, int] = field(default_factory=dict)
