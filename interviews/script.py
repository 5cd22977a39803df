"""The discovery script, as data. Forms, API, admin, import and export read it from here."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    question: str
    help_text: str
    feeds: str


SCRIPT: tuple[Question, ...] = (
    Question(
        "typical_day",
        "What does a typical day look like? What challenges do you face?",
        "Let them walk through a real day. Note the moments they sigh or speed up.",
        "pains",
    ),
    Question(
        "current_solution",
        "How are you solving this now?",
        "Tools, spreadsheets, people, scripts, or nothing at all.",
        "workarounds, tools",
    ),
    Question(
        "whats_broken",
        "What's broken? What frustrates you?",
        "Ask for the last time it went wrong, in their words.",
        "pains, severity",
    ),
    Question(
        "magic_wand",
        "With a magic wand, what would the solution be?",
        "The outcome they want, not the feature list.",
        "desired outcomes",
    ),
    Question(
        "who_else",
        "Who else on your team works on this?",
        "Roles, sign-offs, and anyone they could introduce us to.",
        "stakeholders, referrals",
    ),
    Question(
        "time_spent",
        "How many hours a week go to this?",
        "Per week if you can; note which problem the hours belong to.",
        "time cost",
    ),
    Question(
        "risk",
        "Is there a risk if this goes wrong?",
        "Fines, lost customers, lost licence, missed deadlines; amounts if they say them.",
        "severity, risk cost",
    ),
    Question(
        "willingness_to_pay",
        "If something saved you that time, what would you pay?",
        "A figure or range, and per what: month, year, seat.",
        "WTP",
    ),
)

SCRIPT_KEYS: tuple[str, ...] = tuple(q.key for q in SCRIPT)


def field_position(field: str) -> int:
    """Where an answer sits in the conversation: the script's order, other questions after it, notes last."""
    if field in SCRIPT_KEYS:
        return SCRIPT_KEYS.index(field)
    return len(SCRIPT_KEYS) + (field == "notes")


QUESTIONS_BY_KEY: dict[str, Question] = {q.key: q for q in SCRIPT}

# Limits applied everywhere text comes in (form, API, import).
MAX_ANSWER_CHARS = 20_000
MAX_NOTES_CHARS = 100_000


def text_fingerprint(*, answers: dict[str, str], notes: str) -> str:
    """A digest of an interview's text that ignores case and spacing: the same transcript imported
    again under another id has the same fingerprint. Empty text has none ("")."""
    import hashlib

    parts = [" ".join((answers.get(key) or "").split()).casefold() for key in SCRIPT_KEYS]
    parts.append(" ".join((notes or "").split()).casefold())
    if not any(parts):
        return ""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
