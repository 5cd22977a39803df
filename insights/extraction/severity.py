"""Severity of a pain from the intensity of its language, per GUIDELINES.md.

very_high: stated legal/financial risk (fines, lost licence, churned customers, suspended accounts)
or "killing us" / "nightmare" / "can't operate". high: repeated loss of hours, missed deadlines,
errors reaching customers, strong emotion. medium: a clear nuisance. low: said in passing.
"""

from __future__ import annotations

import re

from .clauses import Clause
from .lexicon import CATASTROPHE, INTENSIFIERS, MILD, STRONG_EMOTION
from .pains import Evidence

SEVERITIES = ("low", "medium", "high", "very_high")
_MONEY = re.compile(r"[$€£]\s?\d|\d\s?(?:k|K)\b|\b\d[\d,]*\s?(?:dollars|euros|pounds|bucks)\b")
_CUSTOMER = frozenset(
    [
        "customer",
        "customers",
        "client",
        "clients",
        "patient",
        "patients",
        "family",
        "families",
        "buyer",
        "buyers",
        "user",
        "users",
        "guest",
        "guests",
        "member",
        "members",
        "board",
        "investor",
        "investors",
        "regulator",
        "auditor",
    ]
)
_REPEAT = re.compile(
    r"\b(?:every|each)\s+(?:day|morning|week|friday|monday|sunday|month|quarter|time)|\bdaily\b|\bweekly\b|\bconstantly\b|\balways\b|\ball (?:day|morning|week)\b|\bnonstop\b|\bhours?\b|\bmost of\b|\ba couple of times\b",  # noqa: E501
    re.I,
)
_VERY_HIGH_PHRASES = re.compile(
    r"\bkill(?:s|ing)\s+(?:us|me|margin|margins|the business)|\bnightmare\b|\bcan'?t\s+operate\b|\bout of business\b|"
    r"\brun out of (?:cash|money|runway)|\bclose us\b|\bshut (?:us )?down\b|\bcost us (?:the|a|our)\b|"
    r"\bstop (?:processing|operating|trading|selling)\b|\bwalk out\b|\blost (?:two|three|a|the|our|\d)",
    re.I,
)
_ACCOUNTS = frozenset(
    [
        "customer",
        "customers",
        "client",
        "clients",
        "account",
        "accounts",
        "deal",
        "deals",
        "family",
        "families",
        "patient",
        "patients",
        "contract",
        "contracts",
        "round",
        "licence",
        "license",
    ]
)
_LOSS_VERBS = frozenset(
    [
        "lose",
        "lost",
        "cancel",
        "suspend",
        "close",
        "churn",
        "claw",
        "fine",
        "penalise",
        "penalize",
        "sue",
        "revoke",
        "lapse",
    ]
)


def severity(clause: Clause, ev: Evidence, topic: str | None) -> str:
    text = clause.span.text
    lemmas = {t.lemma_.lower() for t in clause.span}
    lowers = {t.lower_ for t in clause.span}
    words = lemmas | lowers
    money = bool(_MONEY.search(text))
    if _VERY_HIGH_PHRASES.search(text) or ev.stops_business:
        return "very_high"
    catastrophe = words & CATASTROPHE
    if catastrophe and (
        topic == "risk"
        or money
        or words & {"fine", "fines", "penalty", "suspend", "lawsuit", "breach", "licence", "license"}
    ):
        return "very_high"
    if topic == "risk" and (ev.conditional or money or words & _LOSS_VERBS):
        return "very_high"
    if money and words & _LOSS_VERBS:
        return "very_high"
    if words & {"churn", "churned", "churning"} or (
        words & {"lose", "lost", "losing", "cancel", "cancelled", "canceled"} and words & _ACCOUNTS
    ):
        return "very_high"  # churned customers / lost accounts
    high = 0
    if words & STRONG_EMOTION:
        high += 1
    if _REPEAT.search(text):
        high += 1
    if words & _CUSTOMER and (ev.problem_words or ev.unmet):
        high += 1
    if words & {"miss", "missed", "deny", "denied", "wrong", "error", "errors", "late", "worst", "lose", "lost"}:
        high += 1
    if topic == "risk":
        high += 1
    if words & MILD and not high:
        return "low"
    if high:
        return "high"
    if words & INTENSIFIERS and ev.score >= 4:
        return "high"
    return "medium"
