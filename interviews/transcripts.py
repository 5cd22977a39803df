"""Find the interviewee's words in a field, with offsets and the question each answers.

A field is plain prose, a pasted transcript ("Interviewer: ...", "Q:/A:", "AI:/User:", "Speaker 1 0:12"
headers, "[00:01] Name: ..."), or markdown notes ("**What's broken?**" questions, "**Risk:** ..."
labels, "- Time: ..." bullets). Interviewer lines are dropped so questions never become mentions; each
interviewee piece carries a topic (a script key) guessed from the question or label it follows, so
the extractor knows a "how many hours?" answer from a "what would you pay?" one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Order matters: the more specific topics first ("what would you pay" also says "would").
_TOPIC_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "typical_day",
        re.compile(r"typical|walk me through|normal day|day-to-day|day to day|tell me about (?:your|yourself)", re.I),
    ),
    ("magic_wand", re.compile(r"magic|wand|ideal|dream|wish|perfect world|if you could|anything you want", re.I)),
    (
        "willingness_to_pay",
        # "What would it be worth?" asks a price; "what would late have cost you?" asks a risk (below).
        re.compile(r"\bpay\b|\bprice|pricing|budget|\bwtp\b|\bworth\b|spend on (?:a|this)", re.I),
    ),
    (
        "time_spent",
        re.compile(
            r"\bhours?\b|\bhrs?\b|how (?:long|much time)|\btime (?:does|do|is|spent|goes|go|on|it takes)|\bminutes\b|^\W*time\W*$",  # noqa: E501
            re.I,
        ),
    ),
    (
        "risk",
        re.compile(
            r"\brisks?\b|what happens (?:if|when)|\bif (?:something|anything|it|that|this|one) (?:slips|breaks|fails|lapses)|\b(?:go|goes|gone|went|going)\s+(?:\w+\s+)?wrong|worst|consequence|at stake|\bcost (?:you|us|them)\b|if (?:the|it|that|this) (?:is|are|were|was) (?:wrong|off|late)|penalt|fine",  # noqa: E501
            re.I,
        ),
    ),
    ("who_else", re.compile(r"who else|\bwho\b|involved|stakeholder|\bteam\b|decision", re.I)),
    # "What's the hardest part right now?" asks for problems, whatever time word it carries.
    (
        "whats_broken",
        re.compile(
            r"hardest|most painful|worst part|biggest (?:problem|challenge|headache|pain|issue|frustration)|"
            r"slows? you|through the cracks|frustrat|broken",
            re.I,
        ),
    ),
    (
        "current_solution",
        re.compile(
            r"solv|\btr(?:y|ied)\b|today|currently|right now|\busing\b|\buse\b|tools?\b|stack|workaround|handl|manage|deal with|how do you|software|current|"  # noqa: E501
            r"how are you \w+ing\b|\btrack|what do you do (?:with|about|when)|\bhelp\b",
            re.I,
        ),
    ),
    (
        "whats_broken",
        re.compile(
            r"broken|frustrat|challeng|problem|pain|hard|difficult|annoy|struggl|wrong|worst part|biggest|issue|gap|"
            r"\beat(?:s|ing)?\s+(?:up\s+)?(?:your|you)\b|\bbugs? you|drives? you",
            re.I,
        ),
    ),
    (
        "typical_day",
        re.compile(r"typical|day|week|walk me|normal|role|yourself|background|day-to-day|routine|start", re.I),
    ),
)

# Labels a note-taker writes before a topic ("**Risk:**", "- WTP:", "Tools:"): never speaker names.
_LABEL_TOPICS = {
    "time": "time_spent",
    "hours": "time_spent",
    "time spent": "time_spent",
    "effort": "time_spent",
    "wtp": "willingness_to_pay",
    "pricing": "willingness_to_pay",
    "price": "willingness_to_pay",
    "budget": "willingness_to_pay",
    "pay": "willingness_to_pay",
    "willingness to pay": "willingness_to_pay",
    "risk": "risk",
    "risks": "risk",
    "stakes": "risk",
    "tools": "current_solution",
    "current": "current_solution",
    "current solution": "current_solution",
    "workaround": "current_solution",
    "workarounds": "current_solution",
    "stack": "current_solution",
    "current workaround": "current_solution",
    "solution": "current_solution",
    "today": "current_solution",
    "broken": "whats_broken",
    "pain": "whats_broken",
    "pains": "whats_broken",
    "problems": "whats_broken",
    "problem": "whats_broken",
    "frustrations": "whats_broken",
    "challenges": "whats_broken",
    "issues": "whats_broken",
    "who": "who_else",
    "who else": "who_else",
    "stakeholders": "who_else",
    "team": "who_else",
    "day": "typical_day",
    "day-to-day": "typical_day",
    "typical day": "typical_day",
    "context": "typical_day",
    "wish": "magic_wand",
    "wishes": "magic_wand",
    "magic wand": "magic_wand",
    "wand": "magic_wand",
    "ideal": "magic_wand",
}
_INTERVIEWER_NAMES = {
    "interviewer",
    "q",
    "question",
    "ai",
    "me",
    "host",
    "researcher",
    "moderator",
    "facilitator",
    "int",
    "i",
    "assistant",
    "bot",
    "us",
    "pm",
    "ux",
}
# Lines about the meeting, not turns of it: "Attendees: Ana, Tom", "Date: 3 March", "Next steps: ...".
_META_LABELS = {
    "attendees", "attendee", "present", "date", "title", "meeting", "subject", "agenda", "note", "notes",
    "summary", "action items", "next step", "next steps", "follow up", "follow-up", "follow-ups", "transcript",
    "location", "duration", "recording", "company", "role",
}  # fmt: skip
_INTERVIEWEE_NAMES = {"a", "answer", "user", "respondent", "participant", "interviewee", "customer", "p", "r"}

# A capital letter that starts a name, in Latin (accents included), Greek or Cyrillic script ("Zoë",
# "Łukasz", "Ólafur"), and a letter of any script after it, and a curly apostrophe as phones type it.
UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽΑ-ΩА-ЯЁ"
_NAME_CHAR = r"(?:[^\W\d_]|[.'’\-])"  # noqa: RUF001
_TS = r"(?:\(?\[?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:[ \t]?[AaPp]\.?[Mm]\.?)?\]?\)?)"
# A role or an organisation after a name: "Leah (PM):", "Sam (Interviewer):", "Jo Kim (Acme):".
# The upload reader (interviews/importers.py) reads labels with the same pattern.
ROLE = r"(?:[ \t]*\([A-Za-z][A-Za-z&.'\- ]{0,24}\))"
# "Name: text" (optionally with a timestamp before or after the name, or a role after it).
_SPEAKER_LINE = re.compile(
    rf"^[ \t]*(?:{_TS}[ \t]*)?(?:[-*][ \t]+)?(?:\*\*)?(?P<name>(?:[{UPPER}](?:{_NAME_CHAR}|[ ]){{0,28}}?|[A-Z]\d?|\d){ROLE}?)(?:[ \t]+{_TS})?(?:\*\*)?[ \t]*[:：](?:\*\*)?[ \t]*(?P<rest>.*)$"  # noqa: E501, RUF001
)
# The same with a lower-case but well-known label: "interviewer: ...", "respondent: ...", "a: ...", "b: ...".
_KNOWN_SPEAKER_LINE = re.compile(
    r"^[ \t]*(?P<name>interviewer|interviewee|respondent|participant|customer|user|me|them|ai|assistant|bot|"
    r"moderator|researcher|facilitator|host|[a-d]|q|speaker[ \t_-]?\d{1,3})"
    r"(?:(?<=[qa])\d{1,2})?[ \t]*[:：][ \t]*(?P<rest>.*)$",  # noqa: RUF001
    re.IGNORECASE,
)
# A role named with a dash instead of a colon: "Interviewer - ...", "Respondent -- ...".
_ROLE_DASH_LINE = re.compile(
    r"^[ \t]*(?P<name>interviewer|interviewee|respondent|participant|moderator|researcher|facilitator|customer)"
    r"[ \t]+[-–—][ \t]+(?P<rest>.*)$",  # noqa: RUF001
    re.IGNORECASE,
)
# A numbered question and its answer ("Q1:", "A1:") are still the one who asks and the one who answers,
# where the answers are numbered too ("Q1: three weeks late" alone is a quarter).
_NUMBERED_QA = re.compile(r"^([QqAa])\d{1,2}$")
_NUMBERED_ANSWER = re.compile(r"^[ \t]*A\d{1,2}[ \t]*:", re.MULTILINE | re.IGNORECASE)
# A plain "10:30 Dana" is a note-taker's log line, not a header: a stamp alone needs brackets or seconds.
_STAMP = r"(?:\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\]|\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?)"
# A timestamp at the start of a turn's words, after its label: "Jane Doe: [00:00:04] ..." (Sonix); never a
# time of day the interviewee says ("Dana: 5:30 AM, and the board ...", "Dana: 7:30 every morning").
LEADING_TIMESTAMP = re.compile(rf"{_STAMP}(?![ \t]?[AaPp]\.?[Mm]\b)(?:[ \t]+|$)")
# Subtitles from a diarising tool: "[speaker_1]: text", "[SPEAKER 2] text".
_BRACKETED_SPEAKER_LINE = re.compile(
    r"^[ \t]*\[(?P<name>[A-Za-z][A-Za-z _-]{0,20}\d{0,3})\][ \t]*[:：]?[ \t]*(?P<rest>.+)$"  # noqa: RUF001
)
# Names a tool gives when it cannot tell who speaks: every turn has the same one.
PLACEHOLDER_NAMES = {"unknown speaker", "unknown", "speaker", "unidentified speaker"}
# "Speaker 1 0:04" / "Jane Doe 00:01:12" / "Speaker 2" / "[00:12] Jane" / "Speaker 1 (00:00:03):" / "Jane Doe  2:14 PM"
# alone on a line: the text follows on later lines. A directory name may come "Last, First", with the
# organisation after it (Teams: "Lopez, Maria (Contoso)   0:09").
_SPEAKER_HEADER = re.compile(
    rf"^[ \t]*(?:{_TS}[ \t]*)?\[?(?P<name>(?:Speaker|SPEAKER)[ \t]*\d+|[{UPPER}]{_NAME_CHAR}*,?(?:[ \t]+[{UPPER}]{_NAME_CHAR}*){{0,2}}{ROLE}?)\]?(?:[ \t]+[-–|])?[ \t]+{_TS}[ \t]*:?[ \t]*$"  # noqa: E501, RUF001
    rf"|^[ \t]*(?P<name2>(?:Speaker|SPEAKER)[ \t]*\d+)[ \t]*:?[ \t]*$"
)
# The timestamp first, then the name, alone on a line: "0:04 | Jane Doe" (Gong), "0:04 - Jane Doe (Acme)"
# (Fathom), "[00:00:04] Jane Doe" (Trint). The name ends in a letter, so "[00:12] Right." stays text.
# The upload reader (interviews/importers.py) reads these headers with the same pattern.
TIMESTAMP_FIRST_HEADER = re.compile(
    rf"^[ \t]*(?:{_TS}[ \t]*[|\-–—]|{_STAMP})[ \t]*(?P<name>[{UPPER}][^\W\d_]*(?:[ \t]+[{UPPER}][^\W\d_]*){{0,2}}{ROLE}?)[ \t]*:?[ \t]*$"  # noqa: E501, RUF001
)
# A timestamp alone on its line, and a name alone on the line above one (Google Meet's export).
_BARE_TS_LINE = re.compile(rf"^[ \t]*{_TS}[ \t]*$")
_NAME_LINE = re.compile(rf"^[ \t]*[{UPPER}]{_NAME_CHAR}*(?:[ \t]+[{UPPER}]{_NAME_CHAR}*){{0,3}}[ \t]*$")
# WebVTT voice tags: "<v Jane Doe>text</v>".
_VTT_VOICE = re.compile(r"^[ \t]*<v(?:\.[\w.-]+)?[ \t]+(?P<name>[^>]{1,40})>(?P<rest>.*?)(?:</v>)?[ \t]*$")
# The closing tags that end a WebVTT voice span on its last line: "...miss stops.</v>".
_CLOSING_TAGS = re.compile(r"(?:</[A-Za-z][\w.]*>[ \t]*)+$")
# Closed captions mark each change of speaker with ">>" and name no one.
_CAPTION_TURN = re.compile(r"^[ \t]*>>[ \t]*(?P<rest>.*)$")
_TIMECODE_LINE = re.compile(rf"^[ \t]*(?:\d+[ \t]*$|{_TS}[ \t]*(?:-->|–|-)[ \t]*{_TS}.*$|WEBVTT.*$)")  # noqa: RUF001
_BOLD_LINE = re.compile(r"^[ \t]*(?:\*\*|__)(?P<head>[^*_\n]+?)(?:\*\*|__)[ \t]*(?P<rest>.*)$")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(?P<head>.+?)[ \t]*#*[ \t]*$")
_ASKING = r"(?:what|how|who|why|when|where|which|is|are|do|does|did|can|could|would|will|have|has|any|anything|tell)\b"
_OPENER = r"(?:(?:and|so|ok|okay|right)[,.]?[ \t]+)?"
# "What's broken?" alone on a line of notes.
_NOTE_QUESTION = re.compile(rf"^[ \t]*{_ASKING}[^?\n]{{0,160}}\?[ \t]*$", re.IGNORECASE)
# Quoted ("> ...?"), in italics ("*...?*") or opened with "and", "so", "okay", a note's question is the
# note-taker's only when it asks "you": "> How are we supposed to keep up?" quotes the interviewee.
_NOTE_QUESTION_TO_YOU = re.compile(
    rf"^[ \t]*(?:>[ \t]*|[*_]{{1,2}})?{_OPENER}{_ASKING}[^?\n]{{0,160}}?\byour?\b"
    rf"[^?\n]{{0,160}}\?[*_]{{0,2}}[ \t]*$",
    re.IGNORECASE,
)
# A note-taker's question to "you" and the answer on one line: "How do you handle it now? Excel and email."
# Taken as the note-taker's only where the notes are written that way (two such lines or more), and not
# when the answer goes on about "you": "How do you even budget for that? You can't." is the interviewee.
_NOTE_QUESTION_LEAD = re.compile(
    rf"^[ \t]*(?P<question>{_OPENER}{_ASKING}[^?\n]{{0,160}}?\byour?\b[^?\n]{{0,160}}\?)[ \t]+(?!you\b)(?=\S)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[ \t]*(?:[-*+•·]|\d+[.)])[ \t]+")
_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z \-/]{1,24}?)[ \t]*[:：?][ \t]+")  # noqa: RUF001


# A transcriber's stage direction: "(laughs)", "[crosstalk]", "(inaudible 00:12)", "(both laugh)".
_STAGE_DIRECTION = re.compile(
    r"[(\[][ \t]*(?:[a-z]+[ \t]+)?(?:laugh\w*|chuckl\w*|sigh\w*|crosstalk|cross-talk|inaudible|unintelligible|"
    r"indistinct|pause\w*|silence|cough\w*|overlapping|background noise|music|noise)\b[^()\[\]\n]{0,20}[)\]]",
    re.I,
)


def blank_stage_directions(text: str) -> str:
    """The text with stage directions turned into spaces, so offsets still point into the original."""
    return _STAGE_DIRECTION.sub(lambda m: " " * len(m.group()), text)


_PARENTHESISED = re.compile(r"^(?P<base>.*?)[ \t]*\((?P<role>[^()]*)\)$")


def _name_and_role(name: str) -> tuple[str, str, str | None]:
    """A label lower-cased, its name without "(PM)", and that role (None when there is none)."""
    n = " ".join(name.lower().split())
    m = _PARENTHESISED.match(n)
    return (n, m.group("base").strip(), m.group("role").strip()) if m else (n, n, None)


def role_words(name: str) -> set[str]:
    """A speaker label and, for "Leah (PM)", its name and its role apart: what may tell who asks."""
    return {w for w in _name_and_role(name) if w is not None}


def _base_name(name: str) -> str:
    return _name_and_role(name)[1]


def _is_meta_label(name: str) -> bool:
    return _base_name(name) in _META_LABELS


def is_note_label(name: str) -> bool:
    """A note-taker's label ("Risk:", "Workaround:", "Attendees:"), never a speaker's name."""
    return _base_name(name) in _LABEL_TOPICS or _is_meta_label(name)


@dataclass(frozen=True)
class Piece:
    """A run of interviewee text: field_text[start:end], answering a question on `topic`."""

    start: int
    end: int
    topic: str | None
    question: str = ""
    spoken: bool = False  # a turn of a transcript, not a line of typed notes or a typed answer


def classify_question(text: str) -> str | None:
    """The script key a question or note label is about, or None."""
    t = text.strip().lower().strip("*#:?_ ")
    if t in _LABEL_TOPICS:
        return _LABEL_TOPICS[t]
    for key, rx in _TOPIC_RULES:
        if rx.search(text):
            return key
    return None


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\r\n\"'“”‘’":  # noqa: RUF001
        a += 1
    while b > a and text[b - 1] in " \t\r\n":
        b -= 1
    return a, b


def _name_headers(text: str, lines: list[tuple[int, int]]) -> set[str]:
    """Names that head turns alone on their line: each at least twice, over a line of talk, two or more of them.

    A meeting export may put the speaker's name on a line of its own and the words on the next ones
    ("Ana Ruiz" / "How do you plan the week?"); a name said once is a title or a heading, not a speaker.
    """
    return name_header_lines([text[a:b] for a, b in lines])


def name_header_lines(lines: list[str]) -> set[str]:
    """_name_headers over a list of lines (the upload reader's)."""
    seen: Counter[str] = Counter()
    for k, raw in enumerate(lines[:-1]):
        line = raw.strip()
        following = lines[k + 1].strip()
        if (
            _NAME_LINE.match(line)
            and len(line.split()) <= 3
            and not is_note_label(line)
            and following
            and not _NAME_LINE.match(following)
            and not _BULLET.match(following)
        ):
            seen[line] += 1
    names = {n for n, c in seen.items() if c >= 2}
    return names if len(names) >= 2 else set()


def _speaker_turns(text: str, lines: list[tuple[int, int]]) -> list[tuple[str, int, int]] | None:
    """(speaker, start, end) turns when the text is a transcript, else None."""
    turns: list[tuple[str, int, int]] = []
    current: str | None = None
    headers = _name_headers(text, lines)
    numbered = bool(_NUMBERED_ANSWER.search(text))
    for k, (a, b) in enumerate(lines):
        line = text[a:b]
        if (_TIMECODE_LINE.match(line) or _BARE_TS_LINE.match(line)) and line.strip():
            continue
        if line.strip() in headers:
            current = line.strip()  # "Jane Doe" alone on a line over what she says (Google Meet, Docs exports)
            continue
        if k + 1 < len(lines) and _NAME_LINE.match(line) and _BARE_TS_LINE.match(text[slice(*lines[k + 1])]):
            current = line.strip()  # "Jane Doe" over "00:01:02" over the text (Google Meet)
            continue
        voiced = _VTT_VOICE.match(line) or _CAPTION_TURN.match(line)
        if voiced:
            if "name" in voiced.re.groupindex:
                current = voiced.group("name").strip()
            else:
                # Two voices taking turns: the interviewer is told apart by the questions (_interviewer).
                current = "Voice 2" if current == "Voice 1" else "Voice 1"
            turns.append((current, a + voiced.start("rest"), a + voiced.end("rest")))
            continue
        h = _SPEAKER_HEADER.match(line) or TIMESTAMP_FIRST_HEADER.match(line)
        if h:
            current = (h.groupdict().get("name") or h.group("name2")).strip()
            continue
        m = (
            _SPEAKER_LINE.match(line)
            or _KNOWN_SPEAKER_LINE.match(line)
            or _ROLE_DASH_LINE.match(line)
            or _BRACKETED_SPEAKER_LINE.match(line)
        )
        if m and _is_meta_label(m.group("name")):
            current = None  # "Attendees: ...", "Summary: ...": about the meeting, nobody's turn
            continue
        if m and not is_note_label(m.group("name")):
            current = m.group("name").strip()
            current = _NUMBERED_QA.sub(r"\1", current) if numbered else current
            stamp = LEADING_TIMESTAMP.match(line, m.start("rest"))
            rs = a + (stamp.end() if stamp else m.start("rest"))
            turns.append((current, rs, b))
            continue
        if current is not None and line.strip():
            # A continuation line belongs to the current speaker; a voice span's closing tag is markup.
            closing = _CLOSING_TAGS.search(line)
            if closing:
                b = a + closing.start()
            if turns and turns[-1][0] == current and turns[-1][2] >= a - 2:
                turns[-1] = (current, turns[-1][1], b)
            else:
                turns.append((current, a, b))
    speakers = Counter(s for s, _, _ in turns)
    if len(speakers) == 1 and next(iter(speakers)).lower() in PLACEHOLDER_NAMES and len(turns) >= 3:
        # Every turn is "Unknown Speaker": a turn that asks is the interviewer's, the rest answer.
        turns = [("Asking" if _asks(text[a:b]) else "Answering", a, b) for _, a, b in turns]
        return turns if len({n for n, _, _ in turns}) == 2 else None
    known = {s for s in speakers if role_words(s) & (_INTERVIEWER_NAMES | _INTERVIEWEE_NAMES)}
    # Two turns are a transcript when a speaker is named for the role ("Interviewer:", "Participant:"):
    # one question and its answer, pasted on their own, must still lose the question.
    if len(speakers) < 2 or len(turns) < (2 if known else 3):
        return None
    if not known and sum(1 for c in speakers.values() if c >= 2) < 2:
        return None
    # Nobody asks: a log of who said what ("10:30 Dana" in a note-taker's day, "Customer - wants X"), or
    # a header block over notes ("Interviewer - Sam"), not an interview. Read as notes, every word kept.
    if not any(_asks(text[a:b]) for _, a, b in turns):
        return None
    return turns


_QUESTION_OPENING = re.compile(
    r"(?:^|\b(?:so|and|okay|ok|right|um|uh)\s+)(?:what|how|why|when|where|who|which|tell me|walk me|"
    r"(?:do|does|did|can|could|would|is|are|have|has)\s+(?:you|your|it|that|there|they))\b",
    re.I,
)


ASKING_TURN_WORDS = 60
_ASKING_PHRASE = re.compile(
    r"\b(?:walk|talk|take) (?:me|us) through\b|\btell (?:me|us) (?:about|more|what|how|why)\b", re.I
)


def _asks(turn: str) -> bool:
    """A turn of a speaker nobody named is the interviewer's when it asks and says little else."""
    turn = turn.strip()
    words = len(turn.split())
    if turn.endswith("?") or ("?" in turn and words <= ASKING_TURN_WORDS):
        return True
    # "Okay, we're recording. Just tell me about your day.": asked without a question mark.
    return words <= ASKING_TURN_WORDS // 2 and bool(_QUESTION_OPENING.search(turn) or _ASKING_PHRASE.search(turn))


def _interviewer(text: str, turns: list[tuple[str, int, int]]) -> set[str]:
    names = {s for s, _, _ in turns}
    if {"Asking", "Answering"} == names:
        return {"Asking"}
    # "a:" / "b:" name no role ("a" is not "answer" here): the questions decide.
    letters = len(names) >= 2 and {s.lower() for s in names} <= set("abcd")
    names_role = set() if letters else names
    named = {s for s in names_role if role_words(s) & _INTERVIEWER_NAMES}
    if named == names:
        named = set()  # "AI:" interviewing "Me:": the labels put everyone on one side, so the questions decide
    if named:
        return named
    answering = {s for s in names_role if role_words(s) & _INTERVIEWEE_NAMES}
    if answering and answering != names:
        return names - answering
    # The speaker whose turns are mostly questions asks them (a question mark, or, in unpunctuated
    # captions, a question's opening); of two who ask as often, the one who says less.
    said = {s: [text[a:b] for n, a, b in turns if n == s] for s in names}
    rate = {s: sum("?" in t or bool(_QUESTION_OPENING.search(t)) for t in own) / len(own) for s, own in said.items()}
    spoken = {s: sum(len(t.split()) for t in own) for s, own in said.items()}
    best = max(rate.values())
    top = [s for s, r in rate.items() if r == best and r > 0]
    asking = {min(top, key=lambda s: spoken[s])} if top else {turns[0][0]}
    # A third voice on the call (a colleague sitting in) who says little and asks something is on
    # the interviewer's side: "Is that something you track somewhere?" is not the interviewee's.
    words: Counter[str] = Counter()
    for n, a, b in turns:
        words[n] += len(text[a:b].split())
    most = max(words.values())
    for s in names - asking:
        if rate[s] > 0 and words[s] * 4 < most and len(names) > 2:
            asking.add(s)
    return asking


# Questions about the call itself, not the work: "Can you hear me?", "Can you see the red dot?".
_CALL_CHECK = re.compile(
    r"\bhear (?:me|you|us)\b|\bsee (?:me|my|the|it|that)\b.*\b(?:screen|dot|camera|video)\b|\brecording\b|"
    r"\b(?:audio|mic|microphone|camera|connection|mute[d]?|zoom|teams link)\b",
    re.I,
)
SMALL_TALK_WORDS = 40


def _from_turns(text: str, turns: list[tuple[str, int, int]], default: str | None) -> list[Piece]:
    asking = _interviewer(text, turns)
    pieces: list[Piece] = []
    topic, question = default, ""
    # Until the interviewer asks about the work, short replies are greetings and call logistics
    # ("Sorry about the noise, they're redoing the roof"), not the interviewee's work.
    started = False
    for name, a, b in turns:
        if name in asking:
            q = text[a:b]
            # Thanks and small talk keep the previous topic; a real question sets a new one.
            # A question cut off mid-way ("And then what —") is still a question: it leaves the old topic.
            asked = "?" in q or q.rstrip().endswith(("—", "–", "--", "...", "…"))  # noqa: RUF001
            topic = classify_question(q) or (topic if not asked else None) or default
            question = q
            if topic is not None or (asked and not _CALL_CHECK.search(q)):
                started = True
            continue
        a, b = _trim(text, a, b)
        if not started and len(text[a:b].split()) <= SMALL_TALK_WORDS:
            continue
        started = True
        if a < b:
            pieces.append(Piece(a, b, topic, question, spoken=True))
    return pieces


HEADING_WORDS = 4


def _is_plain_heading(text: str, lines: list[tuple[int, int]], k: int) -> bool:
    """A few words alone on a line, with bullets under them: "Pain points", "WTP", "Follow-ups"."""
    line = text[lines[k][0] : lines[k][1]].strip()
    if not line or _BULLET.match(line) or line[-1] in ".?!,;" or len(line.split()) > HEADING_WORDS:
        return False
    following = next((text[a:b] for a, b in lines[k + 1 :] if text[a:b].strip()), "")
    return bool(_BULLET.match(following))


def _from_notes(text: str, lines: list[tuple[int, int]], default: str | None) -> list[Piece]:
    """Markdown or bullet notes: bold questions dropped, labels turned into topics, one piece per line."""
    pieces: list[Piece] = []
    topic, question = default, ""
    inline_questions = sum(1 for a, b in lines if _NOTE_QUESTION_LEAD.match(text[a:b])) >= 2
    for k, (a, b) in enumerate(lines):
        line = text[a:b]
        if not line.strip():
            continue
        if _is_plain_heading(text, lines, k):
            topic = classify_question(line) or default
            question = line.strip()
            continue
        bm = _BULLET.match(line)
        if bm:
            a += bm.end()
            line = text[a:b]
        m = _BOLD_LINE.match(line) or _HEADING.match(line)
        if m:
            head = m.group("head").strip()
            label = head.rstrip(":：").strip()  # noqa: RUF001
            rest = m.group("rest") if "rest" in m.groupdict() else ""
            topic = classify_question(label) or default
            question = head
            if not (rest or "").strip():
                continue  # a question or heading alone on its line: not the interviewee's words
            s, e = _trim(text, a + m.start("rest"), b)
            s += len(text[s:e]) - len(text[s:e].lstrip(":： \t"))  # noqa: RUF001
            if s < e:
                pieces.append(Piece(s, e, topic, question))
            continue
        lm = _LABEL.match(line)
        if lm and lm.group("label").strip().lower() in _LABEL_TOPICS:
            t = _LABEL_TOPICS[lm.group("label").strip().lower()]
            s, e = _trim(text, a + lm.end(), b)
            if s < e:
                pieces.append(Piece(s, e, t, lm.group("label")))
            continue
        if _NOTE_QUESTION.match(line) or _NOTE_QUESTION_TO_YOU.match(line):
            # "- What's broken?" in a note-taker's list: the script question, not the interviewee.
            topic = classify_question(line) or default
            question = line.strip()
            continue
        lead = _NOTE_QUESTION_LEAD.match(line) if inline_questions else None
        if lead:
            topic = classify_question(lead.group("question")) or default
            question = lead.group("question")
            a += lead.end()
        s, e = _trim(text, a, b)
        if s < e:
            pieces.append(Piece(s, e, topic, question))
    return pieces


# Windows line ends, old Mac ones, and the spaces a word processor or an exporter writes instead of
# a plain one ("Jane Doe\u00a0 0:03"): read as "\n" and " ", one character for one so offsets still hold.
_CR = re.compile(r"\r\n?")
_ODD_SPACES = str.maketrans(dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000\ufeff", " "))


def same_length_plain(text: str) -> str:
    """`text` with CR line ends and unusual spaces made plain, every offset unchanged."""
    return _CR.sub(lambda m: " \n" if len(m.group()) == 2 else "\n", text).translate(_ODD_SPACES)


def interviewee_pieces(text: str, default_topic: str | None = None) -> list[Piece]:
    """The interviewee's words in a field, as pieces with offsets into `text`."""
    if not text or not text.strip():
        return []
    text = same_length_plain(text)
    lines = _lines(text)
    if len(lines) > 1:
        turns = _speaker_turns(text, lines)
        if turns:
            return _from_turns(text, turns, default_topic)
        return _from_notes(text, lines, default_topic)
    s, e = _trim(text, 0, len(text))
    # Single line: still honour a leading "Label:" ("WTP: $50/mo").
    lm = _LABEL.match(text[s:e])
    if lm and lm.group("label").strip().lower() in _LABEL_TOPICS:
        return [Piece(s + lm.end(), e, _LABEL_TOPICS[lm.group("label").strip().lower()], lm.group("label"))]
    return [Piece(s, e, default_topic)] if s < e else []
