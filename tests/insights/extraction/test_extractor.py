"""Behaviour of the extractor on short texts: pains, negation, praise, wishes, workarounds,
severity, transcripts and offsets. Loads the spaCy model once per module; no database."""

import subprocess
import sys
from pathlib import Path

import pytest

from insights.extraction import EXTRACTOR_VERSION, Extraction, Mention, extract, extract_many
from insights.extraction.pipeline import get_nlp
from insights.extraction.transcripts import interviewee_pieces

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


def test_get_nlp_is_cached_and_drops_ner(nlp):
    assert get_nlp() is nlp
    assert "ner" not in nlp.pipe_names
    assert "parser" in nlp.pipe_names


@pytest.mark.parametrize(
    "text",
    [
        "Chasing engineers for screenshots is killing me.",
        "The integrations break every couple of weeks.",
        "Insurance submission is slow and error-prone.",
        "We can't keep up with the phones in the morning.",
        "Jane's billing doesn't support two of my payers.",
        "Nobody knows who closed the loop.",
        "I have no idea if that's allowed.",
        "I'm jumping between six apps before lunch.",
        "Carriers raised prices twice last year.",
        "The waiting room backs up on Monday mornings.",
        # A judgement of excess needs no verb; someone not answering or turning up is an unmet need.
        "Way too many spreadsheets.",
        "The suppliers don't call back.",
        "Half the drivers never show up on time.",
    ],
)
def test_problem_statements_are_pains(nlp, text):
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    assert len(kinds(ex, "pain")) == 1, ex.mentions
    assert_offsets(ex, {"whats_broken": text})


@pytest.mark.parametrize(
    "text",
    [
        "Security isn't really an issue for us.",
        "Nothing is broken exactly.",
        "We've never had a billing error reach a customer.",
        "Inventory isn't a problem anymore.",
        "Nobody's getting fined over a vendor contract.",
        "No complaints there.",
        "A breach.",  # a label, not a statement
        "We don't call back after six.",  # the speaker's own choice
    ],
)
def test_negated_problems_are_not_pains(nlp, text):
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    assert kinds(ex, "pain") == []


@pytest.mark.parametrize(
    "text",
    [
        "SimplePractice handles most of it and honestly I love it.",
        "Online booking works great, patients love it.",
        "The weekly report is good, really solid.",
    ],
)
def test_praise_is_not_a_pain(nlp, text):
    ex = extract(answers={"typical_day": text}, nlp=nlp)
    assert kinds(ex, "pain") == []


def test_wish_is_a_wish_not_a_pain(nlp):
    answers = {
        "magic_wand": "I'd love a dashboard that tells me our cash after fees.",
        "whats_broken": "I wish the reports built themselves. The exports are slow and manual.",
    }
    ex = extract(answers=answers, nlp=nlp)
    pains = kinds(ex, "pain")
    wishes = kinds(ex, "wish")
    assert [p.quote for p in pains] == ["The exports are slow and manual."]
    assert any("dashboard" in w.quote for w in wishes)
    assert any("I wish" in w.quote for w in wishes)
    assert_offsets(ex, answers)


def test_pain_is_a_clause_not_the_paragraph(nlp):
    text = (
        "I do billing and vendor contracts. The annoying part is handoffs: support asks me about a refund, "
        "I check the dashboard, and nobody knows who closed the loop."
    )
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    pains = kinds(ex, "pain")
    assert len(pains) >= 2
    assert all(len(p.quote) < len(text) / 2 for p in pains)


def test_workarounds_in_a_current_solution_answer(nlp):
    answers = {
        "current_solution": "A Google Sheet with every filing and due date, plus calendar reminders I set up myself. "
        "Security reviews go in a Notion page."
    }
    ex = extract(answers=answers, nlp=nlp)
    quotes = [w.quote for w in kinds(ex, "workaround")]
    assert any(q.startswith("A Google Sheet") for q in quotes)
    assert any("calendar reminders" in q and "Google Sheet" not in q for q in quotes)
    assert any("Notion" in q for q in quotes)
    assert kinds(ex, "pain") == []
    assert_offsets(ex, answers)


def test_workaround_said_outside_the_solution_answer(nlp):
    notes = "Zendesk and our tool don't talk, so she copies ticket counts by hand into the report."
    ex = extract(answers={}, notes=notes, nlp=nlp)
    assert any("copies ticket counts by hand" in w.quote for w in kinds(ex, "workaround"))
    assert kinds(ex, "pain")


def test_a_tool_they_dropped_is_not_a_workaround(nlp):
    ex = extract(answers={"current_solution": "Phreesia was trialled last year and dropped."}, nlp=nlp)
    assert kinds(ex, "workaround") == []


def test_severity_ordering(nlp):
    ex = extract(
        answers={"whats_broken": "The regulator fines are killing us.", "typical_day": "The export is a bit annoying."},
        nlp=nlp,
    )
    sev = {m.field: m.severity for m in kinds(ex, "pain")}
    assert SEVERITY_RANK[sev["whats_broken"]] > SEVERITY_RANK[sev["typical_day"]]
    assert sev["whats_broken"] == "very_high"
    assert sev["typical_day"] in ("low", "medium")


def test_severity_of_a_stated_financial_risk(nlp):
    ex = extract(answers={"risk": "If a licence lapses we have to stop processing in that state."}, nlp=nlp)
    (pain,) = kinds(ex, "pain")
    assert pain.severity == "very_high"


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
    assert any("Google Sheet" in w.quote for w in kinds(ex, "workaround"))
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


def test_how_a_job_is_done_is_not_its_theme(nlp):
    # "by hand" is the manner; the P&L is a report, whatever the trade calls it.
    ex = extract(answers={"whats_broken": "We still stitch the P&L together by hand, and it is painful."}, nlp=nlp)
    pains = kinds(ex, "pain")
    assert pains and all("hand" not in p.candidates for p in pains)
    assert pains[0].theme_key == "reporting"


def test_people_and_bare_judgements_are_not_theme_keys(nlp):
    # Who has the problem (volunteers, drivers) is not what it is about, and "so dumb" names nothing:
    # a pain with no topic of its own takes the interview's.
    ex = extract(
        answers={"whats_broken": "The volunteers keep missing their shifts, and the rota is a mess. It's so dumb."},
        nlp=nlp,
    )
    candidates = {c for p in kinds(ex, "pain") for c in p.candidates}
    assert candidates and not candidates & {"volunteer", "dumb"}


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
    workarounds = [w.quote for w in kinds(ex, "workaround")]
    assert workarounds == ["we went back to paper."]


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


# Interviews in other domains and registers (timestamped transcripts, terse notes, rambling answers),
# written for these tests: (name, answers, notes, hours per week, wtp (min, max, currency, period), risk).
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


# --- Pain recall on unseen wording: effort, excess, time sinks, consequences, relative-clause pains.
# Own paragraphs in other domains; each lists the pains a reader would mark, and quotes that must not
# become pains. A quote "is found" under the shared scorer's rule (token overlap >= 0.25 of the longer,
# >= 0.6 of the shorter).
_WORD = __import__("re").compile(r"\w+")


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


RECALL_CASES = [
    (
        "construction-effort",
        {
            "whats_broken": "Subcontractor invoices arrive as scanned PDFs and I re-type every line into the job costing sheet. "  # noqa: E501
            "Change orders are scattered across email, text and a shared drive, so I'm forever hunting for the latest version."  # noqa: E501
        },
        "",
        ["I re-type every line into the job costing sheet", "I'm forever hunting for the latest version"],
        [],
    ),
    (
        "dental-time-sink",
        {
            "whats_broken": "Insurance verification is the worst of it. I phone every single payer myself because the portal logs me out constantly. "  # noqa: E501
            "Claims then sit in limbo for a week or more before anyone tells us they were rejected."
        },
        "",
        [
            "Insurance verification is the worst of it",
            "I phone every single payer myself",
            "Claims then sit in limbo for a week or more",
        ],
        [],
    ),
    (
        "nonprofit-grants-damage",
        {
            "whats_broken": "Each funder wants its own format, so I rebuild the same numbers four ways by hand. "
            "Receipts trickle in from staff whenever they remember. Quarter end is basically torture."
        },
        "",
        ["I rebuild the same numbers four ways by hand", "Quarter end is basically torture"],
        ["Receipts trickle in from staff whenever they remember"],
    ),
    (
        "consequence-stops-business",
        {
            "risk": "An expired kitchen certificate means we close the restaurant until the inspector comes back. "
            "That happened to a friend of mine."
        },
        "",
        ["An expired kitchen certificate means we close the restaurant"],
        [],
    ),
    (
        "relative-clause-pains",
        {
            "whats_broken": "Then there's the weekly stock count, which takes the whole of Sunday. "
            "And the supplier credit notes, which are a mess because nobody files them."
        },
        "",
        ["the weekly stock count, which takes the whole of Sunday", "the supplier credit notes, which are a mess"],
        [],
    ),
    (
        "payroll-transcript",
        {},
        "Interviewer: What's the hardest part of payroll for you?\n"
        "Maria: Timesheets, which come back late and half filled in every fortnight. I copy them into the payroll system line by line.\n"  # noqa: E501
        "Interviewer: Is that painful?\n"
        "Maria: Most weeks it's fine, to be honest. Tuesdays I set aside for it anyway.\n",
        [
            "Timesheets, which come back late and half filled in every fortnight",
            "I copy them into the payroll system line by line",
        ],
        [
            "What's the hardest part of payroll for you?",
            "Is that painful?",
            "Most weeks it's fine",
            "Tuesdays I set aside for it",
        ],
    ),
    (
        "neutral-day",
        {
            "typical_day": "I open the clinic at eight, check the surgery list and brief the nurses. "
            "After lunch I do the rota and answer supplier emails. Thursdays I block out for site visits."
        },
        "",
        [],
        ["I open the clinic at eight", "After lunch I do the rota", "Thursdays I block out for site visits"],
    ),
    (
        "praise-and-hedged",
        {
            "whats_broken": "Honestly the booking tool works well and the team likes it. "
            "Reporting takes a bit of time, but it's not a big deal. "
            "Returns can be slow now and then, nothing I'd lose sleep over."
        },
        "",
        [],
        ["the booking tool works well", "Reporting takes a bit of time", "nothing I'd lose sleep over"],
    ),
    (
        "paralegal-sprawl",
        {
            "whats_broken": "Court deadlines come from four different e-filing portals and I keep them all myself on a whiteboard. "  # noqa: E501
            "Every docket update gets re-keyed into the matter system, and productions sit in a queue for days."
        },
        "",
        [
            "Court deadlines come from four different e-filing portals",
            "Every docket update gets re-keyed into the matter system",
            "productions sit in a queue for days",
        ],
        [],
    ),
]


@pytest.mark.parametrize("name,answers,notes,pains,not_pains", RECALL_CASES, ids=[c[0] for c in RECALL_CASES])
def test_pain_recall_on_unseen_wording(nlp, name, answers, notes, pains, not_pains):
    ex = extract(answers=answers, notes=notes, nlp=nlp)
    got = kinds(ex, "pain")
    missing = [q for q in pains if _found(q, got) is None]
    assert not missing, (missing, [m.quote for m in got])
    wrong = [q for q in not_pains if _found(q, got) is not None]
    assert not wrong, (wrong, [m.quote for m in got])
    assert_offsets(ex, answers, notes)


def test_consequence_that_stops_the_business_is_very_high(nlp):
    ex = extract(answers={"risk": "A missed renewal means we stop shipping to that country the same day."}, nlp=nlp)
    (pain,) = kinds(ex, "pain")
    assert pain.severity == "very_high"


def test_relative_clause_pain_quotes_its_antecedent(nlp):
    ex = extract(answers={"whats_broken": "We also do the monthly donor report, which is miserable."}, nlp=nlp)
    (pain,) = kinds(ex, "pain")
    assert "donor report" in pain.quote and pain.quote.rstrip(".").endswith("miserable")


@pytest.mark.parametrize(
    "question",
    ["Anything else eating your time?", "What bugs you most about month end?", "What drives you up the wall?"],
)
def test_questions_about_what_eats_time_ask_whats_broken(question):
    from insights.extraction.transcripts import classify_question

    assert classify_question(question) == "whats_broken"


@pytest.mark.parametrize(
    "text", ["Their text reminders cut our no-shows in half.", "The new scanner eliminated most of the errors."]
)
def test_a_problem_something_got_rid_of_is_not_a_pain(nlp, text):
    assert not kinds(extract(answers={"current_solution": text}, nlp=nlp), "pain")


# Someone else not doing what they should, or doing the wrong thing: pains without a problem word.
# Our own sentences, in several trades; the negatives are choices, good news or phrasal verbs.
UNMET = [
    ("The subcontractor's drawings still hadn't arrived by Thursday.", True),
    ("Parents sign up for the trip and then don't come.", True),
    ("The delivery calls don't stop all afternoon.", True),
    ("Suppliers never reply to the first email.", True),
    ("Half the pallets arrive without a packing list.", True),
    ("They send last year's price list instead of the current one.", True),
    ("We don't pay for that add-on anymore.", False),
    ("I never call them back on weekends, by choice.", False),
    ("Those audits don't come up often.", False),
    ("It doesn't happen much, maybe once a year.", False),
    ("We manage without a CRM and that's fine.", False),
    ("The payments arrive on time.", False),
    # Found in review: verbless fragments once looped forever; abilities still count; good news doesn't.
    ("Paper forms instead of tablets.", False),
    ("Walk-ins without appointments.", False),
    ("It doesn't show which invoices are paid.", True),
    ("You can't add more than five users.", True),
    ("Most customers don't return anything, which is great.", False),
    ("Orders don't ship on Sundays.", False),
    ("Honestly the courier doesn't deliver on Saturdays and that's fine.", False),
    ("Customers pay online without any issue.", False),
    ("Our team uses the app instead of paper now.", False),
    # Someone else not calling, answering or lining up.
    ("The electrician doesn't call, and the client is furious with me.", True),
    ("Half the parents never answer, so the trip forms pile up.", True),
    ("The deliveries and the prep never line up on Mondays.", True),
    ("We don't call clients after six.", False),  # the speaker's own choice
    ("I don't text the drivers after nine.", False),
]


@pytest.mark.parametrize("text,is_pain", UNMET)
def test_unmet_expectations_are_pains(nlp, text, is_pain):
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain


SPOKEN_PAINS = [
    # Each party with its own way of doing the same job.
    ("Every GC has their own form, their own portal.", True),
    ("Each payer has their own rules for prior auth.", True),
    ("Every tech has their own van.", False),
    # Working into the night, as a habit or while at work.
    ("He's on the phone till nine at night moving people around.", True),
    ("I'm up till 2am every Sunday reconciling.", True),
    ("I'm doing invoices until midnight most nights.", True),
    ("We're open until 9 at night on Fridays.", False),
    ("I stayed until midnight once for the holiday party.", False),
    ("I work until 5 pm every day.", False),
    # Judged with a noun, or said as an outage, a wait or the biggest cost.
    ("The rates right now are garbage, honest to god.", True),
    ("Getting the truck from dispatch is its own fight.", True),
    ("Something's always down.", True),
    ("The portal is down again this morning.", True),
    ("The kids are down for a nap again.", False),
    ("I'm on hold with some kid in accounting half the morning.", True),
    ("Fuel's my biggest cost.", True),
    ("Fuel is a cost like any other.", False),
    # Fine as in OK, not a penalty.
    ("Your product does our revenue reporting, that bit's fine.", False),
    ("Late filings are a $50k fine.", True),
    # A stated term that is never met.
    ("So they say net 30. It's never net 30.", True),
    ("The shipment is never on time.", True),
    ("It's never a problem, they pay in 30 days.", False),
]


@pytest.mark.parametrize("text,is_pain", SPOKEN_PAINS)
def test_spoken_pains_without_a_problem_word(nlp, text, is_pain):
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain


@pytest.mark.parametrize(
    "text",
    [
        "We ran out of gloves twice last month.",
        "The site keeps running out of spare parts.",
        "The warehouse ran out of pallets again: that is a real problem every December.",
    ],
)
def test_running_out_of_anything_is_an_inventory_pain(nlp, text):
    (pain,) = kinds(extract(answers={"whats_broken": text}, nlp=nlp), "pain")
    assert pain.theme_key == "inventory"


@pytest.mark.parametrize(
    "text", ["We're running out of cash because clients pay late.", "I run out of patience with the booking system."]
)
def test_running_out_of_money_time_or_patience_is_not_inventory(nlp, text):
    assert all(m.theme_key != "inventory" for m in kinds(extract(answers={"whats_broken": text}, nlp=nlp), "pain"))


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
    from insights.extraction.transcripts import classify_question

    assert classify_question(question) == topic


# Complaint idioms: a noun that judges only as the predicate of "be", a verb of being let down, and
# something done over and over by someone else. Said outside a "what's broken?" answer.
IDIOMS = [
    ("Friday lunch service is the pits.", True),
    ("Intake week at the clinic is a zoo.", True),
    ("Honestly the site office is a circus after nine.", True),
    ("Subcontractors ghost us once the deposit clears.", True),
    ("Parents keep emailing me about the lunch menu.", True),
    ("The fax machine never stops beeping.", True),
    ("My phone won't stop ringing during hearings.", True),
    ("We took the whole class to the zoo in May.", False),
    ("Spit the olive pits into the bowl.", False),
    ("The kitchen is not a zoo anymore.", False),
    ("Bookings keep coming in for the summer.", False),
    ("I keep a log of every delivery.", False),
    ("The partners keep using the old template and it works fine.", False),
]


@pytest.mark.parametrize("text,is_pain", IDIOMS)
def test_complaint_idioms_and_repetition_by_others(nlp, text, is_pain):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain, ex.mentions


def test_clipped_words_key_like_the_full_word(nlp):
    ex = extract(
        answers={"whats_broken": "The auth for the loan gets stuck. Every authorization takes a week to come back."},
        nlp=nlp,
    )
    pains = kinds(ex, "pain")
    assert len(pains) == 2
    assert all("authorization" in p.candidates and "auth" not in p.candidates for p in pains)


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


@pytest.mark.parametrize(
    "text,is_pain",
    [
        ("There's no typical day in a restaurant kitchen.", False),
        ("Honestly there's no normal week during exam season.", False),
        ("There's no backup for the walk-in cooler.", True),
    ],
)
def test_no_typical_day_is_not_something_missing(nlp, text, is_pain):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain, ex.mentions


# Reaching people one at a time is how they cope, said anywhere in the interview.
CONTACTING = [
    ("When a supplier is late I call the rep and text the driver.", True),
    ("She emails the parents one by one about missing permission slips.", True),
    ("So I have to phone each subcontractor to confirm the pour.", True),
    ("Our paralegal is still calling the court clerk every morning.", True),
    ("The parents email me at midnight about grades.", False),  # done to them
    ("I called the insurer once last year about it.", False),  # a one-off in the past
    ("I'd text them if I had their numbers.", False),  # a wish
    ("Call it three grand a month in lost covers.", False),  # naming, not calling
    ("Mornings are prep, calling suppliers, checking the walk-in.", False),  # a chore in a list
]


@pytest.mark.parametrize("text,is_workaround", CONTACTING)
def test_contacting_people_by_hand_is_a_workaround(nlp, text, is_workaround):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "workaround")) is is_workaround, ex.mentions


def test_the_result_clause_of_a_tools_answer_is_its_own_workaround(nlp):
    text = "The subs don't read the portal, so our site manager phones them every Friday."
    ex = extract(answers={"current_solution": text}, nlp=nlp)
    assert [m.quote for m in kinds(ex, "workaround")] == ["our site manager phones them every Friday."]


def test_a_thing_said_again_at_once_is_one_mention(nlp):
    notes = (
        "Interviewer: How do you keep track of the allergen sheets?\n"
        "Chef: Clipboard. I keep a clipboard by the pass with every allergen sheet.\n"
        "Interviewer: And the ordering?\n"
        "Chef: The ordering portal is so clunky. Sorry. It's, like, it's clunky. And deliveries show up late every Tuesday.\n"  # noqa: E501
    )
    ex = extract(answers={}, notes=notes, nlp=nlp)
    workarounds = [m.quote for m in kinds(ex, "workaround")]
    pains = [m.quote for m in kinds(ex, "pain")]
    assert workarounds == ["I keep a clipboard by the pass with every allergen sheet."], workarounds
    assert sum("clunky" in q for q in pains) == 1 and any("so clunky" in q for q in pains), pains
    assert any("late every Tuesday" in q for q in pains), pains


@pytest.mark.parametrize(
    "text,is_pain",
    [
        # Saying the same thing over and over, in an answer about what's broken.
        ("I answer the same six questions from parents every term.", True),
        ("We fill in the same safety form again for each site.", True),
        ("We use the same supplier for all our produce.", False),
        ("Every site gets the same induction.", False),
    ],
)
def test_the_same_thing_over_and_over_is_a_pain_cue(nlp, text, is_pain):
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain, ex.mentions


def test_typing_the_same_thing_into_several_places_is_a_pain(nlp):
    text = "I'm copying the same client name and the same matter number into three systems."
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert len(kinds(ex, "pain")) == 1, ex.mentions


@pytest.mark.parametrize(
    "answer,pain",
    [
        ("Honestly? Getting the subs on site on the same day. The rest is fine.", "Getting the subs on site"),
        ("Report cards, for sure. Every term.", "Report cards, for sure."),
    ],
)
def test_a_bare_answer_to_whats_the_hardest_part_names_the_pain(nlp, answer, pain):
    notes = (
        "Interviewer: Thanks for your time. What's your role?\nRespondent: I run the office.\n"
        f"Interviewer: What's the hardest part of the job right now?\nRespondent: {answer}\n"
    )
    ex = extract(answers={}, notes=notes, nlp=nlp)
    assert any(m.quote.startswith(pain) for m in kinds(ex, "pain")), ex.mentions


@pytest.mark.parametrize(
    "question,answer",
    [
        ("What's your role at the firm?", "Billing, mostly. Some intake."),  # not asked for a problem
        ("What's the hardest part of the job right now?", "Nothing really, it's calm."),
        ("What's the hardest part of the job right now?", "Honestly? The kids are great."),
    ],
)
def test_a_bare_answer_is_a_pain_only_when_the_problem_was_asked_for(nlp, question, answer):
    notes = (
        "Interviewer: Thanks for your time. Where are you based?\nRespondent: Leeds.\n"
        f"Interviewer: {question}\nRespondent: {answer}\n"
    )
    assert not kinds(extract(answers={}, notes=notes, nlp=nlp), "pain")


# Their own work written, sent or kept in a tool, or an artefact they set up, said anywhere.
IN_A_TOOL = [
    ("I write up the day's specials in Word and print them.", True),
    ("We tell the kitchen crew on WhatsApp when a table has allergies.", True),
    ("Our head teacher started a Google Sheet for cover lessons.", True),
    ("I made a checklist for every site handover.", True),
    ("I'd put it all in Notion if I had the time.", False),  # a wish
    ("We post the rota on Monday.", False),  # a weekday, not a tool
    ("The office was built in 1920.", False),
    ("Our practice manager makes the purchasing calls.", False),  # deciding, not a phone workaround
]


@pytest.mark.parametrize("text,is_workaround", IN_A_TOOL)
def test_work_done_in_a_tool_is_a_workaround(nlp, text, is_workaround):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "workaround")) is is_workaround, ex.mentions


def test_the_coping_after_so_is_quoted_without_the_problem(nlp):
    text = "The booking system doesn't send reminders, so I write every appointment in a paper diary."
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert [m.quote for m in kinds(ex, "workaround")] == ["I write every appointment in a paper diary."]


def test_running_a_business_out_of_somewhere_is_not_running_out(nlp):
    ex = extract(answers={}, notes="We run the whole catering side out of a van and a notebook.", nlp=nlp)
    assert not kinds(ex, "pain"), ex.mentions


@pytest.mark.parametrize(
    "text,pains",
    [
        ("About six hours a term. It's the worst six hours of my term, honestly.", 1),
        ("Two evenings a week. And I dread it.", 1),
        ("Maybe three hours a week on rotas.", 0),  # a figure alone is no complaint
        ("Hard to say, a few hours.", 0),
    ],
)
def test_strong_feeling_in_an_answer_about_hours_is_a_pain(nlp, text, pains):
    ex = extract(answers={"time_spent": text}, nlp=nlp)
    assert len(kinds(ex, "pain")) == pains, ex.mentions


@pytest.mark.parametrize(
    "text",
    [
        "Yeah, we try really hard not to.",  # effort, not a difficulty
        "The crew works hard on Saturdays.",
        "I go down it every morning and ring each supplier.",  # a path along the list, not an outage
    ],
)
def test_effort_and_paths_are_not_pains(nlp, text):
    assert not kinds(extract(answers={"current_solution": text}, nlp=nlp), "pain")


def test_a_contact_after_so_is_found_whatever_precedes_it(nlp):
    notes = "The carriers don't read the portal, so our coordinator is still phoning them, but at least it's cheap."
    ex = extract(answers={}, notes=notes, nlp=nlp)
    assert any(m.quote.startswith("our coordinator is still phoning them") for m in kinds(ex, "workaround")), (
        ex.mentions
    )


def test_what_a_delay_led_to_is_part_of_the_pain(nlp):
    text = "The client's email got lost, and by the time we saw it the filing deadline had passed."
    (pain,) = kinds(extract(answers={"whats_broken": text}, nlp=nlp), "pain")
    assert pain.quote.startswith("The client's email got lost") and pain.quote.endswith("had passed.")


def test_and_then_starts_a_problem_of_its_own(nlp):
    text = "Half the cooks skip the temperature log so they can start service, and then I find spoiled stock on Monday."
    pains = [m.quote for m in kinds(extract(answers={"whats_broken": text}, nlp=nlp), "pain")]
    # "and then" is no "by the time": what follows is its own pain, quoted on its own.
    assert any(q.startswith("I find spoiled stock") for q in pains), pains
    assert not any("skip" in q and "spoiled" in q for q in pains), pains


def test_how_things_are_today_said_after_a_wish_in_a_transcript(nlp):
    notes = (
        "Interviewer: Thanks. What does a normal week look like for you?\n"
        "Teacher: Lessons, marking, and parents' evenings.\n"
        "Interviewer: If you could change one thing?\n"
        "Teacher: Honestly, one gradebook. I'm exporting a CSV from the quiz site, cleaning it up, and "
        "importing it into the school system. Every week.\n"
        "Interviewer: And if it did that for you?\n"
        "Teacher: Something where marks just flow across and I don't have to email the office. That'd be nice.\n"
    )
    ex = extract(answers={}, notes=notes, nlp=nlp)
    quotes = [m.quote for m in kinds(ex, "workaround")]
    assert any(q.startswith("I'm exporting a CSV") for q in quotes), quotes
    assert not any("email the office" in q for q in quotes), quotes
    assert any(m.quote.startswith("Honestly, one gradebook") for m in kinds(ex, "wish"))


@pytest.mark.parametrize(
    "text,is_workaround",
    [
        ("We've tried two apps and we always go back to the whiteboard.", True),
        ("When the portal is down we fall back on paper forms.", True),
        ("We went back to the supplier for a refund.", False),  # a person, not a tool
    ],
)
def test_falling_back_on_a_tool_is_a_workaround(nlp, text, is_workaround):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "workaround")) is is_workaround, ex.mentions


def test_months_and_echoed_questions_are_not_tools(nlp):
    notes = (
        "Interviewer: Thanks for coming in. You've been using our booking tool for, what, three months?\n"
        "Owner: About that, yeah, since March.\n"
        "Interviewer: And what software do you use for payroll?\n"
        "Owner: Software. (laughs) We have Xero and a lot of Excel.\n"
    )
    quotes = [m.quote for m in kinds(extract(answers={}, notes=notes, nlp=nlp), "workaround")]
    assert not any("March" in q for q in quotes), quotes
    assert "Software." not in quotes and any("Xero" in q for q in quotes), quotes


def test_the_step_after_a_condition_in_a_tools_answer_is_the_workaround(nlp):
    text = "If the parents don't reply to the email, we send a paper slip home in the book bag."
    ex = extract(answers={"current_solution": text}, nlp=nlp)
    quotes = [m.quote for m in kinds(ex, "workaround")]
    assert any(q.startswith("we send a paper slip home") for q in quotes), quotes


# Time and flow idioms of any trade, said outside a "what's broken?" answer.
FLOW_IDIOMS = [
    ("Then I spend the rest of the day on the phone chasing suppliers.", True),
    ("I spend half a day every Friday on the timesheets.", True),
    ("Sometimes the plastering takes long.", True),
    ("Now I check every invoice twice, which takes longer.", True),
    ("It's usually one subcontractor holding everybody up.", True),
    ("The referral letters just sit there.", True),
    ("The paper rota works until it doesn't.", True),
    ("Different forms, different deadlines.", True),
    ("Marking = biggest headache.", True),
    ("It doesn't take long.", False),
    ("The new roof held up well in the storm.", False),
    ("We sit there together and plan the menu.", False),
]


@pytest.mark.parametrize("text,is_pain", FLOW_IDIOMS)
def test_time_and_flow_idioms(nlp, text, is_pain):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain, ex.mentions


def test_ringing_people_round_in_a_tools_answer_is_a_workaround(nlp):
    ex = extract(answers={"current_solution": "Nothing clever, honestly we just phone people."}, nlp=nlp)
    assert any("phone people" in m.quote for m in kinds(ex, "workaround")), ex.mentions


@pytest.mark.parametrize(
    "text,is_pain",
    [
        ("I end up answering parents' emails more than I'd like.", True),
        ("The site visits take longer than we'd want.", True),
        ("We get caught short on drywall screws every spring.", True),
        ("We ran short of servers on Saturday.", True),
        ("I'd like a proper booking system.", False),  # a wish
        ("Her haircut is short this year.", False),
    ],
)
def test_excess_against_what_one_would_like_and_being_caught_short(nlp, text, is_pain):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain, ex.mentions


@pytest.mark.parametrize(
    "text,is_pain",
    [
        ("Mornings are deliveries, then whatever fire is happening in the kitchen.", False),
        ("The rest of the day is whatever's broken on site.", False),
        ("Parents pay by cheque, they drop it off at reception.", False),
        ("We back up the files every night.", False),
        ("Enrolments dropped off after the fee rise.", True),
        ("We ran out of gloves again.", True),
    ],
)
def test_placeholders_and_transitive_phrasals_are_not_pains(nlp, text, is_pain):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain, ex.mentions


@pytest.mark.parametrize(
    "text,is_workaround",
    [
        ("ServiceTitan handles most of the dispatching.", True),
        ("The orders come in and OpenTable takes them, fine.", True),
        ("Jane handles the rota for us.", False),  # a person said by name: not a product
        ("Our CTO handles it.", False),
        ("ServiceTitan can't handle multi-day jobs.", False),
    ],
)
def test_a_named_product_doing_the_job_is_a_workaround(nlp, text, is_workaround):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "workaround")) is is_workaround, ex.mentions


@pytest.mark.parametrize(
    "text,is_workaround",
    [
        ("Report cards go out at the end of term from a separate portal.", True),
        ("Most of the site scheduling happens on a whiteboard in the cabin.", True),
        ("The order went wrong in the system last week.", False),
        ("It all goes on the 3rd.", False),
    ],
)
def test_work_that_lives_in_a_tool_is_a_workaround(nlp, text, is_workaround):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "workaround")) is is_workaround, ex.mentions


@pytest.mark.parametrize(
    "text,pains",
    [
        ("The till says one thing, the stock sheet says another.", 1),
        ("The court list says one thing and the clerk says something else.", 1),
        ("The chef says one thing every morning: clean as you go.", 0),
    ],
)
def test_sources_that_disagree_are_one_pain(nlp, text, pains):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert len(kinds(ex, "pain")) == pains, ex.mentions


@pytest.mark.parametrize(
    "text,is_pain",
    [
        ("I printed the menus twice because I thought the first batch had failed.", False),
        ("We thought the delivery had gone missing, but it was at reception.", False),
        ("I think the booking sync failed twice last month.", True),  # believed now: a report, not a mistake
    ],
)
def test_a_problem_one_only_thought_there_was_is_not_a_pain(nlp, text, is_pain):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain, ex.mentions


@pytest.mark.parametrize(
    "text,is_pain",
    [
        ("Every parent calls asking why the bus is late.", True),
        ("Every client calls asking for a copy of the contract.", True),
        ("Every supplier calls on Monday.", False),  # a routine, no asking
    ],
)
def test_everyone_getting_in_touch_to_ask_is_a_pain(nlp, text, is_pain):
    ex = extract(answers={}, notes=text, nlp=nlp)
    assert bool(kinds(ex, "pain")) is is_pain, ex.mentions


@pytest.mark.parametrize(
    "text",
    [
        # Review counter-examples: ordinary sentences that share a word with a complaint idiom.
        "The steel beams hold up the whole roof.",
        "On Sundays I just sit there and watch the game.",
        "I spend the rest of the day with my kids.",
        "I spend half a day at the farmers market on Saturdays.",
        "We offer different packages for different budgets.",
        "Our customers keep recommending us to their friends.",
        "Orders keep pouring in every week.",
    ],
)
def test_ordinary_sentences_are_not_pains(nlp, text):
    assert kinds(extract(answers={"typical_day": text}, nlp=nlp), "pain") == []


@pytest.mark.parametrize(
    "text",
    [
        "It's usually one subcontractor holding everybody up.",
        "Those purchase orders just sit there.",
        "I spend the rest of the day chasing invoices.",
        "Different suppliers, different order forms.",
        "Suppliers keep emailing me about it.",
    ],
)
def test_the_same_idioms_still_complain(nlp, text):
    assert kinds(extract(answers={"typical_day": text}, nlp=nlp), "pain")


@pytest.mark.parametrize("text", ["We post the rota on Mondays.", "I send the invoices on Fridays."])
def test_weekdays_in_the_plural_are_no_tool(nlp, text):
    # Said of the day, not of coping: "on Mondays" is when, not what with.
    assert kinds(extract(answers={"typical_day": text}, nlp=nlp), "workaround") == []


@pytest.mark.parametrize("text", ["I call my mom every Sunday.", "I text my wife when I'm leaving the site."])
def test_calling_family_is_no_workaround(nlp, text):
    assert kinds(extract(answers={"typical_day": text}, nlp=nlp), "workaround") == []


@pytest.mark.parametrize("name", ["McKenzie", "DeShawn", "O'Brien"])
def test_a_family_name_with_a_capital_inside_is_a_person_not_a_product(nlp, name):
    ex = extract(answers={}, notes=f"{name} handles the books on Fridays.", nlp=nlp)
    assert kinds(ex, "workaround") == []


def _figures_about(nlp, answers):
    ex = extract(answers=answers, nlp=nlp)
    return [(m.hours_per_week or m.risk_amount, m.about) for m in ex.mentions if m.kind in ("time", "risk")]


def test_each_figure_of_a_sentence_is_tied_to_the_pain_its_part_names(nlp):
    broken = (
        "Compliance tracking is a nightmare and the state filings keep slipping. "
        "Month-end reporting is all manual, and building the board report eats my weekend."
    )
    figures = _figures_about(
        nlp, {"whats_broken": broken, "time_spent": "Compliance eats 4 hours, the board report another 2."}
    )
    assert figures == [(4.0, "compliance"), (2.0, "reporting")]
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
    assert figures[2] == (120000.0, None)  # a consequence, not a business area: the main pain's


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


@pytest.mark.parametrize(
    ("text", "coping"),
    [
        ("In June we filed a Texas report two days late.", False),  # an incident, not a practice
        ("Last year we emailed the owner a spreadsheet once.", False),
        ("Every month we file the report by hand in Excel.", True),
        ("We track every renewal in a shared Google Sheet.", True),
        ("Last year we started a shared sheet and we still use it.", True),  # the start of a practice
    ],
)
def test_a_one_time_event_is_no_workaround(nlp, text, coping):
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    assert bool(kinds(ex, "workaround")) is coping


_BROKEN_TWO = (
    "Compliance tracking is a nightmare and the state filings keep slipping. "
    "Month-end reporting is all manual, and building the board report eats my weekend."
)


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        (
            "time_spent",
            "Compliance eats 4 hours the board report another 2.",
            [(4.0, "compliance"), (2.0, "reporting")],
        ),
        (
            "time_spent",
            "Compliance eats 4 hours, and the board report is a total nightmare, another 2.",
            [(4.0, "compliance"), (2.0, "reporting")],
        ),
        ("time_spent", "3 hours a week on compliance - 2 on the reports.", [(3.0, "compliance"), (2.0, "reporting")]),
        ("time_spent", "4 hours for compliance, 2 for the board report.", [(4.0, "compliance"), (2.0, "reporting")]),
        (
            "risk",
            "A missed filing is a $10k fine, a wrong board report could cost us a $2M round.",
            [(10000.0, "compliance"), (2000000.0, "reporting")],
        ),
    ],
)
def test_figures_sharing_a_sentence_with_pains_keep_their_own_part(nlp, field, text, expected):
    # The figure's quote is its whole sentence; a pain in that sentence must not take every figure in it.
    assert _figures_about(nlp, {"whats_broken": _BROKEN_TWO, field: text}) == expected


@pytest.mark.parametrize(
    "text", ["Outside of compliance, maybe 3 hours a week.", "5 hours a week, and that's not even the reporting."]
)
def test_a_figure_is_not_tied_to_what_it_is_said_not_to_be_about(nlp, text):
    figures = _figures_about(nlp, {"whats_broken": _BROKEN_TWO, "time_spent": text})
    assert len(figures) == 1 and figures[0][1] is None
