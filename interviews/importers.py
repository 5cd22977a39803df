"""Parse import files into rows. Pure parsing and validation: no database access here.

Every problem is reported as `line N: what is wrong`, so a user can fix the file and re-run.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from interviews.models import PARTICIPANT_FIELDS, UsageType
from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT_KEYS

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
    return str(value)


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
            answers = dict(data.get("answers") or {}) if "answers" in data else {}
            if not isinstance(data.get("answers", {}), dict):
                raise RowError("answers must be an object keyed by script question")
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
    """One transcript file becomes one interview; its text goes to notes, where speakers are sorted out."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        text = _docx_text(raw)
    else:
        text = decode(raw, path.name)
        if suffix == ".vtt":
            text = _cues_text(text, vtt=True)
        elif suffix == ".srt":
            text = _cues_text(text, vtt=False)
    result = ParseResult()
    try:
        data = {"id": path.stem, "notes": text, "participant": {"name": path.stem.replace("_", " ").replace("-", " ")}}
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


def _cues_text(text: str, *, vtt: bool) -> str:
    if vtt:
        import webvtt

        captions = webvtt.from_buffer(io.StringIO(text))
        return "\n".join(c.text for c in captions.captions)
    import srt

    try:
        return "\n".join(s.content for s in srt.parse(text))
    except srt.SRTParseError as exc:
        raise ImportFileError(f"not a valid .srt file ({exc})") from None


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
