"""Workarounds: the clause naming how they cope today (a tool, a spreadsheet, a manual process, a person, "nothing").

In an answer to "how do you solve it today?" every unit naming a tool, artefact, helper or manual
step is a workaround; lists of tools are cut at their top-level conjuncts ("Weave for phones,
Open Dental for the schedule, and a fax service" is three). Elsewhere a clause needs a coping verb
with an artefact or a manual marker ("she copies ticket counts by hand", "handled by Printful").
"""

from __future__ import annotations

import itertools
import re

from spacy.tokens import Token

from .clauses import Clause, _trim
from .lexicon import CONTACT_VERBS, COPING_VERBS, CREATING_VERBS, RECORDING_VERBS, TOOL_NOUNS
from .pains import Evidence

PRODUCT_NOUNS = frozenset(
    {"product", "app", "tool", "platform", "software", "system", "service", "dashboard", "dashboards"}
)
TOP_DEPS = frozenset({"ROOT", "attr", "dobj", "nsubj", "appos"})
NOTHING_WORDS = frozenset({"nothing", "none", "nobody", "nah", "no"})
OWN_PRODUCT = frozenset({"your", "our"})
MIN_UNIT_WORDS = 2
TOOL_DOES = frozenset({"handle", "take", "cover", "run", "manage", "track", "do"})
# Verbs of where work lives: "scheduling happens on my cell", "renewals go out from a separate tool".
PLACE_VERBS = frozenset({"happen", "live", "go", "run"})
_CALENDAR_NAMES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march"}
    | {"april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb"}
    | {"mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
    | {"mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays"}
)


def _looks_like_name(tok: Token) -> bool:
    """Product names the small model mis-tags ("Loop/VERB for returns", "Linnworks/NOUN as the hub")."""
    text = tok.text
    if not text[:1].isalpha() or text.lower() in ("i", "i'm", "i'd"):
        return False
    if any(ch.isupper() for ch in text[1:]) or any(ch.isdigit() for ch in text):
        return text.lower() not in ("ok",)  # WebPT, ShipBob, GA4, eClinicalWorks
    if not text[0].isupper():
        return False
    if tok.i != tok.sent.start:
        return True
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.lower_ in ("for", "as", ",", "+", "and", "plus") and tok.dep_ == "ROOT"


# Places are no tools: "we filed a Texas report", "our Ontario office".
_PLACES = frozenset({
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
    "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine",
    "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska",
    "nevada", "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia",
    "washington", "wisconsin", "wyoming", "canada", "mexico", "ontario", "quebec", "england", "scotland", "wales",
    "ireland", "france", "germany", "spain", "italy", "europe", "america", "london", "paris", "berlin", "madrid",
})  # fmt: skip


def _is_tool(tok: Token) -> bool:
    if tok.lower_ in _CALENDAR_NAMES or tok.lower_ in _PLACES:
        return False  # "since October", "on Mondays", "a Texas report"
    if tok.pos_ == "PROPN" or (
        tok.pos_ not in ("PRON", "DET", "ADP", "CCONJ", "AUX", "PUNCT") and _looks_like_name(tok)
    ):
        return True
    return tok.pos_ in ("NOUN", "PROPN") and (tok.lemma_.lower() in TOOL_NOUNS or tok.lower_ in TOOL_NOUNS)


def _top_level(tok: Token, depth: int = 0) -> bool:
    if tok.dep_ == "ROOT":
        return True
    if depth > 6:
        return False
    if tok.dep_ in TOP_DEPS and tok.head.dep_ == "ROOT":
        return True
    return tok.dep_ in ("conj", "appos") and _top_level(tok.head, depth + 1)


_NP_START = frozenset({"a", "an", "the", "our", "my", "their", "his", "her", "some", "plus"})


def units(clause: Clause) -> list[tuple[int, int]]:
    """Cut a clause at its top-level conjuncts: "A, B for X, and C" -> A / B for X / C."""
    doc, lo, hi = clause.doc, clause.start, clause.end
    verbless = not any(
        (t.pos_ in ("VERB", "AUX") and (t.dep_ != "ROOT" or any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)))
        or t.pos_ == "AUX"
        for t in clause.span
    )  # "our site lead, Maria, keeps a log" has a subject and a verb: a sentence, not a list
    cuts: list[int] = []
    for tok in clause.span:
        if tok.dep_ == "appos" and tok.head.dep_ in ("nsubj", "nsubjpass") and tok.head.head.pos_ in ("VERB", "AUX"):
            continue  # "our site lead, Maria, keeps a log": the name renames the subject, it is no new item
        if tok.dep_ in ("conj", "appos") and tok.pos_ in ("NOUN", "PROPN") and _top_level(tok.head):
            left = tok.left_edge.i
            # Keep a preceding "and/plus/then" with the new unit; _trim drops them from the quote.
            while left - 1 > lo and doc[left - 1].lower_ in ("and", "plus", "then", ",", "or"):
                left -= 1
            if left > lo:
                cuts.append(left)
        elif tok.lower_ == "plus" and tok.i > lo and doc[tok.i - 1].text == ",":
            cuts.append(tok.i)
        elif _after_condition(doc, tok, lo, hi):
            cuts.append(tok.i + 1)  # "If they don't answer, we post a notice on the door": the step is the main clause
        elif _result_cut(doc, tok, lo, hi):
            cuts.append(tok.i)  # "the subs don't read it, so Dev calls them": the coping is the result
        elif verbless and tok.text == "," and tok.i + 1 < hi:
            # A list of tools the parser could not attach: "X for notes, a clearinghouse for claims, and ..."
            nxt = doc[tok.i + 1]
            nxt2 = doc[tok.i + 2] if tok.i + 2 < hi else nxt
            if (
                nxt.lower_ in _NP_START
                or nxt.text[:1].isupper()
                or (nxt.lower_ == "and" and (nxt2.lower_ in _NP_START or nxt2.text[:1].isupper()))
            ):
                cuts.append(tok.i + 1)
    edges = [lo, *sorted(set(cuts)), hi]
    out: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(edges):
        a, b = _trim(doc, a, b)
        if a >= b:
            continue
        words = sum(1 for t in doc[a:b] if not t.is_punct)
        if out and words < MIN_UNIT_WORDS:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    if len(out) > 1 and sum(1 for t in doc[out[0][0] : out[0][1]] if not t.is_punct) < MIN_UNIT_WORDS:
        out[1] = (out[0][0], out[1][1])
        out.pop(0)
    return out


def _after_condition(doc, tok: Token, lo: int, hi: int) -> bool:
    """The comma closing an opening "if/when ..." clause, before a main clause with its own subject."""
    if tok.text != "," or doc[lo].lower_ not in ("if", "when", "whenever", "once") or tok.i + 1 >= hi:
        return False
    if any(t.text == "," for t in doc[lo : tok.i]):
        return False  # only the first comma closes the condition
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.head.i > tok.i for t in doc[tok.i + 1 : hi])


def _result_cut(doc, tok: Token, lo: int, hi: int) -> bool:
    """ "..., so <subject> <verb> ...": the clause after "so" says what they do about it."""
    return (
        tok.lower_ == "so"
        and tok.i > lo
        and doc[tok.i - 1].text == ","
        and tok.i + 1 < hi
        and any(t.dep_ in ("nsubj", "nsubjpass") and t.head.i > t.i for t in doc[tok.i + 1 : hi])
    )


def coping_result(clause: Clause) -> tuple[int, int]:
    """The span of a coping clause to quote: the result after ", so" when that alone names the coping
    ("it doesn't explain anything, so I write a note for each owner in Word"), else the whole clause."""
    doc, lo, hi = clause.doc, clause.start, clause.end
    for tok in clause.span:
        if _result_cut(doc, tok, lo, hi):
            a, b = _trim(doc, tok.i, hi)
            if a < b and coping_clause(Clause(doc, a, b, clause.sent_start, clause.sent_end)):
                return a, b
    return lo, hi


def names_coping(doc, a: int, b: int) -> bool:
    """A unit in a 'how do you solve it today' answer that names a tool, helper, manual step or 'nothing'."""
    toks = doc[a:b]
    if any(_is_tool(t) for t in toks):
        return True
    if any(
        t.lower_ in ("manually", "manual") or (t.lower_ == "hand" and t.i > 0 and doc[t.i - 1].lower_ == "by")
        for t in toks
    ):
        return True
    if any(
        t.lower_ in OWN_PRODUCT
        and t.head.lemma_.lower() in ("product", "app", "tool", "platform", "software", "system")
        for t in toks
    ):
        return True
    first = [t for t in toks if not t.is_punct]
    if first and first[0].lower_ in NOTHING_WORDS and len(first) <= 4:
        return True
    if any(contacts_people(t, a, b) for t in toks):
        return True
    return any(t.pos_ == "VERB" and t.lemma_.lower() in COPING_VERBS and _own_subject(t) for t in toks)


def _own_subject(verb: Token) -> bool:
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return not subj or any(
        s.lower_ in ("i", "we", "she", "he", "they")
        or s.pos_ == "PROPN"
        or any(c.lower_ in ("my", "our") for c in s.children)
        for s in subj
    )


PAST_TOOL = frozenset({"drop", "stop", "cancel", "quit", "abandon", "trial", "trialle", "churn", "ditch"})


def _abandoned(doc, a: int, b: int) -> bool:
    """ "Phreesia was trialled last year and dropped", "We tried an app, but ...": a tool they no longer use.
    Judged on the whole sentence, since the parse often cuts "we tried X, two years ago, but ..." apart."""
    sent = doc[a].sent
    return (
        any(
            (t.lemma_.lower() in PAST_TOOL and t.tag_ in ("VBD", "VBN"))
            or t.lower_ in ("trialled", "trialed", "dropped", "tried")
            for t in sent
        )
        or "used to" in sent.text.lower()
    )


_NOT_THINGS = frozenset(
    [
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "time",
        "times",
        "ago",
        "thing",
        "things",
        "way",
        "lot",
        "bit",
        "people",
        "guy",
        "guys",
    ]
)


def _names_a_thing(doc, a: int, b: int) -> bool:
    return any(
        t.pos_ in ("NOUN", "PROPN")
        and not t.is_stop
        and t.lemma_.lower() not in _NOT_THINGS
        and t.lower_ not in _CALENDAR_NAMES
        for t in doc[a:b]
    )


_COPING_TRIGGERS = (
    COPING_VERBS
    | CONTACT_VERBS
    | RECORDING_VERBS
    | CREATING_VERBS
    | PLACE_VERBS
    | frozenset({"resort", "revert", "back"})  # falling back on a tool (_works_in_a_tool)
    | TOOL_DOES
    | frozenset(
        {
            "your",
            "manual",
            "outsource",
            "handled",
            "outsourced",
            "done",
            "managed",
            "covered",
            "sheet",
            "spreadsheet",
            "excel",
            "notebook",
            "whiteboard",
            "csv",
        }
    )
)


_NOT_CONTACTED = frozenset({"me", "us", "it", "that", "this", "those", "these", "myself", "ourselves"})
# Calling one's family is life, not a way of coping with work: "I call my mom every Sunday".
_FAMILY = frozenset({"mom", "mum", "dad", "mother", "father", "wife", "husband", "son", "daughter", "kids", "family"})


def contacts_people(tok: Token, lo: int, hi: int) -> bool:
    """The speaker's side reaching people by hand, as a habit: "I call the tenant", "she emails
    applicants for their payslips", "Dev is still calling them", "(I) call or text each one".
    Not something done to them ("they email me"), a one-off in the past ("I called the bank last
    year"), a refusal or a wish ("I won't call", "I'd text them"), nor naming ("call it $5k")."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in CONTACT_VERBS or tok.tag_ in ("VBD", "VBN"):
        return False
    if not _own_subject(tok) or _modal_or_negated(tok):
        return False
    has_subj = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
    if tok.tag_ == "VBG" and not any(c.dep_ == "aux" for c in tok.children):
        return False  # a chore in a list ("triaging, calling the vendor, ..."), not a habit said as one
    if tok.tag_ == "VB" and not has_subj and tok.dep_ not in ("xcomp", "conj"):
        return False  # "Call w/ Jasmine (founder)": a note's heading or an imperative
    if tok.dep_ in ("conj", "xcomp") and (tok.head.tag_ in ("VBD", "VBN") or _modal_or_negated(tok.head)):
        return False  # "... and called her", "I don't have to call him"
    objs = [c for c in tok.children if c.dep_ in ("dobj", "dative") and lo <= c.i < hi]
    if any(c.dep_ in ("oprd", "ccomp", "attr") and c.i > tok.i for c in tok.children) or len(objs) > 1:
        return False  # "call it a day", "call it $5,000"
    if objs:
        return all(o.lower_ not in _NOT_CONTACTED and o.lemma_.lower() not in _FAMILY for o in objs)
    # "call or text each one": a bare verb joined to another way of reaching people.
    return any(c.dep_ == "conj" and c.pos_ == "VERB" and c.lemma_.lower() in CONTACT_VERBS for c in tok.children) or (
        tok.dep_ == "conj" and tok.head.lemma_.lower() in CONTACT_VERBS
    )


_PLACE_PREPS = frozenset({"in", "into", "on", "onto", "through", "via", "using", "from", "off"})
_ARTEFACTS = frozenset(
    {"sheet", "spreadsheet", "tracker", "log", "list", "binder", "calendar", "board", "whiteboard", "checklist"}
    | {"doc", "document", "template", "folder", "notebook", "form", "database", "dashboard", "chat", "group"}
)


def _named_tool(tok: Token) -> bool:
    """A tool or a product's name, not a month or a weekday ("in Word", "on Teams", not "on Monday")."""
    return _is_tool(tok) and tok.lemma_.lower() not in ("head", "memory", "gut")


def _works_in_a_tool(tok: Token, lo: int, hi: int) -> bool:
    """Their own work done in or through a tool: "I write a note for each owner in Word", "I tell the
    crew on Teams", "Katie started a Google Sheet", "vendor scheduling happens on my cell phone".
    Not wished, refused, or said of someone else."""
    if tok.pos_ != "VERB" or _modal_or_negated(tok):
        return False
    lem = tok.lemma_.lower()
    if (
        lem in PLACE_VERBS
        and tok.tag_ not in ("VBD", "VBN")
        and not any(c.lower_ in ("wrong", "down") for c in tok.children)
    ):
        # The work lives somewhere: "scheduling happens on my cell", "renewals go out from a separate tool".
        for c in tok.children:
            if (
                c.dep_ == "prep"
                and c.lower_ in _PLACE_PREPS
                and lo <= c.i < hi
                and any(g.dep_ == "pobj" and _named_tool(g) and not g.like_num for g in c.children)
            ):
                return True
    if not _own_subject(tok):
        return False
    if lem in RECORDING_VERBS:
        # The place hangs off the verb or its object: "write the specials in Word".
        holders = [tok, *(c for c in tok.children if c.dep_ in ("dobj", "dative"))]
        for c in (c for h in holders for c in h.children):
            if (
                c.dep_ == "prep"
                and c.lower_ in _PLACE_PREPS
                and lo <= c.i < hi
                and any(g.dep_ == "pobj" and _named_tool(g) for g in c.children)
            ):
                return True
    # Falling back on a tool: "we always go back to the spreadsheet", "we resort to email".
    back = [c for c in tok.children if c.lower_ == "back"]
    if lem in ("resort", "revert") or (lem in ("go", "fall") and back):
        preps = [c for h in (tok, *back) for c in h.children if c.dep_ == "prep" and c.lower_ in ("to", "on")]
        if any(g.dep_ == "pobj" and _named_tool(g) for c in preps for g in c.children):
            return True
    if lem in CREATING_VERBS and tok.tag_ not in ("VBG", "VBN"):
        for c in tok.children:
            if (
                c.dep_ == "dobj"
                and lo <= c.i < hi
                and (c.lemma_.lower() in _ARTEFACTS or (c.pos_ == "PROPN" and _named_tool(c)))
            ):
                return not any(g.dep_ == "neg" for g in c.children)
    return False


def _tool_does_it(tok: Token, lo: int, hi: int) -> bool:
    """A named tool doing the job: "SimplePractice handles most of it", "LeaseLoop takes it"."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in TOOL_DOES or tok.tag_ not in ("VBZ", "VBP"):
        return False
    if _modal_or_negated(tok) or not any(c.dep_ == "dobj" for c in tok.children):
        return False
    return any(c.dep_ == "nsubj" and lo <= c.i < hi and _product_name(c) for c in tok.children)


def _product_name(tok: Token) -> bool:
    """A product's name: "SimplePractice", "LeaseLoop", "GA4" - not a person ("Jane") or a role ("our CTO")."""
    text = tok.text
    if any(c.dep_ in ("poss", "det") for c in tok.children) or text.isupper() or _SURNAME_CAPS.match(text):
        return False
    return text[:1].isupper() and (any(ch.isupper() for ch in text[1:]) or any(ch.isdigit() for ch in text))


# Family names with a capital inside ("McKenzie", "MacLeod", "O'Brien", "DeSouza") are people, not products.
_SURNAME_CAPS = re.compile(r"^(?:Mc|Mac|O'|O’|De|Di|La|Le|Van|Von|St)[A-Z][a-z]+$")  # noqa: RUF001


def _modal_or_negated(tok: Token) -> bool:
    return any(
        c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in ("would", "'d", "could", "might", "should", "wo", "will"))
        for c in tok.children
    )


_ADOPTION_VERBS = frozenset({"start", "begin", "set", "switch", "move", "adopt", "build", "create", "introduce"})
_LAST = frozenset({"week", "month", "year", "quarter", "spring", "summer", "fall", "autumn", "winter", "time"})


def _one_time_event(clause: Clause) -> bool:
    """Said in the past at a point in time ("in June", "last year", "once", "yesterday")."""
    span = clause.span
    past = [t for t in span if t.tag_ == "VBD" and t.pos_ == "VERB"]
    # Starting something is the start of a practice: "last year we started a shared sheet".
    if not past or any(t.lemma_.lower() in _ADOPTION_VERBS for t in past):
        return False
    if any(t.lower_ in ("still", "now") for t in span.sent):
        return False  # "... and we still use it"
    words = [t.lower_ for t in span]
    return (
        any(w in _CALENDAR_NAMES or w in ("yesterday", "once") for w in words)
        or any(a == "last" and b in _LAST for a, b in itertools.pairwise(words))
        or any(t.like_num and len(t.text) == 4 and t.text.startswith("20") for t in span)
    )


def coping_clause(clause: Clause, lemmas: set[str] | None = None) -> bool:
    """Outside a 'current solution' answer: a coping verb acting on a tool/artefact, or done by hand."""
    if lemmas is not None and not (lemmas & _COPING_TRIGGERS):
        return False  # nothing that could name a workaround: skip the parse walks
    if _one_time_event(clause):
        return False  # "in June we filed a Texas report two days late": an incident, not a practice
    doc, lo, hi = clause.doc, clause.start, clause.end
    if any(contacts_people(t, lo, hi) or _works_in_a_tool(t, lo, hi) or _tool_does_it(t, lo, hi) for t in clause.span):
        return True
    for tok in clause.span:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in COPING_VERBS or not _own_subject(tok):
            continue
        args = [
            t
            for c in tok.children
            if c.dep_ in ("dobj", "prep", "agent", "dative", "advmod", "npadvmod")
            for t in c.subtree
            if lo <= t.i < hi
        ]
        if any(_is_tool(t) for t in args):
            return True
        if any(t.lower_ in ("manually",) or (t.lower_ == "hand" and doc[t.i - 1].lower_ == "by") for t in args):
            return True
        if tok.tag_ == "VBN" and any(c.dep_ == "agent" for c in tok.children):
            pass
    # "we moved to your scheduling tool": the vendor's own product, named by the interviewee.
    for tok in clause.span:
        if tok.lower_ == "your" and tok.head.lemma_.lower() in PRODUCT_NOUNS and tok.head.dep_ in ("pobj", "dobj"):
            return True
    # "so those are manual emails w/ the carrier": a manual process through a named channel.
    if any(t.lower_ == "manual" and t.dep_ == "amod" and t.head.lemma_.lower() in TOOL_NOUNS for t in clause.span):
        return True
    # "handled by Printful", "billing outsourced to a firm": work passed to someone else.
    for tok in clause.span:
        if (
            tok.tag_ == "VBN"
            and tok.lemma_.lower() in ("handle", "outsource", "do", "manage", "cover")
            and any(
                c.dep_ in ("agent", "prep")
                and any(
                    _is_tool(g)
                    or g.lemma_.lower()
                    in ("firm", "agency", "company", "contractor", "accountant", "bookkeeper", "freelancer")
                    for g in c.subtree
                )
                for c in tok.children
            )
        ):
            return True
    # "renewals live in a shared sheet": an artefact as the place the work lives.
    for tok in clause.span:
        if (
            tok.lemma_.lower() in ("sheet", "spreadsheet", "excel", "notebook", "whiteboard", "csv")
            and tok.dep_ == "pobj"
            and tok.head.lower_ in ("in", "into", "on", "onto", "via", "using", "through")
        ):
            return not _abandoned(doc, lo, hi)
    return False


def is_workaround_unit(doc, a: int, b: int, ev: Evidence, topic: str | None) -> bool:
    if ev.wish or (ev.label == "praise" and not any(_is_tool(t) for t in doc[a:b] if t.dep_ in ("nsubj", "ROOT"))):
        return False
    if topic == "current_solution":
        first = next((t for t in doc[a:b] if not t.is_punct), None)
        if first is not None and first.lower_ in NOTHING_WORDS and b - a <= 5:
            return True  # "Nothing really."
        if not _abandoned(doc, a, b) and any(contacts_people(t, a, b) for t in doc[a:b]):
            return True  # "honestly we just ring people", "for no-shows I call them myself"
        if _abandoned(doc, a, b) or ev.unmet or ev.negated_praise or not _names_a_thing(doc, a, b):
            return False  # "the foremen don't like phones" is not how they cope
        if names_coping(doc, a, b):
            return True
        # In an answer to "how do you cope today?" a unit naming any thing is how they cope,
        # unless it only judges ("it's priced for big teams" is a pain, not a tool).
        return (
            ev.score < 2
            and any(t.pos_ in ("NOUN", "PROPN") and not t.is_stop for t in doc[a:b])
            and _subject_is_thing(doc, a, b)
        )
    return False


def _subject_is_thing(doc, a: int, b: int) -> bool:
    subj = [t for t in doc[a:b] if t.dep_ in ("nsubj", "nsubjpass")]
    return not subj or all(s.pos_ in ("NOUN", "PROPN") or s.lower_ in ("i", "we") for s in subj)
