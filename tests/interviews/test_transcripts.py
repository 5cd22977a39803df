"""Reading uploaded transcripts into speakers: pure parsing, no database."""

import io
from datetime import date
from pathlib import Path

import pytest

from interviews.importers import (
    ImportFileError,
    guess_interviewee,
    interviewee_notes,
    is_personal_name,
    read_transcript,
)

DATA = Path(__file__).parent / "data"
VTT = DATA / "call_2026-01-12.vtt"


def test_vtt_voice_tags_are_the_speakers_and_the_file_name_the_date():
    t = read_transcript(VTT.name, VTT.read_bytes())
    assert [(s.name, s.turns) for s in t.speakers] == [("Sam Lee", 2), ("Dana Ortiz", 2)]
    assert t.interviewed_on == date(2026, 1, 12)
    assert t.company == "Ledgerline"
    dana = t.speakers[1]
    assert dana.sample.startswith("Mostly chasing payouts. Reconciling them by hand eats about four hours")
    assert guess_interviewee(t.speakers) == "Dana Ortiz" and is_personal_name("Dana Ortiz")
    assert "<b>" not in t.text and "Google Sheet" in t.text


def test_cue_markup_and_word_timings_never_reach_the_text():
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Sam>How do you handle<00:00:01.500><c> invoices</c> today?</v>\n\n"
        "00:00:04.500 --> 00:00:09.000\n<v Dana><c.colorE5E5E5>Honestly</c> it's a mess,<00:00:05.200><c> we"
        "</c><00:00:05.400><c> re-key every invoice by hand</c> into the ledger.</v>\n"
    )
    t = read_transcript("call.vtt", vtt.encode())
    assert [s.name for s in t.speakers] == ["Sam", "Dana"]
    assert "<" not in t.text and ">" not in t.text
    assert "Honestly it's a mess, we re-key every invoice by hand into the ledger." in t.text


def test_only_the_interviewees_words_are_analysed():
    t = read_transcript(VTT.name, VTT.read_bytes())
    notes = interviewee_notes(t, "Dana Ortiz")
    assert notes.splitlines() == [
        "Interviewer: Thanks for joining. What does a typical day look like?",
        "Interviewee: Mostly chasing payouts. Reconciling them by hand eats about four hours a week, "
        "and it is killing us.",
        "Interviewer: How are you solving this now?",
        "Interviewee: A Google Sheet that breaks every month end.",
    ]
    # The PM may pick the other speaker: then Sam's words are the ones analysed.
    assert interviewee_notes(t, "Sam Lee").splitlines()[0].startswith("Interviewee: Thanks for joining")


def test_the_interviewee_extraction_sees_is_the_one_picked():
    """The extraction package drops "Interviewer:" lines: picking a speaker decides what is analysed."""
    from interviews.transcripts import interviewee_pieces

    t = read_transcript(VTT.name, VTT.read_bytes())
    notes = interviewee_notes(t, "Dana Ortiz")
    analysed = " ".join(notes[p.start : p.end] for p in interviewee_pieces(notes))
    assert "Google Sheet" in analysed and "typical day" not in analysed


@pytest.mark.parametrize(
    ("name", "text", "speakers", "guess"),
    [
        (
            "call.txt",
            "Date: 2026-02-03\nParticipant: Priya Shah\n\nInterviewer: What's broken?\n"
            "Priya: Month-end close. It takes two days.\nInterviewer: Anything else?\nPriya: Audits.\n",
            ["Interviewer", "Priya"],
            "Priya",
        ),
        (
            "call.md",
            "**Q:** How do you track it?\n**Alex Kim:** In a spreadsheet, badly.\n**Q:** How long?\n"
            "**Alex Kim:** Three hours a week.\n",
            ["Q", "Alex Kim"],
            "Alex Kim",
        ),
        (
            "otter.txt",
            "Speaker 1  0:04\nSo how do you handle compliance today?\nSpeaker 2  0:09\n"
            "Honestly with a shared drive and a lot of hope, it is a mess.\nSpeaker 1  0:20\nWhy?\n"
            "Speaker 2  0:22\nBecause nobody owns it.\n",
            ["Speaker 1", "Speaker 2"],
            "Speaker 2",
        ),
        (
            "names.srt",
            "1\n00:00:01,000 --> 00:00:03,000\nMo: What would you pay?\n\n"
            "2\n00:00:04,000 --> 00:00:08,000\nLee: Maybe two hundred a month if it saved the day.\n\n"
            "3\n00:00:09,000 --> 00:00:10,000\nMo: Per seat?\n\n4\n00:00:11,000 --> 00:00:12,000\nLee: For the team.\n",
            ["Mo", "Lee"],
            "Lee",
        ),
    ],
)
def test_speakers_in_text_markdown_otter_and_srt(name, text, speakers, guess):
    t = read_transcript(name, text.encode())
    assert [s.name for s in t.speakers] == speakers
    assert guess_interviewee(t.speakers) == guess


def test_stated_participant_and_date_are_read_not_taken_as_talk():
    t = read_transcript(
        "call.txt",
        b"Date: 3 February 2026\nParticipant: Priya Shah\nRole: Controller\nInterviewer: Hi?\nPriya: Hello.\n",
    )
    assert (t.participant_name, t.role, t.interviewed_on) == ("Priya Shah", "Controller", date(2026, 2, 3))
    assert [s.name for s in t.speakers] == ["Interviewer", "Priya"]


def test_who_talks_most_is_the_guess_when_no_one_asks():
    t = read_transcript("x.txt", b"Ann: Short.\nBob: A much longer answer about how reporting hurts us every week.\n")
    assert guess_interviewee(t.speakers) == "Bob"


def test_a_labelled_interviewee_wins_and_generic_labels_are_no_names():
    t = read_transcript("x.txt", b"Interviewer: Why?\nInterviewee: Because.\nInterviewer: Go on?\n")
    assert guess_interviewee(t.speakers) == "Interviewee"
    assert not is_personal_name("Interviewee") and not is_personal_name("Speaker 2")


def test_docx_paragraphs_are_lines():
    import docx

    document = docx.Document()
    for line in ("Interviewer: What is broken?", "Jo Park: Invoicing.", "Interviewer: How often?", "Jo Park: Daily."):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    t = read_transcript("jo.docx", buffer.getvalue())
    assert guess_interviewee(t.speakers) == "Jo Park"
    assert interviewee_notes(t, "Jo Park").count("Interviewee:") == 2


def test_plain_notes_without_speakers_are_kept_whole():
    t = read_transcript("notes.txt", b"They reconcile by hand.\nIt takes hours.\n")
    assert t.speakers == [] and not t.has_speakers
    assert interviewee_notes(t, "") == "They reconcile by hand.\nIt takes hours."


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("x.pdf", b"%PDF", "unknown file type .pdf"),
        ("x.vtt", b"not a vtt", "first line must be WEBVTT"),
        ("x.txt", b"\xff\xfe\x00bad", "not UTF-8"),
        ("x.txt", b"   \n\n", "no text found"),
        ("x.docx", b"not a zip", "not a readable .docx"),
    ],
)
def test_unreadable_files_say_why(name, raw, message):
    with pytest.raises(ImportFileError, match=message):
        read_transcript(name, raw)


@pytest.mark.parametrize(
    "text",
    [
        "0:00 | Lena Ortiz\nWhere does your week go?\n0:05 | Marco Bell\nReconciling the tip pool by hand.\n"
        "0:14 | Lena Ortiz\nWhat would a fix be worth?\n0:18 | Marco Bell\nNinety a month.\n",
        "[00:00:00] Lena Ortiz\nWhere does your week go?\n\n"
        "[00:00:05] Marco Bell\nReconciling the tip pool by hand.\n\n"
        "[00:00:14] Lena Ortiz\nWhat would a fix be worth?\n\n[00:00:18] Marco Bell\nNinety a month.\n",
        "Lena Ortiz: [00:00:00] Where does your week go?\n\n"
        "Marco Bell: [00:00:05] Reconciling the tip pool by hand.\n\n"
        "Lena Ortiz: [00:00:14] What would a fix be worth?\n\nMarco Bell: [00:00:18] Ninety a month.\n",
    ],
    ids=["timestamp | name", "[timestamp] name", "name: [timestamp] words"],
)
def test_uploads_from_more_recorders_name_their_speakers(text):
    t = read_transcript("call.txt", text.encode())
    assert [s.name for s in t.speakers] == ["Lena Ortiz", "Marco Bell"]
    assert guess_interviewee(t.speakers) == "Marco Bell"
    notes = interviewee_notes(t, "Marco Bell")
    assert "Interviewee: Reconciling the tip pool by hand." in notes.splitlines()
    assert "00:0" not in notes
