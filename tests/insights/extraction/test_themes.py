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
