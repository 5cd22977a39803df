"""Theme key candidates proposed from the parse (insights.extraction.themes)."""

import pytest

from insights.extraction import extract
from insights.extraction.pipeline import get_nlp
from insights.extraction.themes import pain_theme_candidates


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


def _keys(nlp, text: str) -> list[str]:
    """The key each unit of the text would get were it a pain (whether it is one is the model's call)."""
    from insights.extraction.themes import is_sprawl
    from insights.extraction.units import split_units

    doc = nlp(text)
    keys = []
    for s, e in split_units(text):
        span = doc.char_span(s, e, alignment_mode="expand")
        cands = pain_theme_candidates(
            doc, span.start, span.end, sprawl=is_sprawl(span.text), context=(span.sent.start, span.sent.end)
        )
        keys.append(cands[0] if cands else "other")
    return keys


@pytest.mark.parametrize(
    "text",
    [
        "What gets me is the context switching.",
        "The constant app-switching wears me out every single day.",
        "The context switching between Procore, email and texts is killing me.",
        "Switching between Procore and Excel all day is exhausting.",
    ],
)
def test_context_switching_is_tool_sprawl(nlp, text):
    assert _keys(nlp, text) == ["tools"]


def test_switching_suppliers_is_not_tool_sprawl(nlp):
    keys = _keys(nlp, "Switching suppliers mid-job costs us a fortune. The context switching between apps kills me.")
    assert keys[0] != "tools" and keys[-1] == "tools"
    assert "tools" not in _keys(nlp, "The window switching at the drive-thru is slow at lunch.")


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


@pytest.mark.parametrize(
    "text",
    [
        "Getting paid by insurers takes 60 days. Getting parts from the distributor is a nightmare.",
        "Dealing with insurers is the worst. Dealing with the landlord is also bad.",
        "Trying to reach the adjuster is a nightmare. Trying to keep the schedule straight is hard too.",
    ],
)
def test_light_verbs_are_no_activity_keys(nlp, text):
    # "getting", "dealing", "trying" say nothing of the work: shared, they would merge anything.
    assert not set(_keys(nlp, text)) & {"getting", "dealing", "trying"}


def test_an_activity_is_keyed_by_its_word_not_its_verb_lemma(nlp):
    # "figure" is a reporting word as a noun; "figuring out payroll" is about payroll.
    assert _keys(nlp, "Figuring out payroll every two weeks is stressful.") == ["payroll"]


@pytest.mark.parametrize(
    "text",
    [
        "GC payments are 90 days late. Nobody signs off on GC change orders.",
        "Our TX yards run out of parts. The TX permits take forever.",
    ],
)
def test_role_and_place_acronyms_are_not_theme_keys(nlp, text):
    assert not set(_keys(nlp, text)) & {"gc", "tx"}


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("We use Filingly for the federal stuff.", ["filingly"]),
        ("We use Opsboard as a sort of hub.", ["opsboard"]),
        ("We've got Clausebook for policies.", ["clausebook"]),
        ("Ledgerwatch + a spreadsheet next to it (see transcript).", ["ledgerwatch", "spreadsheet"]),  # two items
        ("We use Google Sheets for everything.", ["spreadsheet"]),  # a medium keeps its concept
    ],
)
def test_a_workaround_is_named_after_the_product_used(nlp, text, keys):
    ex = extract(answers={"current_solution": text}, nlp=nlp)
    assert [m.theme_key for m in ex.mentions if m.kind == "workaround"] == keys


@pytest.mark.parametrize(
    "text",
    [
        "I'm constantly flipping between all of them.",
        "I still bounce between the issuer dashboard, HubSpot and Opsboard to answer one question.",
        "Hopping between systems all day wears me out.",
    ],
)
def test_moving_between_tools_is_tool_sprawl_whatever_the_tools_are_for(nlp, text):
    assert _keys(nlp, text) == ["tools"]


def test_things_moving_between_places_are_no_tool_sprawl(nlp):
    assert "tools" not in _keys(nlp, "Payments bounce between the two banks for days.")


def test_a_report_one_files_is_a_filing_not_reporting(nlp):
    assert "compliance" in _candidates(nlp, "In June we filed a Texas report two days late, which cost us.")
    assert "reporting" in _candidates(nlp, "The board report takes me two days every month and it is all manual.")


def test_an_acronym_said_as_the_subject_is_a_theme_key(nlp):
    assert "kyc" in _candidates(nlp, "KYC is just slow, applications sit for days.")


def test_board_and_investor_updates_are_reporting(nlp):
    assert "reporting" in _candidates(nlp, "The monthly board update, which is all copy-paste, eats my Friday.")
    assert "reporting" in _candidates(nlp, "The investor letter takes a whole day every quarter.")


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            "Excel for the rota, WhatsApp for swaps, and a paper diary",
            ["Excel for the rota", "WhatsApp for swaps", "a paper diary"],
        ),
        ("QuickBooks; a shared drive; my memory", ["QuickBooks", "a shared drive", "my memory"]),
        ("Excel and WhatsApp", []),  # two items: one thought as often as a list
        ("We tried Excel, then a consultant, and in the end we built our own tool over two long painful winters", []),
        ("paper rota + a WhatsApp group", ["paper rota", "a WhatsApp group"]),  # a plus sign: two items suffice
        ("Sage + the bank portal + a calculator", ["Sage", "the bank portal", "a calculator"]),
        ("a+b pricing sheet", []),  # a plus sign inside a word joins nothing
        ("we charge $40 + VAT per job", []),  # sums join no items
        ("labour + materials + 15% on top", []),
        ("I used Excel + 2", []),
        ("Excel (rota + swaps) and WhatsApp", []),  # nor does a plus sign in brackets
        ("+ paper rota + a WhatsApp group", ["paper rota", "a WhatsApp group"]),  # a "+" bullet
        ("the old dispatch board + a long story about why nobody ever wanted to replace it at all", []),
    ],
)
def test_a_typed_list_splits_into_its_items(text, items):
    from insights.extraction.units import list_items

    assert [text[a:b] for a, b in list_items(text, 0, len(text))] == items


def test_typed_notes_split_a_list_only_at_plus_signs():
    # In typed notes a comma run is as often a sentence told on as a list.
    from insights.extraction.units import list_items

    told_on = "We have a rota workbook, it's clever, Sam built it, I love it"
    assert list_items(told_on, 0, len(told_on), form=False) == []
    plus = "rota workbook + Sam's group chat"
    assert [plus[a:b] for a, b in list_items(plus, 0, len(plus), form=False)] == ["rota workbook", "Sam's group chat"]
