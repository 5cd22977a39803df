"""Clause segmentation and negation scope on a spaCy parse.

Gold quotes are "the shortest clause or sentence" stating one thing, and the scorer matches one
quote to one mention, so a sentence holding two problems must yield two mentions. We cut sentences
where the parse shows a new predication: coordinated verbs with their own subject, "but"-clauses,
non-restrictive "which" clauses, reason clauses ("because ..."), and semicolons/colons followed by
a verb. Conditionals ("if X, we lose Y") stay whole: the condition is part of the risk.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
VERBAL = frozenset({"VERB", "AUX"})
SPLIT_MARKS = frozenset({"because", "since", "although", "though", "whereas", "while", "cause", "bc", "cos"})
HARD_PUNCT = frozenset({";", "—", "–", "→", "->", "=>", "|"})  # noqa: RUF001
SOFT_PUNCT = frozenset({":"})
LEADING_JUNK = frozenset(
    {
        "and",
        "but",
        "or",
        "plus",
        "so",
        "then",
        "also",
        ",",
        ";",
        ":",
        "-",
        "—",
        "–",  # noqa: RUF001
        "→",
        "(",
        ")",
        "'",
        '"',
        "“",
        "”",
        "‘",  # noqa: RUF001
        "’",  # noqa: RUF001
        "yet",
        "&",
        "+",
    }
)
TRAILING_JUNK = frozenset(
    {",", ";", ":", "-", "—", "–", "→", "(", "and", "but", "or", "so", "plus", "'", '"', "“", "‘", "&", "+"}  # noqa: RUF001
)
SUBORDINATORS = frozenset(
    {"if", "when", "whenever", "unless", "once", "because", "as", "since", "while", "until", "after", "before"}
)
NEG_SUBJECTS = frozenset({"nothing", "nobody", "none", "noone", "neither", "no one", "no-one"})
NEG_WORDS = frozenset(
    {"not", "n't", "never", "no", "nothing", "nobody", "none", "neither", "nor", "without", "hardly", "barely"}
)


@dataclass(frozen=True)
class Clause:
    doc: Doc
    start: int  # token offsets in doc
    end: int
    sent_start: int  # token offsets of the sentence the clause is in
    sent_end: int

    @functools.cached_property
    def span(self) -> Span:  # cached: evidence, themes and workarounds all walk it
        return self.doc[self.start : self.end]

    @property
    def sentence(self) -> Span:
        return self.doc[self.sent_start : self.sent_end]


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in SUBJ_DEPS for c in tok.children)


def _boundaries(sent: Span) -> set[int]:
    """Token indices (doc-level) where a new clause starts inside this sentence."""
    cuts: set[int] = set()
    first = sent.start
    commas: list[int] = []
    for tok in sent:
        i = tok.i
        if tok.text == ",":
            commas.append(i)
        if tok.text in HARD_PUNCT and i + 1 < sent.end:
            cuts.add(i + 1)
        elif tok.text in SOFT_PUNCT and i + 1 < sent.end:
            # "Tool fatigue: A, B, C" stays whole; "The annoying part is handoffs: support asks me ..." splits.
            rest = sent.doc[i + 1 : sent.end]
            if any(
                t.pos_ in VERBAL and (t.dep_ in ("ROOT", "conj", "parataxis", "ccomp", "advcl") or _has_subject(t))
                for t in rest
            ):
                cuts.add(i + 1)
        dep = tok.dep_
        if dep in ("conj", "parataxis") and tok.pos_ in VERBAL | {"ADJ"}:
            prev = sent.doc[tok.left_edge.i - 1] if tok.left_edge.i > first else None
            prev2 = sent.doc[tok.left_edge.i - 2] if tok.left_edge.i - 1 > first else None
            ccs = [c.lower_ for c in tok.head.children if c.dep_ == "cc" and c.i < tok.i]
            # "we either oversell or hide products": a bare verb conjunct stays; after a comma it is a new step.
            comma_before = prev is not None and (
                prev.text in (",", ";") or (prev.dep_ == "cc" and prev2 is not None and prev2.text == ",")
            )
            if _has_subject(tok) or "but" in ccs or "yet" in ccs or (comma_before and tok.pos_ in VERBAL):
                cuts.add(tok.left_edge.i)
        elif dep == "relcl" and tok.left_edge.lower_ in ("which", "who") and tok.left_edge.i > first:
            if sent.doc[tok.left_edge.i - 1].text == ",":
                cuts.add(tok.left_edge.i)
        elif dep == "advcl":
            marks = [c.lower_ for c in tok.children if c.dep_ == "mark"]
            if any(m in SPLIT_MARKS for m in marks) and tok.left_edge.i > first:
                cuts.add(tok.left_edge.i)
        elif dep == "cc" and tok.lower_ == "but" and i > first and i + 1 < sent.end:
            cuts.add(i)
    if commas:
        cuts |= _comma_splices(sent, commas)
    cuts.discard(first)
    return {c for c in cuts if first < c < sent.end}


def _finite_with_subject(doc: Doc, a: int, b: int) -> bool:
    return any(t.pos_ in VERBAL and any(c.dep_ in SUBJ_DEPS and a <= c.i < b for c in t.children) for t in doc[a:b])


def _comma_splices(sent: Span, commas: list[int]) -> set[int]:
    """Commas joining two full clauses the parser glued together: "I check Stripe, I ping engineering"."""
    doc = sent.doc
    cuts: set[int] = set()
    edges = [sent.start - 1, *commas, sent.end]
    for k in range(1, len(edges) - 1):
        left = (edges[k - 1] + 1, edges[k])
        right = (edges[k] + 1, edges[k + 1])
        if doc[left[0]].lower_ in SUBORDINATORS:
            continue  # "If the audit slips, those slip too": the condition belongs to its main clause
        if _finite_with_subject(doc, *left) and _finite_with_subject(doc, *right):
            nxt = doc[edges[k] + 1] if edges[k] + 1 < sent.end else None
            # Not before a relative/complement word that continues the first clause.
            if doc[edges[k] - 1].like_num and nxt is not None and nxt.like_num:
                continue  # a spoken range: "for two, three days"
            if nxt is not None and nxt.lower_ not in ("which", "who", "that", "where", "when", "if", "because", "so"):
                cuts.add(edges[k] + 1)
    return cuts


def _trim(doc: Doc, a: int, b: int) -> tuple[int, int]:
    while a < b and (doc[a].lower_ in LEADING_JUNK or doc[a].is_space):
        a += 1
    while b > a and (doc[b - 1].lower_ in TRAILING_JUNK or doc[b - 1].is_space):
        b -= 1
    return a, b


def _words(doc: Doc, a: int, b: int) -> int:
    return sum(1 for t in doc[a:b] if not (t.is_punct or t.is_space))


MIN_CLAUSE_WORDS = 3


def split_clauses(doc: Doc) -> list[Clause]:
    """All clauses of a doc, in order. Fragments shorter than MIN_CLAUSE_WORDS join their neighbour."""
    out: list[Clause] = []
    for sent in doc.sents:
        cuts = sorted(_boundaries(sent))
        edges = [sent.start, *cuts, sent.end]
        parts = [(edges[k], edges[k + 1]) for k in range(len(edges) - 1)]
        merged: list[tuple[int, int]] = []
        for a, b in parts:
            if (merged and _words(doc, a, b) < MIN_CLAUSE_WORDS) or (
                merged and _words(doc, *merged[-1]) < MIN_CLAUSE_WORDS
            ):
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        for a, b in merged:
            ta, tb = _trim(doc, a, b)
            if ta < tb:
                out.append(Clause(doc, ta, tb, sent.start, sent.end))
    return out


def predicate(tok: Token, lo: int, hi: int) -> Token:
    """The verb (or clause root) governing tok, staying inside tokens [lo, hi)."""
    cur = tok
    for _ in range(8):
        if cur.pos_ in VERBAL or cur.dep_ == "ROOT":
            return cur
        head = cur.head
        if head is cur or not (lo <= head.i < hi):
            return cur
        cur = head
    return cur


def _is_neg_det(tok: Token) -> bool:
    # "no" as a determiner negates; "no-shows" (no + hyphen) is a noun, not a negation.
    if tok.lower_ not in ("no", "not"):
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return not (nxt is not None and nxt.text == "-" and not tok.whitespace_)


def is_negated(tok: Token, lo: int, hi: int) -> bool:
    """True when tok sits under a negation: its own "not"/"no", a "never" on a governing verb, or a
    "nothing"/"nobody" subject of its predicate ("Nobody's getting fined", "Nothing like a fine")."""
    if any(c.dep_ == "neg" or (c.dep_ == "det" and _is_neg_det(c)) for c in tok.children):
        return True
    if (tok.i > lo and _is_neg_det(tok.doc[tok.i - 1])) or (
        tok.i > lo and tok.doc[tok.i - 1].lower_ in ("never", "without")
    ):
        return True
    cur = tok
    passed_verb = False
    for _ in range(10):
        if cur.lower_ in NEG_SUBJECTS and cur is not tok and not passed_verb:
            return True  # "Nothing like a fine": the problem noun hangs off "nothing"
        if cur.pos_ in VERBAL and cur is not tok:
            passed_verb = True
        for c in cur.children:
            if not (lo <= c.i < hi) or c is tok:
                continue
            if c.dep_ == "neg":
                return True
            if c.dep_ in SUBJ_DEPS and (
                c.lower_ in NEG_SUBJECTS
                or any(g.dep_ in ("det", "neg", "advmod") and _is_neg_det(g) for g in c.children)
            ):
                return True
            if c.dep_ == "aux" and any(g.dep_ == "neg" for g in c.children):
                return True
        if cur.dep_ == "relcl" and cur.head.lower_ in NEG_SUBJECTS:
            return True  # "nothing I'd lose sleep over", "nobody who complains"
        # Climb through the predicate, but not out of a relative, adverbial or complement clause
        # (tok's own included: "X is outdated, so agents can't find it" does not negate "outdated").
        if cur.dep_ in ("relcl", "advcl", "ccomp", "conj", "parataxis") and (cur is not tok or cur.pos_ in VERBAL):
            break
        head = cur.head
        if head is cur or not (lo <= head.i < hi):
            break
        cur = head
    return False
