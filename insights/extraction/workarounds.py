"""Workarounds: the clause naming how they cope today (a tool, a spreadsheet, a manual process, a person, "nothing").

In an answer to "how do you solve it today?" every unit naming a tool, artefact, helper or manual
step is a workaround; lists of tools are cut at their top-level conjuncts ("Weave for phones,
Open Dental for the schedule, and a fax service" is three). Elsewhere a clause needs a coping verb
with an artefact or a manual marker ("she copies ticket counts by hand", "handled by Printful").
"""

from __future__ import annotations

from spacy.tokens import Token

from .clauses import Clause, _trim
from .lexicon import COPING_VERBS, TOOL_NOUNS
from .pains import Evidence

TOP_DEPS = frozenset({"ROOT", "attr", "dobj", "nsubj", "appos"})
NOTHING_WORDS = frozenset({"nothing", "none", "nobody", "nah", "no"})
OWN_PRODUCT = frozenset({"your", "our"})
MIN_UNIT_WORDS = 2


def _is_tool(tok: Token) -> bool:
    if tok.pos_ == "PROPN" and tok.ent_type_ not in ("PERSON", "DATE", "GPE"):
        return True
    return tok.pos_ in ("NOUN", "PROPN") and (tok.lemma_.lower() in TOOL_NOUNS or tok.lower_ in TOOL_NOUNS)


def units(clause: Clause) -> list[tuple[int, int]]:
    """Cut a clause at its top-level conjuncts: "A, B for X, and C" -> A / B for X / C."""
    doc, lo, hi = clause.doc, clause.start, clause.end
    cuts: list[int] = []
    for tok in clause.span:
        if tok.dep_ in ("conj", "appos") and tok.pos_ in ("NOUN", "PROPN") and tok.head.dep_ in TOP_DEPS and tok.head.pos_ in ("NOUN", "PROPN"):
            if tok.head.dep_ == "ROOT" or tok.head.head.dep_ == "ROOT" or tok.head.head.i == tok.head.i:
                left = tok.left_edge.i
                # Keep a preceding "and/plus/then" with the new unit; _trim drops them from the quote.
                while left - 1 > lo and doc[left - 1].lower_ in ("and", "plus", "then", ",", "or"):
                    left -= 1
                if left > lo:
                    cuts.append(left)
        elif tok.lower_ == "plus" and tok.i > lo and doc[tok.i - 1].text == ",":
            cuts.append(tok.i)
    edges = [lo, *sorted(set(cuts)), hi]
    out: list[tuple[int, int]] = []
    for a, b in zip(edges, edges[1:]):
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


def names_coping(doc, a: int, b: int) -> bool:
    """A unit in a 'how do you solve it today' answer that names a tool, helper, manual step or 'nothing'."""
    toks = doc[a:b]
    if any(_is_tool(t) for t in toks):
        return True
    if any(t.lower_ in ("manually", "manual") or (t.lower_ == "hand" and t.i > 0 and doc[t.i - 1].lower_ == "by") for t in toks):
        return True
    if any(t.lower_ in OWN_PRODUCT and t.head.lemma_.lower() in ("product", "app", "tool", "platform", "software", "system") for t in toks):
        return True
    first = [t for t in toks if not t.is_punct]
    if first and first[0].lower_ in NOTHING_WORDS and len(first) <= 4:
        return True
    return any(t.pos_ == "VERB" and t.lemma_.lower() in COPING_VERBS for t in toks)


def coping_clause(clause: Clause) -> bool:
    """Outside a 'current solution' answer: a coping verb acting on a tool/artefact, or done by hand."""
    doc, lo, hi = clause.doc, clause.start, clause.end
    for tok in clause.span:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in COPING_VERBS:
            continue
        args = [t for c in tok.children if c.dep_ in ("dobj", "prep", "agent", "dative", "advmod", "npadvmod") for t in c.subtree if lo <= t.i < hi]
        if any(_is_tool(t) for t in args):
            return True
        if any(t.lower_ in ("manually",) or (t.lower_ == "hand" and doc[t.i - 1].lower_ == "by") for t in args):
            return True
    # "renewals live in a shared sheet", "Paper forms for intake": an artefact as the place work lives.
    for tok in clause.span:
        if tok.lemma_.lower() in ("sheet", "spreadsheet", "excel", "notebook", "whiteboard", "clipboard", "paper", "csv") and tok.pos_ in ("NOUN", "PROPN"):
            return True
    return False


def is_workaround_unit(doc, a: int, b: int, ev: Evidence, topic: str | None) -> bool:
    if ev.wish or ev.label == "praise" and not any(_is_tool(t) for t in doc[a:b] if t.dep_ in ("nsubj", "ROOT")):
        return False
    if topic == "current_solution":
        return names_coping(doc, a, b)
    return False
