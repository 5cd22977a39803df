"""Pasted transcripts in the formats recorders and caption tools export: only the interviewee's words count."""

import pytest

from interviews.transcripts import interviewee_pieces


def _said(text: str) -> str:
    return " ".join(text[p.start : p.end] for p in interviewee_pieces(text))


def test_speaker_number_with_timestamp_headers():
    text = (
        "Speaker 1 (00:00:02):\nThanks for making time. What does a normal week look like?\n\n"
        "Speaker 2 (00:00:07):\nMostly quoting jobs. The estimates take forever.\n\n"
        "Speaker 1 (00:00:15):\nHow do you handle that today?\n\n"
        "Speaker 2 (00:00:18):\nA spreadsheet my partner built.\n"
    )
    said = _said(text)
    assert "estimates take forever" in said and "spreadsheet my partner built" in said
    assert "What does a normal week" not in said and "How do you handle" not in said


def test_chat_client_headers_with_clock_times():
    text = (
        "Ruth Okoye   10:02 AM\nHi Sam, thanks for joining. What's the hardest part of running the kitchen?\n\n"
        "Sam Park   10:02 AM\nOrdering. We run out of produce on Fridays.\n\n"
        "Ruth Okoye   10:03 AM\nHow do you keep track of stock now?\n\n"
        "Sam Park   10:03 AM\nA clipboard on the walk-in door.\n"
    )
    pieces = interviewee_pieces(text)
    said = " ".join(text[p.start : p.end] for p in pieces)
    assert "run out of produce" in said and "clipboard" in said and "hardest part" not in said
    assert [p.topic for p in pieces] == ["whats_broken", "current_solution"]


@pytest.mark.parametrize("org", ["", " (Northwind)"])
def test_directory_names_last_first_over_the_text(org):
    text = (
        f"Okafor, Ruth{org}   0:05\nWhat does a normal week look like for the yard?\n"
        f"Brandt, Tomas{org}   0:09\nLoading trucks before six. The forklift is booked twice most days.\n"
        f"Okafor, Ruth{org}   0:21\nHow do you sort that out now?\n"
        f"Brandt, Tomas{org}   0:24\nI shout across the yard, honestly.\n"
    )
    assert _said(text) == (
        "Loading trucks before six. The forklift is booked twice most days. I shout across the yard, honestly."
    )


def test_a_note_that_starts_with_a_word_and_a_comma_and_a_time_stays_notes():
    text = "Later, Tomas 10:30\nSaid the forklift is booked twice most days.\nFollow up on pricing."
    assert _said(text) == text.replace("\n", " ")


def test_webvtt_voice_tags():
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.500\n<v Dana>So how do you schedule the crews today?</v>\n\n"
        "00:00:04.000 --> 00:00:08.000\n<v Luis>Whiteboard in the yard, and I text everyone the night before.</v>\n\n"
        "00:00:09.000 --> 00:00:10.000\n<v Dana>And what breaks?</v>\n\n"
        "00:00:11.000 --> 00:00:14.000\n<v Luis>Two crews show up at the same site.</v>\n"
    )
    said = _said(text)
    assert "Whiteboard in the yard" in said and "Two crews show up" in said
    assert "schedule the crews" not in said and "</v>" not in said and "<v" not in said


def test_unpunctuated_captions_tell_the_interviewer_by_the_questions():
    text = (
        ">> thanks for hopping on so what does a typical day look like for you\n"
        ">> i open the shop at six and the first hour is all invoices honestly it drags\n"
        ">> and how do you deal with the invoices right now\n"
        ">> i type them into quickbooks by hand every morning\n"
        ">> what would you pay for something that did that\n"
        ">> maybe fifty a month\n"
    )
    said = _said(text)
    assert "first hour is all invoices" in said and "quickbooks by hand" in said and "fifty a month" in said
    assert "typical day" not in said and "how do you deal" not in said


def test_a_question_cut_off_midway_still_changes_the_topic():
    text = (
        "Interviewer: How long does the weekly stocktake take?\n"
        "Owner: Most of Sunday, honestly.\n"
        "Interviewer: And then what —\n"
        "Owner: Then we over-order and a supplier could bill us $3,000 we didn't need to spend.\n"
    )
    pieces = interviewee_pieces(text)
    assert pieces[0].topic == "time_spent" and pieces[1].topic != "time_spent"


def test_plain_headings_over_bullets_name_the_section():
    text = (
        "Chef-owner, 40 covers\n\n"
        "Pain points\n* produce orders short every Friday\n* the POS and the books never agree\n\n"
        "WTP\n* $80-120/mo if it did ordering\n\n"
        "Follow-ups\n- send the ordering mockups\n"
    )
    topics = {text[p.start : p.end]: p.topic for p in interviewee_pieces(text)}
    assert topics["produce orders short every Friday"] == "whats_broken"
    assert topics["$80-120/mo if it did ordering"] == "willingness_to_pay"
    assert topics["send the ordering mockups"] is None


def test_meeting_export_with_name_and_time_on_their_own_lines():
    text = (
        "Ana Ruiz\n00:00:03\nThanks for joining. How do you plan the week's deliveries?\n\n"
        "Tom Becker\n00:00:09\nOn a whiteboard, and it's out of date by Tuesday.\n\n"
        "Ana Ruiz\n00:00:15\nWhat would that be worth to you?\n\n"
        "Tom Becker\n00:00:18\nA hundred a month, easy.\n"
    )
    pieces = interviewee_pieces(text)
    said = " ".join(text[p.start : p.end] for p in pieces)
    assert "whiteboard" in said and "hundred a month" in said and "deliveries?" not in said and "00:00" not in said
    assert pieces[-1].topic == "willingness_to_pay"


def test_lowercase_a_b_turns_where_a_asks():
    text = (
        "a: thanks for making time. what does a normal week look like\n"
        "b: mostly driving between jobs. the quotes take my evenings\n"
        "a: how do you keep track of parts\n"
        "b: a notebook in the van. i lose pages though\n"
        "a: anything else that gets in the way\n"
        "b: suppliers never answer the phone before nine\n"
    )
    said = _said(text)
    assert "quotes take my evenings" in said and "notebook in the van" in said and "suppliers never answer" in said
    assert "how do you keep track" not in said and "what does a normal week" not in said


def test_lowercase_a_b_turns_where_b_asks():
    text = (
        "b: ok so what does your day look like?\n"
        "a: i open the bakery at five and do the books after close, which is the part i hate\n"
        "b: how do you do the books now?\n"
        "a: shoebox of receipts and a spreadsheet on sundays\n"
        "b: and when it goes wrong?\n"
        "a: the accountant bills me extra to sort it out\n"
    )
    said = _said(text)
    assert "shoebox of receipts" in said and "accountant bills me extra" in said
    assert "how do you do the books" not in said and "when it goes wrong" not in said


def test_srt_with_bracketed_speaker_labels():
    text = (
        "1\n00:00:01,000 --> 00:00:04,000\n[speaker_1]: What slows your week down the most?\n\n"
        "2\n00:00:04,500 --> 00:00:09,000\n[speaker_2]: Chasing landlords for signatures on every lease renewal.\n\n"
        "3\n00:00:09,500 --> 00:00:11,000\n[speaker_1]: How do you chase them?\n\n"
        "4\n00:00:11,500 --> 00:00:15,000\n[speaker_2]: Text reminders from my own phone, every other day.\n"
    )
    said = _said(text)
    assert "Chasing landlords" in said and "Text reminders" in said
    assert "[speaker" not in said and "What slows" not in said and "How do you chase" not in said
    assert "-->" not in said


def test_every_turn_an_unknown_speaker():
    text = (
        "Unknown Speaker  0:00\nOkay, we're recording. Just walk me through a normal day for you.\n\n"
        "Unknown Speaker  0:05\nI run the front desk at a physio clinic. Phones all morning, and the "
        "insurance forms eat my afternoons.\n\n"
        "Unknown Speaker  0:20\nAnd how do you handle the forms today?\n\n"
        "Unknown Speaker  0:24\nI fill them by hand and scan them. Half of them come back anyway.\n"
    )
    said = _said(text)
    assert "insurance forms eat my afternoons" in said and "fill them by hand" in said
    assert "walk me through" not in said and "how do you handle" not in said and "Unknown Speaker" not in said


def test_one_question_and_its_answer_is_a_transcript():
    from interviews.transcripts import interviewee_pieces

    text = "Interviewer: How do you handle it now?\nParticipant: We keep a paper log at the front desk."
    pieces = interviewee_pieces(text)
    assert [text[p.start : p.end] for p in pieces] == ["We keep a paper log at the front desk."]
    assert pieces[0].question == "How do you handle it now?"


_ASK, _ANSWER = "Where does your week go, honestly", "Reconciling the tip pool by hand takes my whole Monday."
_ASK2, _ANSWER2 = (
    "And what would a fix be worth to you",
    "Probably ninety a month, if it handled the payroll export too.",
)


@pytest.mark.parametrize(
    ("layout", "text"),
    [
        (  # the timestamp, a bar, then the name (Gong)
            "timestamp | name",
            f"0:00 | Lena Ortiz\n{_ASK}?\n0:05 | Marco Bell\n{_ANSWER}\n0:14 | Lena Ortiz\n{_ASK2}?\n"
            f"0:18 | Marco Bell\n{_ANSWER2}\n",
        ),
        (  # the timestamp, a dash, the name and an organisation (Fathom)
            "timestamp - name (org)",
            f"0:00 - Lena Ortiz (Tipjar)\n  {_ASK}?\n\n0:05 - Marco Bell\n  {_ANSWER}\n\n"
            f"0:14 - Lena Ortiz (Tipjar)\n  {_ASK2}?\n\n0:18 - Marco Bell\n  {_ANSWER2}\n",
        ),
        (  # a bracketed timestamp, then the name (Trint)
            "[timestamp] name",
            f"[00:00:00] Lena Ortiz\n{_ASK}?\n\n[00:00:05] Marco Bell\n{_ANSWER}\n\n"
            f"[00:00:14] Lena Ortiz\n{_ASK2}?\n\n[00:00:18] Marco Bell\n{_ANSWER2}\n",
        ),
        (  # the name, then the timestamp at the start of the words (Sonix)
            "name: [timestamp] words",
            f"Lena Ortiz: [00:00:00] {_ASK}?\n\nMarco Bell: [00:00:05] {_ANSWER}\n\n"
            f"Lena Ortiz: [00:00:14] {_ASK2}?\n\nMarco Bell: [00:00:18] {_ANSWER2}\n",
        ),
        (  # roles with a dash instead of a colon, in typed notes
            "Role - words",
            f"Interviewer - {_ASK}?\nRespondent - {_ANSWER}\nInterviewer - {_ASK2}?\nRespondent - {_ANSWER2}\n",
        ),
        (  # questions quoted as markdown, the answers under them
            "> question",
            f"> {_ASK}?\n{_ANSWER}\n> {_ASK2}?\n{_ANSWER2}\n",
        ),
        ("*question* in italics", f"*{_ASK}?*\n{_ANSWER}\n\n*{_ASK2}?*\n{_ANSWER2}\n"),
        ("numbered Q1:/A1:", f"Q1: {_ASK}?\nA1: {_ANSWER}\nQ2: {_ASK2}?\nA2: {_ANSWER2}\n"),
        ("question and answer on one line", f"{_ASK}? {_ANSWER}\n{_ASK2}? {_ANSWER2}\n"),
        (
            "name - timestamp",
            f"Lena Ortiz - 00:00\n{_ASK}?\nMarco Bell - 00:05\n{_ANSWER}\n"
            f"Lena Ortiz - 00:14\n{_ASK2}?\nMarco Bell - 00:18\n{_ANSWER2}\n",
        ),
        (
            "[name] clock time",
            f"[Lena Ortiz] 10:01:02\n{_ASK}?\n[Marco Bell] 10:01:07\n{_ANSWER}\n"
            f"[Lena Ortiz] 10:01:16\n{_ASK2}?\n[Marco Bell] 10:01:20\n{_ANSWER2}\n",
        ),
    ],
)
def test_more_recorders_and_note_styles_keep_only_the_answers(layout, text):
    from interviews.transcripts import interviewee_pieces

    pieces = [text[p.start : p.end].strip() for p in interviewee_pieces(text)]
    assert " ".join(pieces) == f"{_ANSWER} {_ANSWER2}", layout


def test_a_one_word_line_after_a_timestamp_is_words_not_a_speaker():
    text = (
        "Sam Reyes 0:00\nHow do you track the rota now?\n\n"
        "Jo Park 0:04\nA whiteboard in the back office.\n[00:09] Right.\nAnd a group chat for swaps.\n\n"
        "Sam Reyes 0:15\nWhat breaks?\n\nJo Park 0:17\nPeople swap and nobody updates the board.\n"
    )
    said = _said(text)
    assert "Right." in said and "group chat for swaps" in said and "nobody updates the board" in said
    assert "track the rota" not in said


def test_the_interviewees_own_question_in_notes_stays_theirs():
    # Asked of "you" it would be the note-taker's question; asked of "we" it is the interviewee thinking aloud.
    said = _said("Invoices come in on paper.\nWhat do we do? We type them up at night.\nNobody checks them twice.")
    assert "What do we do? We type them up at night." in said


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (  # a header block over plain notes is no conversation
            "Interviewer - Sam\nParticipant - Dana, dispatch lead\nRoutes are planned on a whiteboard.\n"
            "Drivers text photos of delivery notes.\nBilling waits on those photos.\n",
            ["Routes are planned on a whiteboard.", "Billing waits on those photos."],
        ),
        (  # a note-taker's day log: times and names, nobody asking
            "10:30 Dana\n- says the rota lives in a spreadsheet\n14:00 Marco\n- swaps happen in a group chat\n"
            "16:00 Dana\n- payroll export breaks every month\n17:30 Marco\n- nobody owns the rota\n",
            ["rota lives in a spreadsheet", "payroll export breaks every month", "nobody owns the rota"],
        ),
        (  # times of day the interviewee says are theirs
            "Sam: When does the day start?\nDana: 5:30 AM, and the board is already full.\n"
            "Sam: And the depot?\nDana: 7:30 every morning, rain or not.\n",
            ["5:30 AM, and the board is already full.", "7:30 every morning"],
        ),
        (  # quarters, not numbered questions
            "Dana: Q1 was the worst.\nQ1: three weeks late on every claim\nQ2: two weeks late\n"
            "Dana: Q3 we hired a temp.\nSam: Did the temp help?\nDana: For a month.\n",
            ["three weeks late on every claim", "For a month."],
        ),
        (  # the interviewee's own questions, in notes
            "Budgets are set in January.\nHow do you even budget for that? You can't.\n"
            "> How are we supposed to keep up with that?\n*Why are we still printing these?*\n",
            ["How do you even budget for that? You can't.", "How are we supposed to keep up", "still printing"],
        ),
    ],
    ids=["role header block", "day log", "times said", "quarters", "own questions"],
)
def test_notes_that_only_look_like_a_transcript_keep_every_word(text, kept):
    said = _said(text)
    for words in kept:
        assert words in said, (words, said)
