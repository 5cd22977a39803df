"""Theme key candidates proposed from the parse (insights.extraction.themes)."""

import pytest

from insights.extraction import extract
from insights.extraction.pipeline import get_nlp


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def _candidates(nlp, text: str) -> set[str]:
    ex = extract(answers={"whats_broken": text}, nlp=nlp)
    return {c for m in ex.mentions if m.kind == "pain" for c in m.candidates}


def test_quantity_words_are_not_theme_keys(nlp):
    candidates = _candidates(nlp, "A couple of the ovens break every week and a handful of orders go out late.")
    assert candidates and not candidates & {"couple", "handful"}


def test_an_acronym_naming_a_kind_of_thing_is_a_theme_key(nlp):
    # Two pains about KYC in other words meet on the acronym, not on "files" and "check".
    assert "kyc" in _candidates(nlp, "I spend most mornings reviewing flagged KYC files, which is slow.")
    assert "eld" in _candidates(nlp, "The ELD logs drop out every other day and we refile by hand.")


def test_an_acronym_for_a_role_is_not_a_theme_key(nlp):
    candidates = _candidates(nlp, "The GC says we were late again and the GC's PM won't sign anything.")
    assert not candidates & {"gc", "pm"}


def test_an_institution_name_does_not_stand_for_its_words(nlp):
    # "Bank of Spain" is a regulator, not the bank account that "bank" means for reconciliation.
    candidates = _candidates(nlp, "A missed check can mean a fine from the Bank of Spain, maybe more.")
    assert "reconciliation" not in candidates
    assert "reconciliation" in _candidates(nlp, "The bank says one thing and Stripe says another, it's a mess.")


@pytest.mark.parametrize(
    "text",
    ["What gets me is the context switching.", "The constant app-switching wears me out every single day."],
)
def test_context_switching_is_tool_sprawl(nlp, text):
    assert "tools" in _candidates(nlp, text)


def test_switching_suppliers_is_not_tool_sprawl(nlp):
    assert "tools" not in _candidates(nlp, "Switching suppliers last spring was a disaster for our margins.")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Estimating commercial jobs takes me forever.", "estimating"),
        ("Hiring's not tough, hiring's impossible.", "hiring"),
        ("Scheduling the crews is a nightmare every Monday.", "scheduling"),
    ],
)
def test_an_activity_said_as_the_subject_is_a_theme_key(nlp, text, key):
    # The work itself, in its -ing form: "hiring" is the work, a "hire" is a person.
    assert key in _candidates(nlp, text)
