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
    answers = {"magic_wand": "I'd love a dashboard that tells me our cash after fees.",
               "whats_broken": "I wish the reports built themselves. The exports are slow and manual."}
    ex = extract(answers=answers, nlp=nlp)
    pains = kinds(ex, "pain")
    wishes = kinds(ex, "wish")
    assert [p.quote for p in pains] == ["The exports are slow and manual."]
    assert any("dashboard" in w.quote for w in wishes)
    assert any("I wish" in w.quote for w in wishes)
    assert_offsets(ex, answers)


def test_pain_is_a_clause_not_the_paragraph(nlp):
    text = ("I do billing and vendor contracts. The annoying part is handoffs: support asks me about a refund, "
            "I check the dashboard, and nobody knows who closed the loop.")
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    pains = kinds(ex, "pain")
    assert len(pains) >= 2
    assert all(len(p.quote) < len(text) / 2 for p in pains)


def test_workarounds_in_a_current_solution_answer(nlp):
    answers = {"current_solution": "A Google Sheet with every filing and due date, plus calendar reminders I set up myself. "
                                   "Security reviews go in a Notion page."}
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
    ex = extract(answers={"whats_broken": "The regulator fines are killing us.", "typical_day": "The export is a bit annoying."}, nlp=nlp)
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
        ("Speaker 1 0:04\nWhat's broken for you?\nSpeaker 2 0:09\nThe sync is slow.\nSpeaker 1 0:20\nAnything else?\nSpeaker 2 0:22\nReturns are a mess.",
         "What's broken for you?", "The sync is slow."),
        ("Q: What's broken?\nA: The sync is slow.\nQ: Anything else?\nA: Returns are a mess.", "What's broken?", "The sync is slow."),
        ("AI: What's broken?\nUser: The sync is slow.\nAI: Anything else?\nUser: Returns are a mess.", "What's broken?", "The sync is slow."),
        ("**What's broken?**\nThe sync is slow.\n\n**Anything else?**\nReturns are a mess.", "What's broken?", "The sync is slow."),
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


def test_extract_many_matches_extract(nlp):
    items = [({"whats_broken": "The sync is slow and error-prone."}, ""), ({}, "Returns are a nightmare."), ({}, "")]
    many = extract_many(items, nlp=nlp)
    assert len(many) == 3
    assert many[0] == extract(answers=items[0][0], notes=items[0][1], nlp=nlp)
    assert many[2].mentions == () and many[2].hours_per_week is None


def test_pain_theme_keys_are_slugs(nlp):
    ex = extract(answers={"whats_broken": "Insurance claims get denied constantly. The claims get kicked back."}, nlp=nlp)
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
"""


def test_otter_style_transcript(nlp):
    ex = extract(answers={}, notes=OTTER, nlp=nlp)
    assert_offsets(ex, {}, OTTER)
    assert not any("broken" in m.quote or "disaster" in m.quote or "Sam Lee" in m.quote for m in ex.mentions)
    assert any("blurry" in p.quote for p in kinds(ex, "pain"))
    workarounds = [w.quote for w in kinds(ex, "workaround")]
    assert workarounds == ["we went back to paper."]
