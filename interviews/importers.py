"""Parse import files into rows. Pure parsing and validation: no database access here.

Every problem is reported as `line N: what is wrong`, so a user can fix the file and re-run.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import srt

from interviews.models import PARTICIPANT_FIELDS, UsageType
from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT_KEYS
from interviews.transcripts import (
    LEADING_TIMESTAMP,
    PLACEHOLDER_NAMES,
    ROLE,
    TIMESTAMP_FIRST_HEADER,
    UPPER,
    is_note_label,
    name_header_lines,
    role_words,
    same_length_plain,
)

JSONL_KEYS = ("id", "segment", "participant", "interviewed_on", "answers", "notes", "gold", *SCRIPT_KEYS)
CSV_COLUMNS = ("id", "interviewed_on", *(f"participant_{k}" for k in PARTICIPANT_FIELDS), *SCRIPT_KEYS, "notes")
TRANSCRIPT_SUFFIXES = (".txt", ".md", ".vtt", ".srt", ".docx")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong encoding, unknown format)."""


@dataclass
class ImportRow:
    line: int
    external_id: str
    participant: dict[str, Any]
    answers: dict[str, str]
    notes: str = ""
    interviewed_on: date | None = None


@dataclass
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class RowError(ValueError):
    pass


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise RowError(f"{name} must be text, got {type(value).__name__}")
    text = str(value)
    if "\x00" in text:
        # PostgreSQL cannot store it in text: say so here rather than fail the whole import there.
        raise RowError(f"{name} contains a NUL character (\\x00); remove it and retry")
    return text


def _participant(data: Any) -> dict[str, Any]:
    if data is None:
        data = {}  # an anonymous interview: no participant details at all
    if not isinstance(data, dict):
        raise RowError("participant must be an object (its fields may all be left out)")
    unknown = sorted(set(data) - set(PARTICIPANT_FIELDS))
    if unknown:
        raise RowError(f"unknown participant field(s) {', '.join(unknown)}; valid: {', '.join(PARTICIPANT_FIELDS)}")
    # Anonymised interviews have no name: the pages show "Participant N".
    name = _text(data.get("name"), "participant.name").strip()
    team_size = data.get("team_size")
    if team_size in ("", None):
        team_size = None
    else:
        try:
            team_size = int(team_size)
        except (TypeError, ValueError):
            raise RowError(f"participant.team_size must be a whole number, got {team_size!r}") from None
        if team_size < 0:
            raise RowError("participant.team_size cannot be negative")
    usage = _text(data.get("usage"), "participant.usage").strip() or UsageType.NOTHING.value
    if usage not in UsageType.values:
        raise RowError(f"participant.usage {usage!r} is not one of {', '.join(UsageType.values)}")
    return {
        "name": name[:200],
        "company": _text(data.get("company"), "participant.company")[:200],
        "role": _text(data.get("role"), "participant.role")[:200],
        "team_size": team_size,
        "usage": usage,
        "competitor": _text(data.get("competitor"), "participant.competitor")[:200],
    }


def _answers(data: Any) -> dict[str, str]:
    if not isinstance(data, dict):
        raise RowError("answers must be an object keyed by script question")
    unknown = sorted(set(data) - set(SCRIPT_KEYS))
    if unknown:
        raise RowError(f"unknown script key(s) {', '.join(unknown)}; valid keys: {', '.join(SCRIPT_KEYS)}")
    answers = {key: _text(data.get(key), key) for key in SCRIPT_KEYS}
    for key, value in answers.items():
        if len(value) > MAX_ANSWER_CHARS:
            raise RowError(f"{key} is {len(value):,} characters; the limit is {MAX_ANSWER_CHARS:,}")
    return answers


def _notes(value: Any) -> str:
    notes = _text(value, "notes")
    if len(notes) > MAX_NOTES_CHARS:
        raise RowError(f"notes are {len(notes):,} characters; the limit is {MAX_NOTES_CHARS:,}")
    return notes


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RowError(f"interviewed_on {value!r} is not a date like 2026-01-31") from None


def _row(line: int, data: dict[str, Any], answers: Any) -> ImportRow:
    external_id = _text(data.get("id"), "id").strip()
    if not external_id:
        raise RowError("id is required (it makes re-imports update instead of duplicate)")
    if len(external_id) > 200:
        raise RowError("id is longer than 200 characters")
    answers = _answers(answers)
    notes = _notes(data.get("notes"))
    if not any(v.strip() for v in answers.values()) and not notes.strip():
        raise RowError("no answers and no notes: there is nothing to analyse")
    return ImportRow(
        line=line,
        external_id=external_id,
        participant=_participant(data.get("participant")),
        answers=answers,
        notes=notes,
        interviewed_on=_date(data.get("interviewed_on")),
    )


def decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} is not UTF-8 (byte 0x{raw[exc.start]:02x} at position {exc.start}). Re-save it as UTF-8 and retry."
        ) from None


def parse_jsonl(text: str) -> ParseResult:
    result = ParseResult()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise RowError("each line must be a JSON object")
            unknown = sorted(set(data) - set(JSONL_KEYS))
            if unknown:
                raise RowError(f"unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(JSONL_KEYS)}")
            # Answers may come nested under "answers" or as top-level script keys.
            if not isinstance(data.get("answers") or {}, dict):
                raise RowError("answers must be an object keyed by script question")
            answers = dict(data.get("answers") or {})
            answers.update({k: data[k] for k in SCRIPT_KEYS if k in data})
            result.rows.append(_row(number, data, answers))
        except json.JSONDecodeError as exc:
            result.errors.append(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})")
        except RowError as exc:
            result.errors.append(f"line {number}: {exc}")
    _check_duplicate_ids(result)
    return result


def parse_csv(text: str) -> ParseResult:
    result = ParseResult()
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    unknown = sorted(set(columns) - set(CSV_COLUMNS))
    if unknown:
        result.errors.append(f"line 1: unknown column(s) {', '.join(unknown)}; valid columns: {', '.join(CSV_COLUMNS)}")
        return result
    if "id" not in columns:
        result.errors.append("line 1: the header needs at least the column id")
        return result
    for record in reader:
        number = reader.line_num
        record = {(k or "").strip(): v for k, v in record.items()}
        if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
            continue  # a blank line in a spreadsheet export
        try:
            data = {
                "id": record.get("id"),
                "interviewed_on": record.get("interviewed_on"),
                "notes": record.get("notes"),
                "participant": {k: record.get(f"participant_{k}") for k in PARTICIPANT_FIELDS},
            }
            result.rows.append(_row(number, data, {k: record.get(k) or "" for k in SCRIPT_KEYS}))
        except RowError as exc:
            result.errors.append(f"line {number}: {exc}")
    _check_duplicate_ids(result)
    return result


def parse_transcript(path: Path, raw: bytes) -> ParseResult:
    """One transcript file becomes one interview; its text goes to notes, where speakers are sorted out.

    The speakers keep their names ("Name: text" lines, VTT voice tags included); the participant is
    the one the file states, else the guessed interviewee when that is a person's name, else the
    file name. The upload page asks the PM instead of guessing.
    """
    transcript = read_transcript(path.name, raw)
    guess = guess_interviewee(transcript.speakers) or ""
    name = transcript.participant_name or (guess if is_personal_name(guess) else "")
    result = ParseResult()
    try:
        data = {
            "id": path.stem,
            "notes": transcript.text,
            "interviewed_on": transcript.interviewed_on.isoformat() if transcript.interviewed_on else None,
            "participant": {
                "name": name or path.stem.replace("_", " ").replace("-", " "),
                "company": transcript.company,
                "role": transcript.role,
            },
        }
        result.rows.append(_row(1, data, {}))
    except RowError as exc:
        result.errors.append(f"line 1: {exc}")
    return result


def _docx_text(raw: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several types for a broken file
        raise ImportFileError(f"not a readable .docx file ({type(exc).__name__})") from None
    return "\n".join(p.text for p in document.paragraphs)


def _check_duplicate_ids(result: ParseResult) -> None:
    seen: dict[str, int] = {}
    for row in result.rows:
        if row.external_id in seen:
            result.errors.append(f"line {row.line}: id {row.external_id!r} repeats line {seen[row.external_id]}")
        seen.setdefault(row.external_id, row.line)
    bad = {int(e.split(":")[0].split()[1]) for e in result.errors if e.startswith("line ")}
    result.rows = [r for r in result.rows if r.line not in bad]


def parse_file(path: Path) -> ParseResult:
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return parse_jsonl(decode(raw, path.name))
    if suffix == ".csv":
        return parse_csv(decode(raw, path.name))
    if suffix in TRANSCRIPT_SUFFIXES:
        return parse_transcript(path, raw)
    raise ImportFileError(
        f"{path.name}: unknown file type {suffix or '(none)'}; "
        f"use .jsonl, .csv or a transcript ({', '.join(TRANSCRIPT_SUFFIXES)})"
    )


# --- Transcripts with speakers (the upload on the interview form and the segment page) -------------

# A timestamp: "00:01", "[00:01:02]", "(1:02:03.450)", "2:14 PM".
_TS = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s?[AaPp]\.?[Mm]\.?)?[\])]?)"
_NAME = rf"[{UPPER}][\w.'’\-]*(?:[ \t]+(?:[{UPPER}\d][\w.'’\-]*|de|van|von|da|del|le|la)){{0,3}}"  # noqa: RUF001
_KNOWN_LABELS = (
    r"interviewer|interviewee|respondent|participant|customer|user|moderator|host|guest|ai|assistant|bot|me|q|a|b|c|d"
)
# "Dana: text", "**Dana:** text", "[00:12] Dana: text", "Dana (00:12): text", "- interviewer: text".
_SPEAKER_LINE = re.compile(
    rf"^[ \t]*(?:{_TS}[ \t]*)?(?:[-*][ \t]+)?(?:\*\*|__)?(?P<name>(?:{_NAME}|(?i:{_KNOWN_LABELS})){ROLE}?)"
    rf"(?:[ \t]*{_TS})?(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*(?P<rest>.*)$"
)
# A diarising tool's numbered speakers: "[speaker_0] text", "[SPEAKER 2]: text".
_BRACKETED_SPEAKER_LINE = re.compile(
    r"^[ \t]*\[(?P<name>[A-Za-z][A-Za-z _-]{0,20}\d{1,3})\][ \t]*:?[ \t]*(?P<rest>.+)$"
)
# "Speaker 1 00:04" or "Jane Doe  00:01:12" or "Speaker 2" alone on a line: the text follows below.
_SPEAKER_HEADER = re.compile(
    rf"^[ \t]*(?:{_TS}[ \t]*)?(?P<name>{_NAME})[ \t]+{_TS}[ \t]*:?[ \t]*$"
    rf"|^[ \t]*(?P<n2>Speaker[ \t]*\d+)[ \t]*:?[ \t]*$"
)
# Facts a transcript may state about itself, before the conversation starts (or in a VTT NOTE).
_META_LINE = re.compile(
    r"^[ \t]*(?:NOTE[ \t]+)?(?:\*\*|__)?(?P<key>date|interview date|interviewed on|participant|interviewee|"
    r"company|role)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*(?P<value>.+?)[ \t]*$",
    re.IGNORECASE,
)
_VTT_VOICE = re.compile(r"<v(?:\.[\w.\-]+)?[ \t]+(?P<name>[^>]{1,60})>")
# Cue markup: <b>, <c.colorE5E5E5>, </v>, and the word timings of auto-captions (<00:00:05.200>).
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?>")
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Not a speaker even when it looks like one: notes' labels ("Time: 4 hours", "Note: call back").
_NOT_SPEAKERS = {
    "note", "notes", "time", "risk", "date", "summary", "action", "action items", "next steps", "price",
    "pricing", "budget", "tools", "pain", "pains", "quote", "context", "background", "agenda", "topic",
    "wtp", "team", "url", "link", "http", "https", "todo", "follow up", "follow-up", "re", "subject",
}  # fmt: skip
# Speaker labels that name a role, not a person: never taken as the participant's name.
GENERIC_SPEAKERS = re.compile(
    rf"^(?:{_KNOWN_LABELS}|speaker[ \t]*\d*|voice[ \t]*\d*|unknown|p\d*|r|interviewer[ \t]*\d*)$", re.IGNORECASE
)
INTERVIEWER_LABELS = {
    "interviewer", "q", "moderator", "host", "researcher", "facilitator", "ai", "assistant", "bot", "me",
}  # fmt: skip
INTERVIEWEE_LABELS = {"interviewee", "respondent", "participant", "customer", "user", "guest", "a"}
SAMPLE_CHARS = 160


@dataclass
class Turn:
    speaker: str  # "" when the file names no one
    text: str


@dataclass
class Speaker:
    name: str
    words: int
    turns: int
    questions: int  # turns that ask something
    sample: str  # the speaker's first substantial line, for the PM to recognise them

    @property
    def question_share(self) -> float:
        return self.questions / self.turns if self.turns else 0.0


@dataclass
class Transcript:
    """A transcript file read into speaker turns, with what the file says about the interview."""

    filename: str
    turns: list[Turn]
    participant_name: str = ""
    company: str = ""
    role: str = ""
    interviewed_on: date | None = None

    @property
    def speakers(self) -> list["Speaker"]:
        return transcript_speakers(self.turns)

    @property
    def has_speakers(self) -> bool:
        return len(self.speakers) >= 2

    @property
    def text(self) -> str:
        """The whole conversation, one "Name: text" line a turn (a plain line when no one is named)."""
        return "\n".join(f"{t.speaker}: {t.text}" if t.speaker else t.text for t in self.turns)


def read_transcript(filename: str, raw: bytes) -> Transcript:
    """Read a .txt, .md, .vtt, .srt or .docx transcript into turns. ImportFileError when unreadable."""
    suffix = Path(filename).suffix.lower()
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise ImportFileError(
            f"{filename}: unknown file type {suffix or '(none)'}; upload {', '.join(TRANSCRIPT_SUFFIXES)}"
        )
    if suffix == ".docx":
        lines = _docx_text(raw).splitlines()
    else:
        text = same_length_plain(decode(raw, filename))
        if suffix == ".vtt":
            lines = _vtt_lines(text)
        elif suffix == ".srt":
            try:
                lines = [_TAG.sub("", line) for s in srt.parse(text) for line in s.content.splitlines()]
            except srt.SRTParseError as exc:
                raise ImportFileError(f"{filename}: not a valid .srt file ({exc})") from None
        else:
            lines = text.splitlines()
    transcript = Transcript(filename=filename, turns=[])
    _read_lines(transcript, lines)
    if transcript.interviewed_on is None and (m := _DATE_IN_NAME.search(Path(filename).stem)):
        transcript.interviewed_on = _parse_date("-".join(m.groups()))
    if not any(t.text.strip() for t in transcript.turns):
        raise ImportFileError(f"{filename}: no text found; is it the transcript?")
    return transcript


def _vtt_lines(text: str) -> list[str]:
    """A VTT file as "Name: text" lines (voice tags) and its NOTE lines; timings and cue ids dropped."""
    if not text.lstrip().startswith("WEBVTT"):
        raise ImportFileError("not a WebVTT file: the first line must be WEBVTT")
    lines: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        rows = [r for r in block.split("\n") if r.strip()]
        if not rows or rows[0].startswith("WEBVTT") or rows[0].startswith(("STYLE", "REGION")):
            continue
        if rows[0].startswith("NOTE"):
            lines.extend(["NOTE " + rows[0][4:].strip(), *rows[1:]])
            continue
        timing = next((k for k, r in enumerate(rows) if "-->" in r), None)
        if timing is None:
            continue
        for row in rows[timing + 1 :]:
            voice = _VTT_VOICE.search(row)
            spoken = _TAG.sub("", row).strip()
            lines.append(f"{voice.group('name').strip()}: {spoken}" if voice else spoken)
    return lines


def _read_lines(transcript: Transcript, lines: list[str]) -> None:
    turns = transcript.turns
    current = ""
    headers = name_header_lines(lines)
    # A tool that cannot tell voices apart names every turn the same ("Unknown Speaker  0:07"): there
    # each label starts a turn of its own, so the reader can still tell the questions from the answers.
    fresh = False
    for line in lines:
        if not line.strip():
            continue
        if line.strip() in headers:
            current = line.strip()  # "Jane Doe" alone on a line over her words (Google Meet, Docs exports)
            continue
        meta = _META_LINE.match(line)
        # Facts about the interview come before the talk (or in a VTT NOTE), never in the middle of it.
        before_talk = line.lstrip().startswith("NOTE") or not any(t.speaker for t in turns)
        if meta and before_talk and _take_meta(transcript, meta.group("key").lower(), meta.group("value")):
            continue
        header = _SPEAKER_HEADER.match(line) or TIMESTAMP_FIRST_HEADER.match(line)
        named = header and (header.group("name") or header.groupdict().get("n2"))
        if named and not _not_a_speaker(named):
            current = named.strip()
            fresh = True
            continue
        said = _SPEAKER_LINE.match(line) or _BRACKETED_SPEAKER_LINE.match(line)
        if said and not _not_a_speaker(said.group("name")):
            current = _label(said.group("name"))
            rest = LEADING_TIMESTAMP.sub("", said.group("rest"), count=1).strip()
            if rest:
                _add(turns, current, rest, new_turn=current.lower() in PLACEHOLDER_NAMES)
            fresh = False
            continue
        if re.fullmatch(rf"[ \t]*{_TS}[ \t]*", line):
            continue
        _add(turns, current, line.strip(), new_turn=fresh and current.lower() in PLACEHOLDER_NAMES)
        fresh = False


def _not_a_speaker(name: str) -> bool:
    return name.strip().lower() in _NOT_SPEAKERS or is_note_label(name)


def _label(name: str) -> str:
    name = " ".join(name.split())
    if len(name) == 1:
        return name.upper()  # "a:" / "b:" turns
    return name.capitalize() if name.lower() in INTERVIEWER_LABELS | INTERVIEWEE_LABELS else name


def _add(turns: list[Turn], speaker: str, text: str, *, new_turn: bool = False) -> None:
    # Lines of one speaker in a row are one turn (captions cut a sentence into several cues).
    if speaker and turns and turns[-1].speaker == speaker and not new_turn:
        turns[-1].text += " " + text
    else:
        turns.append(Turn(speaker, text))


def _take_meta(transcript: Transcript, key: str, value: str) -> bool:
    """Keep a stated fact; False when the line is talk after all ("Participant: I do it by hand...")."""
    value = value.strip().strip("*_").strip()
    if key in ("date", "interview date", "interviewed on"):
        parsed = _parse_date(value)
        if parsed is None:
            return False
        transcript.interviewed_on = parsed
        return True
    if len(value.split()) > 5 or re.search(r"[.?!,;]\s|[?!]$", value):
        return False
    if key in ("participant", "interviewee"):
        transcript.participant_name = value[:200]
    elif key == "company":
        transcript.company = value[:200]
    else:
        transcript.role = value[:200]
    return True


def _parse_date(value: str) -> date | None:
    from datetime import datetime

    value = value.strip().rstrip(".")
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def transcript_speakers(turns: list[Turn]) -> list[Speaker]:
    """The named speakers in order of first appearance, with how much and how they speak."""
    found: dict[str, Speaker] = {}
    for turn in turns:
        if not turn.speaker:
            continue
        s = found.setdefault(turn.speaker, Speaker(turn.speaker, 0, 0, 0, ""))
        s.words += len(turn.text.split())
        s.turns += 1
        s.questions += "?" in turn.text
        if len(s.sample) < 25 and len(turn.text) > len(s.sample):
            s.sample = turn.text if len(turn.text) <= SAMPLE_CHARS else turn.text[: SAMPLE_CHARS - 1] + "…"
    return list(found.values())


def guess_interviewee(speakers: list[Speaker]) -> str | None:
    """Who is interviewed: a speaker labelled so, else not the one asking the questions, else who talks most."""
    if not speakers:
        return None
    # "A:" answers a "Q:"; beside "B:" it is only a letter, and the questions tell who asks.
    letters = all(len(s.name) == 1 for s in speakers) and "q" not in {s.name.lower() for s in speakers}
    roles = {s.name: set() if letters else role_words(s.name) for s in speakers}
    for s in speakers:
        if roles[s.name] & INTERVIEWEE_LABELS:
            return s.name
    candidates = [s for s in speakers if not roles[s.name] & INTERVIEWER_LABELS] or speakers
    # Mostly questions: the interviewer. Among the rest, the one who says most.
    answering = [s for s in candidates if s.question_share < 0.5] or candidates
    return max(answering, key=lambda s: (s.words, -s.question_share)).name


def is_personal_name(speaker: str) -> bool:
    return bool(speaker) and not GENERIC_SPEAKERS.match(speaker.strip())


def interviewee_notes(transcript: Transcript, interviewee: str) -> str:
    """The notes an uploaded transcript is saved as: only `interviewee`'s words are analysed.

    Everyone else is labelled "Interviewer" (extraction drops those lines but reads the questions
    to know what an answer is about); with too few turns for that, only the interviewee's words.
    """
    if not transcript.has_speakers:
        return transcript.text
    theirs = [t for t in transcript.turns if t.speaker == interviewee]
    if len(transcript.turns) < 3 or len(theirs) == len(transcript.turns):
        return "\n".join(t.text for t in theirs)
    lines = []
    for turn in transcript.turns:
        if turn.speaker == interviewee:
            lines.append(f"Interviewee: {turn.text}")
        elif turn.speaker:
            lines.append(f"Interviewer: {turn.text}")
        # an unattributed line (before anyone is named) is nobody's words to analyse
    return "\n".join(lines)
