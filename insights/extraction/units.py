"""Units: the stretches of interviewee speech the model judges, one sentence or one clause of a long one.

Plain Python (no spaCy, no Django): training (training/prepare.py) and the extractor cut text the same
way, so the model is trained on exactly what it later sees. Each unit carries the question it answers
(the interviewer's words in a transcript, the script question of a form answer), because "Nothing,
really" means something else after "What's broken?" than after "How do you solve it now?".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from interviews.script import QUESTIONS_BY_KEY, SCRIPT_KEYS
from interviews.transcripts import Piece, blank_stage_directions, classify_question, interviewee_pieces

NOTES = "notes"
# A sentence ends at . ! ? (or a line break) before the next one starts; lower-case transcripts start
# sentences in lower case, so any letter may follow, except after an abbreviation ("e.g. the", "3 p.m. on").
_SENTENCE_END = re.compile(
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bp\.m\.)(?<!\ba\.m\.)(?<!\bvs\.)(?<!\betc\.)(?<!\bdr\.)(?<!\bmr\.)"
    r"(?<!\bms\.)(?<!\bmrs\.)(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?\w)|\s*\n+\s*",  # noqa: RUF001
    re.I,
)
# Where a long sentence turns into its next clause: a semicolon or dash, or a comma before a conjunction.
_CLAUSE_BREAK = re.compile(
    r"\s*[;:—–]\s+|\s*-{1,2}\s+|,\s+(?=(?:but|and|so|because|which|although|though|since|whereas|"  # noqa: RUF001
    r"then|plus|especially|except|otherwise|while|yet|or)\b)",
    re.I,
)
LONG_SENTENCE_WORDS = 24  # a sentence longer than this is cut at its clause breaks
_COMMA = re.compile(r",\s+")
MIN_UNIT_WORDS = 2  # a shorter clause joins its neighbour ("Honestly.", "Yeah,")
_EDGE = " \t\r\n\"'“”‘’*+-•"  # noqa: RUF001


@dataclass(frozen=True)
class Unit:
    field: str  # script key or "notes"
    start: int  # offsets into the field's text: text[start:end] == unit text
    end: int
    text: str
    topic: str | None  # the script key the question is about, if known
    question: str  # the question the unit answers ("" when none is known)


def _words(text: str) -> int:
    return len(text.split())


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _EDGE:
        a += 1
    while b > a and text[b - 1] in _EDGE:
        b -= 1
    return a, b


def _cut(text: str, a: int, b: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, pos = [], a
    for m in pattern.finditer(text, a, b):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, b))
    return [s for s in (_trimmed(text, x, y) for x, y in spans) if s[0] < s[1]]


_BLANKED = "   "  # a stage direction blanked out (transcripts.blank_stage_directions): never joined across


def _join_short(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        short = _words(text[s:e]) < MIN_UNIT_WORDS or (out and _words(text[out[-1][0] : out[-1][1]]) < MIN_UNIT_WORDS)
        if out and short and _BLANKED not in text[out[-1][1] : s]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def split_units(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Unit spans in text[start:end]: sentences, long ones cut at clause breaks."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for s, e in _join_short(text, _cut(text, start, end, _SENTENCE_END)):
        if _words(text[s:e]) > LONG_SENTENCE_WORDS:
            for a, b in _join_short(text, _cut(text, s, e, _CLAUSE_BREAK)):
                # A run-on with no clause break is still cut, at its commas.
                long = _words(text[a:b]) > 2 * LONG_SENTENCE_WORDS
                spans.extend(_join_short(text, _cut(text, a, b, _COMMA)) if long else [(a, b)])
        else:
            spans.append((s, e))
    return spans


# A typed list: three or more short items between commas or semicolons ("Excel for the rota, WhatsApp
# for swaps, and a paper diary at the desk"). In a form answer each item is a way of coping of its
# own; in speech commas mostly pace one thought, so transcripts and notes are never cut this way.
_LIST_BREAK = re.compile(r"\s*[;,]\s+(?:(?:and|or|plus)\s+)?", re.I)
LIST_ITEMS = 3
LIST_ITEM_WORDS = 10


# Typed shorthand joins the ways of coping with a plus sign ("a paper rota + a WhatsApp group"):
# two items are already a list. Speech has no plus sign, and a typed sentence rarely holds one. Sums
# ("$40 + VAT", "labour + 15%") and a plus sign inside brackets ("Excel (rota + swaps)") join no items.
_PLUS_BREAK = re.compile(r"\s+\+\s+")
_FIGURE_BESIDE = re.compile(r"[\d%$€£¥]\S*$")


def _plus_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    for m in _PLUS_BREAK.finditer(text, start, end):
        before, after = text[start : m.start()], text[m.end() : end]
        if before.count("(") > before.count(")") or _FIGURE_BESIDE.search(before) or re.match(r"[\d$€£¥]", after):
            return []
    return _cut(text, start, end, _PLUS_BREAK)


def list_items(text: str, start: int, end: int, *, form: bool = True) -> list[tuple[int, int]]:
    """The items of text[start:end] when it is a typed list, else []. Comma lists only in a form
    answer (`form`): in typed notes a comma run is as often a sentence told on ("it's clever, I love
    it, but it's a workbook")."""

    def short(items: list[tuple[int, int]], least: int) -> bool:
        return len(items) >= least and all(_words(text[a:b]) <= LIST_ITEM_WORDS for a, b in items)

    plus = _plus_items(text, start, end)
    if short(plus, 2):
        return plus
    commas = _cut(text, start, end, _LIST_BREAK) if form else []
    return commas if short(commas, LIST_ITEMS) else []


def is_free_text(field: str) -> bool:
    """Said in the notes (typed notes or a transcript), not in answer to one script question."""
    return field == NOTES


def field_topic(field: str) -> str | None:
    if field in SCRIPT_KEYS:
        return field
    if field == NOTES:
        return None
    return classify_question(field.replace("_", " "))


def field_question(field: str) -> str:
    if field in QUESTIONS_BY_KEY:
        return QUESTIONS_BY_KEY[field].question
    return "" if field == NOTES else field.replace("_", " ")


def interview_fields(answers: dict[str, str] | None, notes: str | None) -> Iterator[tuple[str, str]]:
    for key, value in (answers or {}).items():
        if isinstance(value, str) and value.strip():
            yield key, value
    if notes and notes.strip():
        yield NOTES, notes


def piece_question(field: str, piece: Piece) -> str:
    if piece.question:
        return piece.question
    if piece.topic in QUESTIONS_BY_KEY:
        return QUESTIONS_BY_KEY[piece.topic].question
    return field_question(field)


def field_units(field: str, text: str) -> list[Unit]:
    clean = blank_stage_directions(text)
    out = []
    for piece in interviewee_pieces(text, field_topic(field)):
        question = piece_question(field, piece)
        for s, e in split_units(clean, piece.start, piece.end):
            out.append(Unit(field, s, e, text[s:e], piece.topic, question))
    return out


def interview_units(answers: dict[str, str] | None, notes: str | None) -> list[Unit]:
    """Every unit of one interview, in the order it was said (script answers, then notes)."""
    return [u for field, text in interview_fields(answers, notes) for u in field_units(field, text)]
