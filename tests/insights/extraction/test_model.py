"""The shipped unit model: it loads, is the version the code reads, and hears pains and workarounds in
trades it was not written for. Texts here are our own; the model loads once per session."""

import json
import shutil

import numpy as np
import pytest

from insights.extraction import extract
from insights.extraction.classifier import (
    COMPONENT,
    MODEL_DIR,
    MODEL_VERSION,
    REGISTERS,
    ModelError,
    UnitModel,
    get_model,
    register_of,
)
from insights.extraction.pipeline import get_nlp

MAX_MODEL_BYTES = 30 * 1024 * 1024


@pytest.fixture(scope="module")
def model():
    return get_model()


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def test_the_shipped_model_loads_and_is_the_version_the_code_expects(model):
    assert model.version == MODEL_VERSION
    assert (MODEL_DIR / "model.onnx").stat().st_size <= MAX_MODEL_BYTES
    assert set(model.thresholds) == set(REGISTERS)
    for register in REGISTERS:
        assert set(model.thresholds[register]) == {"pain", "workaround"}
        assert all(0 < t < 1 for t in model.thresholds[register].values())
    assert get_model() is model  # one copy per process


def test_a_model_of_another_version_is_refused_with_a_message(tmp_path):
    shutil.copytree(MODEL_DIR, tmp_path / "model")
    meta_file = tmp_path / "model" / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["version"] = "1999.01.01"
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="expects"):
        UnitModel(tmp_path / "model")


def test_a_damaged_model_file_is_refused(tmp_path):
    shutil.copytree(MODEL_DIR, tmp_path / "model")
    with open(tmp_path / "model" / "model.onnx", "r+b") as f:
        f.seek(1000)
        f.write(b"\x00" * 16)
    with pytest.raises(ModelError, match="checksum"):
        UnitModel(tmp_path / "model")


def test_a_missing_model_says_how_to_get_one(tmp_path):
    with pytest.raises(ModelError, match="make train"):
        UnitModel(tmp_path)


def test_the_classifier_is_a_spacy_component_that_batches_across_docs(nlp, model):
    assert nlp.pipe_names[-1] == COMPONENT
    texts = ["The boiler parts take three weeks to arrive.", "We open at eight."]
    docs = []
    for text in texts:
        doc = nlp.make_doc(text)
        doc.user_data["sift_units"] = [(0, len(text), "What's broken?")]
        docs.append(doc)
    out = list(nlp.pipe(docs))
    scores = [d.user_data["sift_scores"][0] for d in out]
    direct = model.score([("What's broken?", t) for t in texts])
    assert [round(s.pain, 4) for s in scores] == [round(s.pain, 4) for s in direct]


# Plain problems said in trades the training sets do not cover, in answer to the script's question.
CLEAR_PAINS = [
    "The tile supplier ships the wrong batch about once a month and we have to rip it all out again.",
    "Our ferry bookings double up because the two offices keep separate calendars, and guests end up stranded.",
    "I lose most of Sunday rebuilding the rota by hand after people swap shifts over text.",
    "Chasing the council for permit sign-offs delays every single job by weeks.",
]
NOT_PAINS = [
    "I run a small landscaping crew of six, mostly residential gardens.",
    "We open the shop at eight and close at six.",
    "Honestly the team is great and the customers are lovely.",
]


@pytest.mark.parametrize("text", CLEAR_PAINS)
def test_a_plain_problem_in_another_trade_is_a_pain(nlp, text):
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    assert any(m.kind == "pain" for m in ex.mentions), ex.mentions


@pytest.mark.parametrize("text", NOT_PAINS)
def test_a_neutral_description_or_praise_is_no_pain(nlp, text):
    ex = extract(answers={"typical_day": text}, nlp=nlp)
    assert not [m for m in ex.mentions if m.kind == "pain"], ex.mentions


def test_how_they_cope_today_is_a_workaround(nlp):
    ex = extract(
        answers={
            "current_solution": "We keep a shared spreadsheet of every booking and I call each guide the night before."
        },
        nlp=nlp,
    )
    assert any(m.kind == "workaround" for m in ex.mentions), ex.mentions


LISTED_TOOLS = "Dropbox for the plans, a group text for the crew, and the whiteboard in the yard."


def test_a_form_answer_listing_its_tools_gives_one_workaround_each(nlp):
    ex = extract(answers={"current_solution": LISTED_TOOLS}, nlp=nlp)
    quotes = [m.quote for m in ex.mentions if m.kind == "workaround"]
    assert quotes == ["Dropbox for the plans", "a group text for the crew", "the whiteboard in the yard."], quotes


def test_spoken_commas_are_no_list(nlp):
    # The same list told in a transcript stays one mention: in speech, commas mostly pace one thought.
    said = f"Right now we use {LISTED_TOOLS[0].lower()}{LISTED_TOOLS[1:]}"
    notes = (
        "Interviewer: What does a normal day look like?\nParticipant: I run two crews out of a yard in Leeds.\n"
        f"Interviewer: How do you handle it now?\nParticipant: {said}"
    )
    ex = extract(answers={}, notes=notes, nlp=nlp)
    assert [m.quote for m in ex.mentions if m.kind == "workaround"] == [said]


def test_typed_notes_give_one_workaround_per_plus_sign_item_and_speech_none(nlp):
    typed = "Crew lead, 12 roofers.\n- Tools: Dropbox for the plans + a group text for the crew"
    ex = extract(answers={}, notes=typed, nlp=nlp)
    quotes = [m.quote for m in ex.mentions if m.kind == "workaround"]
    assert quotes == ["Dropbox for the plans", "a group text for the crew"], quotes
    said = "Right now we use Dropbox for the plans + a group text for the crew"
    notes = (
        "Interviewer: What does a normal day look like?\nParticipant: I run two crews out of a yard in Leeds.\n"
        f"Interviewer: How do you handle it now?\nParticipant: {said}"
    )
    ex = extract(answers={}, notes=notes, nlp=nlp)
    assert [m.quote for m in ex.mentions if m.kind == "workaround"] == [said]


def test_a_stated_loss_is_more_severe_than_a_passing_nuisance(nlp, model):
    mild, severe = model.score(
        [
            ("What's broken?", "The coffee machine in the back office is a bit slow."),
            ("What's broken?", "If the inspector finds one more gap in the cold-chain log we lose our licence."),
        ]
    )
    assert severe.severity_rank > mild.severity_rank


# (a pain, the same pain in other words, an unrelated pain of the same trade)
PARAPHRASES = [
    (
        "Drivers never get the delivery changes in time.",
        "Changes to the drop-offs reach the drivers too late.",
        "The invoice software crashes when we export to the accountant.",
    ),
    (
        "Patients forget their appointments and don't show up.",
        "Half our no-shows are people who simply forgot the booking.",
        "Ordering gloves and masks takes forever every month.",
    ),
    (
        "Chasing clients for their receipts eats my whole March.",
        "Every tax season I spend weeks begging clients to send documents.",
        "The office printer jams whenever we print payslips.",
    ),
    (
        "Our POS goes down on busy Friday nights.",
        "The till system crashes right when the dinner rush hits.",
        "Finding a reliable dishwasher to hire is impossible.",
    ),
    (
        "Tenants text me at midnight about leaking taps.",
        "Maintenance requests come in at all hours by text.",
        "Owners want monthly reports I have to build by hand.",
    ),
    (
        "The estimate takes two days because the takeoff is manual.",
        "Measuring drawings by hand makes every bid slow.",
        "Our general contractor pays ninety days late.",
    ),
    (
        "I re-enter every order from Etsy into the spreadsheet.",
        "Copying each marketplace order into our sheet by hand wastes hours.",
        "Customs forms for EU shipping confuse customers.",
    ),
    (
        "Grant reports are due the same week every quarter.",
        "All the funder reports land in one crunch week each quarter.",
        "Volunteers drop out after the first month.",
    ),
]


def test_paraphrases_sit_closer_than_unrelated_pains(model):
    # Over several trades rather than one triple: one pair of sentences says little about a space
    # the grouping uses for hundreds of quotes.
    margins = []
    for same, reworded, other in PARAPHRASES:
        a, b, c = model.embed([same, reworded, other])
        margins.append(float(np.dot(a, b) - np.dot(a, c)))
    assert sum(m > 0 for m in margins) > len(margins) / 2 and np.mean(margins) > 0, margins


def test_the_question_before_an_answer_counts(model):
    # "Nothing, really." says there is no problem after "What's broken?" but names how they cope
    # (by doing nothing) after "How do you solve it today?".
    broken, solving = model.score(
        [("What's broken?", "Nothing, really."), ("How are you solving this now?", "Nothing, really.")]
    )
    assert solving.workaround > broken.workaround


def test_a_form_answer_and_free_text_each_have_their_register():
    assert register_of("whats_broken") == "form"
    assert register_of("How do you plan the week?") == "form"  # an imported question of its own
    assert register_of("notes") == "free_text"
