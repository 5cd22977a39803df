"""Training data: the labelled sets in the repo are sound, and turning them into unit examples keeps
offsets, turns and labels right. No torch, no database: this is what `make train` reads."""

import json
from pathlib import Path

import pytest

from training.agreement import agreement
from training.prepare import SEVERITIES, examples, held_out, interview_examples, mention_f1, overlap, read_interviews

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "train"

INTERVIEW = {
    "id": "t-1",
    "segment": "bakeries",
    "participant": {"name": ""},
    "answers": {},
    "notes": (
        "Interviewer: What's the hardest part of the week?\n"
        "Baker: Flour deliveries come late every Tuesday, so the morning bake slips. The ovens are fine though.\n"
        "Interviewer: How do you deal with that now?\n"
        "Baker: I keep two extra sacks in the back room.\n"
    ),
    "gold": {
        "pains": [
            {"quote": "Flour deliveries come late every Tuesday", "theme": "late-deliveries", "severity": "high"}
        ],
        "workarounds": [{"quote": "I keep two extra sacks in the back room", "theme": "spare-stock"}],
        "hours_per_week": None,
        "wtp": None,
        "risk_amount": None,
    },
}


def test_units_point_into_the_text_and_never_hold_the_interviewers_words():
    rows, stats = interview_examples(Path("bakeries.jsonl"), INTERVIEW)
    notes = INTERVIEW["notes"]
    for r in rows:
        assert notes[r.start : r.end] == r.text
        assert "?" not in r.text and not r.text.startswith(("Interviewer", "Baker"))
    assert stats == {"pain_gold": 1, "pain_covered": 1, "workaround_gold": 1, "workaround_covered": 1}


def test_each_unit_carries_the_question_it_answers_and_its_labels():
    rows, _ = interview_examples(Path("bakeries.jsonl"), INTERVIEW)
    pain = next(r for r in rows if r.pain)
    assert pain.text.startswith("Flour deliveries come late")
    assert pain.question == "What's the hardest part of the week?"
    assert SEVERITIES[pain.severity] == "high" and pain.pain_theme == "late-deliveries"
    work = next(r for r in rows if r.workaround)
    assert work.question == "How do you deal with that now?" and not work.pain
    neutral = next(r for r in rows if "ovens" in r.text)
    assert not neutral.pain and not neutral.workaround and neutral.severity == -1


def test_form_answers_take_the_script_question():
    row = dict(INTERVIEW, notes="", answers={"time_spent": "About six hours a week on the orders."})
    row["gold"] = dict(INTERVIEW["gold"], pains=[], workarounds=[])
    rows, _ = interview_examples(Path("x.jsonl"), row)
    assert rows[0].question == "How many hours a week go to this?" and rows[0].topic == "time_spent"


def test_overlap_is_the_scorers_matching():
    assert overlap("the van breaks down", "the van breaks down every winter") == 1.0
    assert overlap("the van breaks down", "a long sentence about many other things and the van") == 0.0


def test_the_held_out_share_is_fixed_and_per_set():
    keys = [("a.jsonl", f"i{n}") for n in range(40)] + [("b.jsonl", f"j{n}") for n in range(4)]
    held = held_out(keys)
    assert held == held_out(list(reversed(keys)))
    # Each set gives its share, and a small set at least one interview.
    assert sum(1 for s, _ in held if s == "a.jsonl") == 6 and sum(1 for s, _ in held if s == "b.jsonl") == 1


def test_agreement_of_a_labeller_with_itself_is_perfect_and_with_nobody_is_zero():
    same = agreement([INTERVIEW], [INTERVIEW])
    assert same["pain_f1"] == 1.0 and same["workaround_f1"] == 1.0 and same["severity_within_one"] == 1.0
    empty = dict(INTERVIEW, gold=dict(INTERVIEW["gold"], pains=[], workarounds=[]))
    assert agreement([empty], [INTERVIEW])["pain_f1"] == 0.0


@pytest.mark.parametrize("path", sorted(DATA.glob("*.jsonl")), ids=lambda p: p.name)
def test_every_labelled_quote_is_in_its_interview(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = (row.get("notes") or "") + "\n" + "\n".join((row.get("answers") or {}).values())
        for m in row["gold"]["pains"] + row["gold"]["workarounds"]:
            assert m["quote"] in text, (row["id"], m["quote"])
        assert all(p["severity"] in SEVERITIES for p in row["gold"]["pains"])


def test_the_sets_in_the_repo_make_enough_examples():
    rows, stats = examples([DATA])
    assert stats["interviews"] >= 175
    assert sum(r.pain for r in rows) > 1000 and sum(r.workaround for r in rows) > 400
    # Almost every labelled quote falls on a unit: the unit cut fits how people label.
    assert stats["pain_covered"] / stats["pain_gold"] > 0.85
    assert len({(s.name, r["id"]) for s, r in read_interviews([DATA])}) == stats["interviews"]


def test_the_threshold_is_scored_on_mentions_so_two_units_of_one_quote_count_once():
    rows, _ = interview_examples(Path("bakeries.jsonl"), INTERVIEW)
    gold = {("bakeries.jsonl", "t-1"): ["Flour deliveries come late every Tuesday"]}
    scores = [1.0 if r.pain else 0.0 for r in rows]
    assert mention_f1(rows, scores, gold, 0.5) == (1.0, 1.0, 1.0)
    everything = mention_f1(rows, [1.0] * len(rows), gold, 0.5)
    assert everything[0] == 1 / len(rows) and everything[1] == 1.0


def test_a_threshold_is_chosen_where_the_scorers_matching_gives_the_best_f1():
    from training.prepare import Example, choose_threshold

    def unit(interview: str, text: str) -> Example:
        return Example(interview, "s", "set.jsonl", "notes", 0, len(text), text, "", None, 0, 0, -1, "", "")

    rows = [
        unit("a", "The invoices are always late"),
        unit("a", "We had a nice lunch"),
        unit("b", "Reconciling takes the whole weekend"),
        unit("b", "I like my team"),
    ]
    gold = {
        ("set.jsonl", "a"): ["the invoices are always late"],
        ("set.jsonl", "b"): ["reconciling takes the whole weekend"],
    }
    # The pains score 0.62 and 0.58, the rest 0.4 and 0.35: any threshold in (0.4, 0.58] finds both
    # and nothing else; ties go to the one nearest 0.5.
    best, (p, r, f) = choose_threshold(rows, [0.62, 0.4, 0.58, 0.35], gold)
    assert best == 0.5 and (p, r, f) == (1.0, 1.0, 1.0)
    # A non-pain scored above a pain: finding both pains (from 0.3 down) costs half the precision, and
    # still beats finding one (F1 0.67 against 0.5 at 0.6). 0.3 alone is a spike (0.35 beside it
    # scores 0.4); 0.2 and 0.25 sit on the plateau, and 0.25 is nearer 0.5.
    best, (p, r, f) = choose_threshold(rows, [0.62, 0.6, 0.3, 0.35], gold)
    assert best == 0.25 and (p, r) == (0.5, 1.0)
