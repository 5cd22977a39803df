"""Every common transcript export, read through each path an interview takes into extraction.

The samples in tests/data/formats are invented interviews, one per export format (manifest.json: who
asks and who answers, distinctive words of each interviewer line, and the pains and workarounds the
interviewee states). For every format, and for each path (notes pasted or imported as they are; a
file uploaded, read into speakers and saved as the interviewee's notes), no interviewer line and no
speaker label, timestamp or cue number may reach a quote. The same holds when the file comes with
Windows line ends or odd spaces, or when its speakers have accented names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from insights.extraction import extract_many
from insights.extraction.pipeline import get_nlp
from interviews.importers import guess_interviewee, interviewee_notes, parse_transcript, read_transcript
from interviews.transcripts import interviewee_pieces

DATA = Path(__file__).parent / "data" / "formats"
MANIFEST: dict[str, dict] = json.loads((DATA / "manifest.json").read_text())
NAMES = sorted(MANIFEST)
# What a quote must never hold: a timestamp, a cue's timing, a header, markup, a placeholder speaker.
MARKUP = re.compile(r"\d{1,2}:\d{2}|-->|WEBVTT|</?v\b|\[speaker|\*\*|Unknown Speaker|^\s*\d+\s*$", re.M)


def _text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _labels(spec: dict) -> list[str]:
    """The speakers' full names ("Rosa Delgado", "speaker_1"): in a quote, a label that leaked."""
    return [n for n in (spec["interviewer"], spec["interviewee"]) if n and (" " in n or "_" in n)]


def _leaks(said: str, spec: dict) -> list[str]:
    asks = [a for a in spec["asks"] if a.lower() in said.lower()]
    labels = [m.group() for m in MARKUP.finditer(said)] + [n for n in _labels(spec) if n in said]
    return asks + labels


def _accented(text: str, spec: dict) -> tuple[str, dict]:
    spec = dict(spec)
    for role, new in (("interviewer", "Zoë Müller"), ("interviewee", "Íñigo Ñúñez-Ölander")):
        if spec[role] and " " in spec[role]:
            text, spec[role] = text.replace(spec[role], new), new
    return text, spec


VARIANTS = {
    "as exported": lambda t, s: (t, s),
    "windows line ends": lambda t, s: (t.replace("\n", "\r\n"), s),
    "no-break spaces": lambda t, s: (t.replace("  ", "\u00a0 "), s),
    "accented names": _accented,
}


def _upload_notes(name: str, text: str) -> str:
    transcript = read_transcript(name, text.encode("utf-8"))
    return interviewee_notes(transcript, guess_interviewee(transcript.speakers) or "")


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", NAMES)
def test_only_the_interviewee_is_read(name, variant):
    """Pasted as it is, or uploaded and saved as the interviewee's notes: their words, none of the rest."""
    text, spec = VARIANTS[variant](_text(name), MANIFEST[name])
    for notes in (text, _upload_notes(name, text)):
        pieces = interviewee_pieces(notes)
        said = "\n".join(notes[p.start : p.end] for p in pieces)
        assert _leaks(said, spec) == [], (name, variant, said)
        missing = [p for p in spec["pains"] + spec["workarounds"] if p.lower() not in said.lower()]
        assert missing == [], (name, variant)


@pytest.mark.parametrize("name", NAMES)
def test_the_upload_finds_the_speakers_and_the_interviewee(name):
    spec = MANIFEST[name]
    transcript = read_transcript(name, _text(name).encode("utf-8"))
    guess = guess_interviewee(transcript.speakers)
    if spec["interviewer"] is None:
        # Notes, or one placeholder voice: no one to choose, the reader tells questions from answers.
        assert not transcript.has_speakers, [s.name for s in transcript.speakers]
        return
    assert {s.name.lower() for s in transcript.speakers} == {spec["interviewer"].lower(), spec["interviewee"].lower()}
    assert (guess or "").lower() == spec["interviewee"].lower()
    # The interviewee's turns hold none of the interviewer's lines; every other named turn is one of them.
    for turn in (t for t in transcript.turns if t.speaker):
        asks = [a for a in spec["asks"] if a.lower() in turn.text.lower()]
        assert bool(asks) == (turn.speaker != guess), (turn.speaker, turn.text)


@pytest.fixture(scope="module")
def extractions():
    """Each sample extracted once per path, in one batch: {(name, path): Extraction}."""
    items, keys = [], []
    for name in NAMES:
        text = _text(name)
        paths = {
            "paste": text,
            "import": parse_transcript(DATA / name, text.encode("utf-8")).rows[0].notes,
            "upload": _upload_notes(name, text),
        }
        for path, notes in paths.items():
            keys.append((name, path))
            items.append(({}, notes))
    return dict(zip(keys, extract_many(items, nlp=get_nlp()), strict=True))


@pytest.mark.parametrize("path", ["paste", "import", "upload"])
@pytest.mark.parametrize("name", NAMES)
def test_quotes_hold_no_question_and_no_label(extractions, name, path):
    spec = MANIFEST[name]
    ex = extractions[(name, path)]
    leaks = {m.quote: _leaks(m.quote, spec) for m in ex.mentions if _leaks(m.quote, spec)}
    assert leaks == {}, (name, path)
    pains = " | ".join(m.quote.lower() for m in ex.mentions if m.kind == "pain")
    found = [p for p in spec["pains"] if p.lower() in pains]
    # The unit model decides what is a pain; the reader must hand it the interviewee's words, so most are found.
    assert len(found) * 3 >= len(spec["pains"]) * 2, (name, path, found)


def _said(text: str) -> str:
    return "\n".join(text[p.start : p.end] for p in interviewee_pieces(text))


_QA = [
    ("How do you plan your routes today?", "On paper, every morning. It takes an hour and I still miss stops."),
    ("What is the hardest part?", "Customers change addresses and nobody tells me."),
    ("How do you cope with that now?", "I call each customer the night before."),
]


@pytest.mark.parametrize(
    ("asker", "answerer"),
    [
        ("ai", "user"),  # lower-case role labels of an AI interviewer's export
        ("assistant", "user"),
        ("AI", "Me"),  # both labels name the asking side: the questions decide
        ("Interviewer (AI)", "Respondent"),
        ("Leah (PM)", "Nadia (Owner)"),
        ("INTERVIEWER", "RESPONDENT"),
        ("speaker_0", "speaker_1"),
        ("Zoë Müller", "Łukasz Ólafsson"),
    ],
)
def test_role_labels_of_every_kind(asker, answerer):
    text = "\n".join(f"{asker}: {q}\n{answerer}: {a}" for q, a in _QA)
    assert _said(text).splitlines() == [a for _, a in _QA]


def test_a_voice_span_over_several_lines_loses_its_closing_tag():
    text = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Ana Ruiz>How do you plan your routes today?</v>\n\n"
        "2\n00:00:05.000 --> 00:00:09.000\n<v Tom Becker>On paper, every morning.\n"
        "It takes an hour and I still miss stops.</v>\n\n"
        "3\n00:00:10.000 --> 00:00:12.000\n<v Ana Ruiz>How do you cope?</v>\n\n"
        "4\n00:00:13.000 --> 00:00:15.000\n<v Tom Becker>I call each customer the night before.</v>\n"
    )
    assert _said(text).splitlines() == [
        "On paper, every morning.",
        "It takes an hour and I still miss stops.",
        "I call each customer the night before.",
    ]


def test_lines_about_the_meeting_are_nobodys_words():
    text = (
        "Date: 3 March\nAttendees: Ana Ruiz, Tom Becker\n"
        "Ana: How do you plan your routes today?\nTom: On paper, every morning.\n"
        "Ana: What breaks?\nTom: Customers move and nobody tells me.\n"
        "Summary: routes on paper\nfollow up next week\n"
    )
    assert _said(text).splitlines() == ["On paper, every morning.", "Customers move and nobody tells me."]


def test_offsets_hold_with_windows_line_ends_and_odd_spaces():
    text = "Marcus Lee\u00a0 0:03\r\nHow do you handle repairs?\r\n\r\n"
    text += "Joanne Pike\u00a0 0:11\r\nBy email, and they sit for weeks.\r\n"
    text += "\r\nMarcus Lee\u00a0 0:20\r\nAnd then?\r\n\r\nJoanne Pike\u00a0 0:22\r\nI chase them on Fridays.\r\n"
    pieces = interviewee_pieces(text)
    assert [text[p.start : p.end] for p in pieces] == ["By email, and they sit for weeks.", "I chase them on Fridays."]
