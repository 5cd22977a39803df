"""Behaviour of the extractor on short texts: pains, negation, praise, wishes, workarounds,
severity, transcripts and offsets. Loads the spaCy model once per module; no database."""

import subprocess
import sys
from pathlib import Path

import pytest

from insights.extraction import EXTRACTOR_VERSION, Extraction, Mention, extract, extract_many
from insights.extraction.pipeline import get_nlp
from interviews.transcripts import interviewee_pieces

_WORD = __import__("re").compile(r"\w+")
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "very_high": 3}


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def kinds(ex: Extraction, kind: str) -> list[Mention]:
    return [m for m in ex.mentions if m.kind == kind]


def assert_offsets(ex: Extraction, answers: dict[str, str], notes: str = "") -> None:
    fields = {**answers, "notes": notes}
    for m in ex.mentions:
        assert fields[m.field][m.start : m.end] == m.quote, m


def test_package_import_does_not_load_spacy():
    root = Path(__file__).resolve().parents[3]
    code = "import sys, insights.extraction as e; e.EXTRACTOR_VERSION; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert EXTRACTOR_VERSION


TRANSCRIPT = """Interviewer: Thanks for making time. What's the most frustrating part? Is it the broken compliance side?
Dana: No, compliance is fine. The weekly pack is the worst part, it's all manual.
Interviewer: How are you solving it today? Is the spreadsheet a nightmare?
Dana: A Google Sheet with a tab per source.
Interviewer: Roughly how many hours a week?
Dana: Between five and seven.
Interviewer: What would you pay for that?
Dana: Maybe $150 a month.
Interviewer: Any risk if the numbers are wrong?
Dana: The bank could fine us $25k."""


def test_transcript_interviewer_lines_never_become_mentions(nlp):
    ex = extract(answers={}, notes=TRANSCRIPT, nlp=nlp)
    assert_offsets(ex, {}, TRANSCRIPT)
    interviewer_spans = []
    pos = 0
    for line in TRANSCRIPT.split("\n"):
        if line.startswith("Interviewer:"):
            interviewer_spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    for m in ex.mentions:
        assert not any(a <= m.start < b for a, b in interviewer_spans), m
    assert not any("broken" in m.quote or "nightmare" in m.quote for m in ex.mentions)
    assert any("worst part" in p.quote for p in kinds(ex, "pain"))
    assert ex.hours_per_week == 6
    assert ex.wtp == {"min": 150, "max": 150, "currency": "USD", "period": "month"}
    assert ex.risk_amount == 25000


@pytest.mark.parametrize(
    "text,asker,answer",
    [
        (
            "Speaker 1 0:04\nWhat's broken for you?\nSpeaker 2 0:09\nThe sync is slow.\nSpeaker 1 0:20\nAnything else?\nSpeaker 2 0:22\nReturns are a mess.",  # noqa: E501
            "What's broken for you?",
            "The sync is slow.",
        ),
        (
            "Q: What's broken?\nA: The sync is slow.\nQ: Anything else?\nA: Returns are a mess.",
            "What's broken?",
            "The sync is slow.",
        ),
        (
            "AI: What's broken?\nUser: The sync is slow.\nAI: Anything else?\nUser: Returns are a mess.",
            "What's broken?",
            "The sync is slow.",
        ),
        (
            "**What's broken?**\nThe sync is slow.\n\n**Anything else?**\nReturns are a mess.",
            "What's broken?",
            "The sync is slow.",
        ),
        (
            "interviewer: What's broken?\nrespondent: The sync is slow.\ninterviewer: Anything else?\nrespondent: Returns are a mess.",  # noqa: E501
            "What's broken?",
            "The sync is slow.",
        ),
        (
            "I: What's broken for you?\nR: The sync is slow.\nI: Anything else?\nR: Returns are a mess.",
            "What's broken",
            "The sync is slow.",
        ),
        (
            "[00:00:01] Interviewer: What's broken?\n[00:00:05] Jo: The sync is slow.\n"
            "[00:00:09] Interviewer: Anything else?\n[00:00:12] Jo: Returns are a mess.",
            "What's broken?",
            "The sync is slow.",
        ),
        (
            "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAlex: What's broken?\n\n2\n00:00:04.500 --> 00:00:08.000\n"
            "Jo: The sync is slow.\n\n3\n00:00:09.000 --> 00:00:12.000\nAlex: Anything else?\n\n"
            "4\n00:00:12.500 --> 00:00:15.000\nJo: Returns are a mess.",
            "What's broken?",
            "The sync is slow.",
        ),
        (
            "- What's broken?\n  - The sync is slow.\n- Anything else?\n  - Returns are a mess.",
            "What's broken?",
            "The sync is slow.",
        ),
    ],
)
def test_transcript_formats(text, asker, answer):
    pieces = interviewee_pieces(text)
    quoted = [text[p.start : p.end] for p in pieces]
    assert answer in quoted
    assert not any(asker in q for q in quoted)
    assert pieces[0].topic == "whats_broken"


def test_markdown_labels_set_topics(nlp):
    notes = "**Time:** front desk estimates 8 hrs/wk re-keying intake.\n**WTP:** '$2,000 a year' for digital intake."
    ex = extract(answers={}, notes=notes, nlp=nlp)
    assert ex.hours_per_week == 8
    assert ex.wtp == {"min": 2000, "max": 2000, "currency": "USD", "period": "year"}
    assert_offsets(ex, {}, notes)


def test_figures_from_answers(nlp):
    answers = {
        "time_spent": "KYC review is 1-2 hours a day. Evidence chasing maybe 3 hrs/wk.",
        "willingness_to_pay": "I'd push for €500/month if it handled evidence collection properly.",
        "risk": "A missed KYC check can mean a fine, could be €100k or more.",
        "whats_broken": "We pay €9,000 a year for the platform and use a third of it.",
    }
    ex = extract(answers=answers, nlp=nlp)
    assert ex.hours_per_week == 10.5
    assert ex.wtp == {"min": 500, "max": 500, "currency": "EUR", "period": "month"}
    assert ex.risk_amount == 100000
    assert len([m for m in ex.mentions if m.kind == "wtp"]) == 1
    assert all(m.risk_amount is None for m in ex.mentions if m.kind != "risk")
    assert_offsets(ex, answers)


def test_refusal_is_a_refused_wtp_mention(nlp):
    ex = extract(answers={"willingness_to_pay": "Honestly, I wouldn't pay for this."}, nlp=nlp)
    assert ex.wtp is None
    (m,) = kinds(ex, "wtp")
    assert m.refused and m.wtp_min is None


def test_first_stated_wtp_is_first_in_the_interview_not_in_the_alphabet(nlp):
    # "notes" sorts before "willingness_to_pay", but the note was written after the answer.
    ex = extract(
        answers={"willingness_to_pay": "Maybe $100 a month to start."},
        notes="Emailed the next day: she would go up to $250 a month.",
        nlp=nlp,
    )
    assert (ex.wtp["min"], ex.wtp["max"]) == (100, 100)


def test_extract_many_matches_extract(nlp):
    items = [({"whats_broken": "The sync is slow and error-prone."}, ""), ({}, "Returns are a nightmare."), ({}, "")]
    many = extract_many(items, nlp=nlp)
    assert len(many) == 3
    assert many[0] == extract(answers=items[0][0], notes=items[0][1], nlp=nlp)
    assert many[2].mentions == () and many[2].hours_per_week is None


def test_pain_theme_keys_are_slugs(nlp):
    ex = extract(
        answers={"whats_broken": "Insurance claims get denied constantly. The claims get kicked back."}, nlp=nlp
    )
    keys = {p.theme_key for p in kinds(ex, "pain")}
    assert keys and all(k and k == k.lower() and " " not in k for k in keys)
    assert len(keys) == 1


OTTER = """Sam Lee  0:00
So could you tell me what a typical week looks like? Is anything broken?

Marta Kowalski  0:07
I'm the office manager at a construction firm. The foremen text me photos of paper timesheets and half of them are blurry.

Sam Lee  0:35
What have you tried? Was the app a disaster?

Marta Kowalski  0:38
We tried an app two years ago, but the guys wouldn't use it. So we went back to paper.
"""  # noqa: E501


def test_otter_style_transcript(nlp):
    ex = extract(answers={}, notes=OTTER, nlp=nlp)
    assert_offsets(ex, {}, OTTER)
    assert not any("broken" in m.quote or "disaster" in m.quote or "Sam Lee" in m.quote for m in ex.mentions)
    assert any("blurry" in p.quote for p in kinds(ex, "pain"))


@pytest.mark.parametrize(
    "question,topic",
    [
        ("What would late have cost you?", "risk"),
        ("What would it cost us if the filing slipped?", "risk"),
        ("Has anything ever gone badly wrong?", "risk"),
        ("And what happens if a delivery is missed?", "risk"),
        ("If something took that off your plate, what would it be worth?", "willingness_to_pay"),
        ("What would you pay for that?", "willingness_to_pay"),
        ("Roughly how many hours a week, all in?", "time_spent"),
    ],
)
def test_transcript_question_topics(question, topic):
    text = f"Interviewer: Hi there.\nSam: Hi.\nInterviewer: {question}\nSam: Hard to say.\nInterviewer: Thanks.\nSam: Sure."  # noqa: E501
    pieces = interviewee_pieces(text)
    assert [p.topic for p in pieces if text[p.start : p.end] == "Hard to say."] == [topic]


def test_money_in_a_consequence_answer_is_a_risk_not_a_price(nlp):
    notes = (
        "Interviewer: What would a missed renewal have cost you?\n"
        "Kim: The board told us up to $60k, plus the regulator breathing down our neck.\n"
        "Interviewer: And what would you pay for a fix?\n"
        "Kim: Something like $180 a month."
    )
    ex = extract(answers={}, notes=notes, nlp=nlp)
    assert ex.risk_amount == 60000
    assert ex.wtp == {"min": 180, "max": 180, "currency": "USD", "period": "month"}
    assert_offsets(ex, {}, notes)


NEW_INTERVIEWS = [
    (
        "plumbing-owner-transcript",
        {},
        """[00:00:04] Interviewer: Thanks for taking the call. What does a normal week look like?
[00:00:09] Dave: I run a plumbing outfit, four vans, me plus five lads. I'm on the tools three days and in the office the rest, doing quotes and invoices.
[00:00:31] Interviewer: What's the worst part of the office side?
[00:00:35] Dave: Chasing payment. Half my customers pay late and I'm ringing them every Friday. And the quotes, I type every one up in Word from my notes on the van.
[00:01:02] Interviewer: How many hours does that take you?
[00:01:05] Dave: Quotes, probably six or seven hours a week. Chasing money, another two.
[00:01:20] Interviewer: Has anything ever gone badly wrong?
[00:01:24] Dave: We had a commercial job where the invoice went to the wrong address, they never paid. That was £8,500 we wrote off. Plus the gas safety certificates, if one lapses you can get fined, but that's never happened.
[00:01:55] Interviewer: What would it be worth to you to have quotes and chasing handled?
[00:02:00] Dave: Fifty quid a month, maybe sixty. I'm not paying what the big firms pay.""",  # noqa: E501
        8.5,
        (50, 60, "GBP", "month"),
        8500,
    ),
    (
        "school-admin-notes",
        {
            "typical_day": "Business manager at a 600-pupil primary. Mornings are attendance follow-up and dinner money, afternoons are suppliers and the budget.",  # noqa: E501
            "whats_broken": "Attendance calls are all manual. Parents don't answer, so I ring the same families three times. The trip payments are a mess too, half come in as cash in envelopes.",  # noqa: E501
            "current_solution": "The MIS for registers, a paper log for calls, and a shared Excel for trip money.",
            "time_spent": "Attendance calls are an hour a day, so five a week. Reconciling trip money is a couple of hours a month.",  # noqa: E501
            "risk": "If we don't follow up absences properly it's a safeguarding issue, and Ofsted would flag it. Money-wise, we lost about £1,200 on a trip last year because deposits weren't tracked.",  # noqa: E501
            "willingness_to_pay": "It would come out of the school budget, so maybe £900 a year. That's £75 a month, roughly.",  # noqa: E501
        },
        "",
        5.5,
        (900, 900, "GBP", "year"),
        1200,
    ),
    (
        "cs-lead-rambling",
        {
            "typical_day": "So I lead customer success, team of six CSMs, about 140 accounts. My day is honestly mostly firefighting, a renewal goes sideways, someone escalates, and I'm pulling usage data out of three places to figure out what happened.",  # noqa: E501
            "whats_broken": "The health score is basically vibes. We have Gainsight-lite, which is our own spreadsheet, and product usage lives in Mixpanel, and support tickets in Zendesk, and none of that is joined up. So every QBR, my CSMs spend a good chunk of the week building decks by hand.",  # noqa: E501
            "time_spent": "For me, maybe four hours a week stitching data together, four-ish. Per CSM, QBR prep is like three hours a week, and there are six of them, so that's eighteen across the team, but for me personally it's the four.",  # noqa: E501
            "risk": "We churned an account worth $95k ARR last quarter that, in hindsight, had been going dark for two months. Nobody saw it. If that happens with one of our top ten, that's $300k walking out the door.",  # noqa: E501
            "willingness_to_pay": "We already pay about $1,400 a month for Zendesk. For this I'd budget, hmm, $30 per CSM per month? Maybe $40 if it did the QBR decks.",  # noqa: E501
        },
        "",
        4.0,
        (30, 40, "USD", "user_month"),
        300000,
    ),
    (
        "dispatcher-terse",
        {},
        """- Role: dispatcher, regional haulage, 22 trucks
- Pain: drivers' ETAs come in by phone/WhatsApp, board is a whiteboard + Excel
- Pain: customers ring for ETAs all day, can't answer without calling driver
- Time: 2-3 hrs/day on ETA calls; rebuilding next-day plan ~1h/day
- Risk: missed delivery windows -> supermarket charges £250 per missed slot, had 14 last month
- WTP: £20/truck/month, maybe £25
- Tools: Excel, WhatsApp, whiteboard""",
        17.5,
        (20, 25, "GBP", "user_month"),
        250,
    ),
    (
        "vet-manager-otter",
        {},
        """Priya Nair  0:02
Okay, so tell me about a normal day at the practice?

Tom Becker  0:06
I'm practice manager at a three-vet clinic. Most of my day is the rota, stock, and insurance claims for the vets.

Priya Nair  0:20
What's hardest?

Tom Becker  0:23
Insurance claims. Every insurer has their own form, and they bounce them back for a missing field. It drives me mad. Some weeks I'll spend eight hours on claims, some weeks three.

Priya Nair  0:45
What happens if a claim gets rejected?

Tom Becker  0:48
The client gets billed, gets upset, sometimes they leave. And we've had stock go out of date, we binned around $2,000 of vaccines last year.

Priya Nair  1:05
If a tool handled the claims, what would you pay?

Tom Becker  1:09
Maybe a hundred and fifty a month. Not more than two hundred.
""",  # noqa: E501
        5.5,
        (150, 200, "USD", "month"),
        2000,  # "what happens if...?" is a consequence question: the binned stock is the loss named
    ),
    (
        "restaurant-owner-wordnums",
        {
            "time_spent": "Ordering stock is twenty minutes a day, every day we're open, so call it two and a half hours a week with six days. Then the rota on Sundays, a couple of hours.",  # noqa: E501
            "willingness_to_pay": "Forty bucks a month. I pay seventy for the POS and that's the one that actually makes money.",  # noqa: E501
            "risk": "A bad food safety inspection could close us for a week, that's maybe eight grand in sales gone.",
        },
        "",
        4.5,
        (40, 40, "USD", "month"),
        8000,
    ),
    (
        "property-manager-speaker-headers",
        {},
        """Speaker 1 0:03
So walk me through a typical week?
Speaker 2 0:07
I manage about 180 units for three landlords. Maintenance requests come in by text, email, a voicemail, whatever, and I log them in a spreadsheet.
Speaker 1 0:24
Roughly how much time goes on that?
Speaker 2 0:27
Logging and chasing contractors, fifteen hours a month, give or take. Month-end statements for the landlords, another eight hours a month.
Speaker 1 0:45
And if something slips?
Speaker 2 0:48
We lost a landlord last year over a boiler that sat broken for two weeks. That was about $30k a year in fees, gone.
Speaker 1 1:02
What would a fix be worth to you?
Speaker 2 1:05
Something like a dollar a unit a month. I won't pay more than what my accounting software costs.
""",  # noqa: E501
        5.75,
        (1, 1, "USD", "user_month"),
        30000,
    ),
]


@pytest.mark.parametrize("name,answers,notes,hours,wtp,risk", NEW_INTERVIEWS, ids=[c[0] for c in NEW_INTERVIEWS])
def test_figures_in_other_domains(nlp, name, answers, notes, hours, wtp, risk):
    ex = extract(answers=answers, notes=notes, nlp=nlp)
    assert ex.hours_per_week == pytest.approx(hours) if hours is not None else ex.hours_per_week is None
    got_wtp = ex.wtp and (ex.wtp["min"], ex.wtp["max"], ex.wtp["currency"], ex.wtp["period"])
    assert got_wtp == wtp
    assert ex.risk_amount == risk
    assert_offsets(ex, answers, notes)


def _overlap(a: str, b: str) -> float:
    ta, tb = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    if shared / max(len(ta), len(tb)) < 0.25:
        return 0.0
    return shared / min(len(ta), len(tb))


def _found(quote: str, pains: list[Mention]) -> Mention | None:
    return next((m for m in pains if _overlap(quote, m.quote) >= 0.6), None)


@pytest.mark.parametrize(
    "question",
    ["Anything else eating your time?", "What bugs you most about month end?", "What drives you up the wall?"],
)
def test_questions_about_what_eats_time_ask_whats_broken(question):
    from interviews.transcripts import classify_question

    assert classify_question(question) == "whats_broken"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # A problem question keeps its topic whatever time word it carries.
        ("What's the toughest... no, the hardest part of the week right now?", "whats_broken"),
        ("Anything else that slows you down?", "whats_broken"),
        # How they cope, asked without "how do you".
        ("How are you keeping tabs on the permits?", "current_solution"),
        ("And what do you do with the returned parcels?", "current_solution"),
        ("Is that something you track anywhere?", "current_solution"),
    ],
)
def test_interviewer_questions_name_their_topic(question, topic):
    from interviews.transcripts import classify_question

    assert classify_question(question) == topic


def test_a_colleague_sitting_in_asks_on_the_interviewers_side(nlp):
    notes = (
        "Ana Ruiz  0:00\nThanks for joining. Tom from our design team is listening in.\n\n"
        "Tom Field  0:04\nHi!\n\n"
        "Chef Marco  0:05\nHi both. Happy to help.\n\n"
        "Ana Ruiz  0:08\nHow are prep lists going?\n\n"
        "Chef Marco  0:10\nPrep is behind most mornings because the produce order arrives late and the walk-in is a mess.\n\n"  # noqa: E501
        "Tom Field  0:20\nSorry, is that something you track somewhere?\n\n"
        "Chef Marco  0:23\nA clipboard. My sous chef, Lena, keeps a waste log on the clipboard by the pass.\n\n"
        "Ana Ruiz  0:30\nGot it, thanks.\n"
    )
    pieces = interviewee_pieces(notes)
    said = [notes[p.start : p.end] for p in pieces]
    assert not any("track somewhere" in s for s in said)
    assert [p.topic for p in pieces if notes[p.start : p.end].startswith("A clipboard")] == ["current_solution"]
    ex = extract(answers={}, notes=notes, nlp=nlp)
    assert any("keeps a waste log" in m.quote and "sous chef" in m.quote for m in kinds(ex, "workaround"))


def test_stage_directions_are_not_the_interviewees_words(nlp):
    text = "Binder. (laughs) I keep a binder with tabs for every permit. [crosstalk]"
    ex = extract(answers={"current_solution": text}, nlp=nlp)
    quotes = [m.quote for m in kinds(ex, "workaround")]
    assert quotes and not any("laughs" in q or "crosstalk" in q for q in quotes), quotes
    assert_offsets(ex, {"current_solution": text})


def test_greetings_and_call_logistics_before_the_first_question_are_not_mentions(nlp):
    notes = (
        "Interviewer: Can you hear me okay?\n"
        "Judge Clerk: Barely. Sorry about the noise, they're redoing the roof over the courthouse.\n"
        "Interviewer: No problem. What's the hardest part of your week?\n"
        "Judge Clerk: Filings come in on paper and the scanner breaks every afternoon.\n"
    )
    ex = extract(answers={}, notes=notes, nlp=nlp)
    quotes = [m.quote for m in kinds(ex, "pain")]
    assert not any("noise" in q for q in quotes), quotes
    assert any("scanner breaks" in q for q in quotes), quotes


def test_a_long_first_answer_is_kept_even_without_a_question():
    notes = (
        "Interviewer: Okay, we're recording. Go ahead.\n"
        "Foreman: So on a normal job I start at six, walk the site, check deliveries, and then I spend most of the "
        "morning on the phone with subs who haven't shown up, which means the concrete pour slips and the "
        "inspector has to be rebooked, and that costs us a day every single time it happens.\n"
        "Interviewer: How do you track the subs?\n"
        "Foreman: A whiteboard in the trailer.\n"
    )
    said = [notes[p.start : p.end] for p in interviewee_pieces(notes)]
    assert said[0].startswith("So on a normal job") and len(said) == 2


def _figures_about(nlp, answers):
    ex = extract(answers=answers, nlp=nlp)
    return [(m.hours_per_week or m.risk_amount, m.about) for m in ex.mentions if m.kind in ("time", "risk")]


def test_each_figure_of_a_sentence_is_tied_to_the_pain_its_part_names(nlp):
    broken = (
        "Compliance tracking is a nightmare and the state filings keep slipping. "
        "Month-end reporting is all manual, and building the board report eats my weekend."
    )
    answers = {"whats_broken": broken, "time_spent": "Compliance eats 4 hours, the board report another 2."}
    ex = extract(answers=answers, nlp=nlp)
    board = next(m.theme_key for m in kinds(ex, "pain") if "board report" in m.quote)
    assert board != "compliance"
    assert _figures_about(nlp, answers) == [(4.0, "compliance"), (2.0, board)]
    # The lead-in names it: "on the deadline side, five hours a week, maybe six in exam season".
    figures = _figures_about(
        nlp,
        {"whats_broken": broken, "time_spent": "On the deadline side, five hours a week, maybe six in exam season."},
    )
    assert figures == [(5.0, "compliance")]


def test_time_on_an_area_without_a_pain_is_tied_to_that_area_and_risks_are_not(nlp):
    answers = {
        "whats_broken": "State registrations are a nightmare, we track every filing deadline by hand.",
        "time_spent": "Registrations take 4 hours a week. Reconciliation, two or so on top of that.",
        "risk": "That's a $120k contract.",
    }
    figures = _figures_about(nlp, answers)
    assert figures[1] == (2.0, "reconciliation")  # the segment's reconciliation theme may hold it
    # A consequence, not a business area: tied to the pain it states, if any, never to "reconciliation".
    assert figures[2][0] == 120000.0 and figures[2][1] != "reconciliation"


def test_a_pain_said_in_the_risk_answer_is_a_consequence(nlp):
    ex = extract(
        answers={
            "whats_broken": "Compliance tracking is a nightmare.",
            "risk": "If a filing slips we could lose the licence in that state. And fines of $50k.",
        },
        nlp=nlp,
    )
    pains = {m.quote: m.consequence for m in ex.mentions if m.kind == "pain"}
    assert pains["Compliance tracking is a nightmare."] is False
    assert pains["If a filing slips we could lose the licence in that state."] is True
    # One risk mention, the amount's; the consequence is the pain itself, not a copy to count twice.
    assert [m.risk_amount for m in ex.mentions if m.kind == "risk"] == [50000.0]


# One short interview in every transcript format the importer meets; the interviewer's lines are
# the ones starting with a question word or ending in "?".
ASKED = ["How do you book the crews now?", "What goes wrong with that?", "What would you pay for a fix?"]
SAID = [
    "A whiteboard in the depot and a lot of phone calls.",
    "Two crews turn up at the same house and the customer is furious.",
    "Maybe forty dollars a month per van.",
]
FORMATS = {
    "named turns": "".join(f"Interviewer: {q}\nDana Ruiz: {a}\n" for q, a in zip(ASKED, SAID, strict=True)),
    "lowercase a/b": "".join(f"a: {q.lower()}\nb: {a.lower()}\n" for q, a in zip(ASKED, SAID, strict=True)),
    "lowercase b asks": "".join(f"b: {q.lower()}\na: {a.lower()}\n" for q, a in zip(ASKED, SAID, strict=True)),
    "srt speaker_N": "".join(
        f"{2 * k + 1}\n00:00:{2 * k:02d},000 --> 00:00:{2 * k + 1:02d},000\n[speaker_1]: {q}\n\n"
        f"{2 * k + 2}\n00:00:{2 * k + 1:02d},000 --> 00:00:{2 * k + 2:02d},000\n[speaker_2]: {a}\n\n"
        for k, (q, a) in enumerate(zip(ASKED, SAID, strict=True))
    ),
    "unknown speaker": "".join(
        f"Unknown Speaker  0:{2 * k:02d}\n{q}\n\nUnknown Speaker  0:{2 * k + 1:02d}\n{a}\n\n"
        for k, (q, a) in enumerate(zip(ASKED, SAID, strict=True))
    ),
    "webvtt voices": "WEBVTT\n\n"
    + "".join(
        f"00:00:{2 * k:02d}.000 --> 00:00:{2 * k + 1:02d}.000\n<v Sam>{q}</v>\n\n"
        f"00:00:{2 * k + 1:02d}.000 --> 00:00:{2 * k + 2:02d}.000\n<v Dana>{a}</v>\n\n"
        for k, (q, a) in enumerate(zip(ASKED, SAID, strict=True))
    ),
    "otter headers": "".join(
        f"Sam Lee  0:{2 * k:02d}\n{q}\n\nDana Ruiz  0:{2 * k + 1:02d}\n{a}\n\n"
        for k, (q, a) in enumerate(zip(ASKED, SAID, strict=True))
    ),
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_interviewer_questions_never_become_mentions_in_any_format(nlp, fmt):
    notes = FORMATS[fmt]
    pieces = " ".join(notes[p.start : p.end] for p in interviewee_pieces(notes)).lower()
    for q, a in zip(ASKED, SAID, strict=True):
        assert q.lower().rstrip("?") not in pieces
        assert a.lower().rstrip(".") in pieces
    ex = extract(answers={}, notes=notes, nlp=nlp)
    assert_offsets(ex, {}, notes)
    for m in ex.mentions:
        assert not any(q.lower().rstrip("?")[:20] in m.quote.lower() for q in ASKED), (fmt, m)
