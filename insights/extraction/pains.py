"""Is a clause a pain, a wish, praise, or neutral? Decided from the parse and general lexicons.

Evidence for a pain: problem nouns/adjectives/verbs that are not negated, negated abilities
("can't keep up", "doesn't support", "nobody knows"), negated praise ("not thrilled"), excess
("too many", "way too long"), tool sprawl ("six apps"), price rises, time sinks ("most of my
afternoon goes to X"), emotion idioms ("keeps me up"), manual effort and rework, obligation
("I have to redo it"). Evidence against: the problem word itself is negated ("isn't really an
issue"), praise without any problem, a wish ("I'd love ...", "I wish ..."), or a question.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from .clauses import NEG_SUBJECTS, Clause, is_negated
from .lexicon import (
    ABILITY_VERBS,
    CONTACT_VERBS,
    COPULA_IDIOM_NOUNS,
    COPY_WORDS,
    EMOTION_OBJECT_VERBS,
    EXPECTED_PHRASALS,
    EXPECTED_VERBS,
    HANDOVER_VERBS,
    META_PROBLEM_NOUNS,
    NEGATION_NEUTRAL_VERBS,
    PERSISTENCE_ADVS,
    PRAISE,
    PRICE_NOUNS,
    PROBLEM_ADJS,
    PROBLEM_NOUNS,
    PROBLEM_PHRASALS,
    PROBLEM_VERBS,
    RAISE_VERBS,
    REPAIR_VERBS,
    SPRAWL_NOUNS,
    STALL_VERBS,
    STOP_VERBS,
    STRONG_EMOTION,
    TIME_WORDS,
    TOGETHER_VERBS,
    TOOL_NOUNS,
    UNCERTAIN_ADJS,
    WISH_VERBS,
)
from .numbers import word_to_number

# How much evidence a clause needs to be called a pain, by the question it answers. Pricing and
# wish answers are not about problems; who/time answers rarely are.
THRESHOLDS = {
    "whats_broken": 2.0,
    "risk": 2.0,
    "typical_day": 2.0,
    "current_solution": 2.0,
    None: 2.0,
    "time_spent": 4.0,
    "who_else": 4.0,
    "willingness_to_pay": 99.0,
    "magic_wand": 99.0,
}
STRONG = 2.0
WEAK = 1.0
EXCESS_HEADS = frozenset(
    {
        "many",
        "much",
        "long",
        "slow",
        "expensive",
        "late",
        "often",
        "complicated",
        "hard",
        "little",
        "few",
        "busy",
        "more",
    }
)
# Phrasals that are a fault only without an object: "we ran out" / "we run the shop out of a garage",
# "sales dropped off" / "they drop it off", "the line backs up" / "we back up the files".
TRANSITIVE_LITERAL = frozenset({"run", "drop", "back", "put", "give"})
SUPERLATIVES = frozenset({"biggest", "worst", "main", "hardest", "toughest"})
EFFORT_VERBS = frozenset({"try", "work", "push", "fight", "think", "look", "train", "study"})
PRAISE_VERBS_NEEDING_OBJECT = frozenset({"like", "love", "save", "enjoy"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
MIN_VERBLESS_WORDS = 5


@dataclass
class Evidence:
    score: float = 0.0
    problem_words: list[Token] = field(default_factory=list)
    negated_problems: int = 0
    praise: int = 0
    negated_praise: int = 0
    unmet: int = 0
    wish: bool = False
    question: bool = False
    manual: bool = False
    conditional: bool = False
    has_verb: bool = False
    sprawl: bool = False  # too many tools/places
    handwork: float = 0.0  # the part of score from handwork/excess cues: how they cope, in a tools answer
    cue: bool = False  # effort, rework, excess or a time sink: enough on its own in an answer about problems
    excess: bool = False  # "too many", "too slow": a judgement even without a verb
    capped: bool = False  # a label or a pointer back, not a statement
    stops_business: bool = False  # "X means we stop Y", "we'd have to close"
    words: int = 0
    lemmas: set[str] = field(default_factory=set)  # lower-case lemmas and forms, for cheap prefilters

    @property
    def label(self) -> str:
        if self.wish:
            return "wish"
        if self.score <= 0 and self.praise:
            return "praise"
        return "pain" if self.score > 0 else "neutral"


@functools.lru_cache(maxsize=65536)
def _forms(low: str, lemma: str) -> frozenset[str]:
    out = {lemma, low}
    for suffix in ("ing", "ed", "es", "s", "d"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            stem = low[: -len(suffix)]
            out.add(stem)
            out.add(stem + "e")
            if len(stem) > 3 and stem[-1] == stem[-2]:
                out.add(stem[:-1])  # "slipped" -> "slip"
    return frozenset(out)


def forms(tok: Token) -> frozenset[str]:
    """Lemma, lower form and crude stems: the small model's lemmatizer errs on rare verbs ("scares" -> "scar")."""
    return _forms(tok.lower_, tok.lemma_.lower())


def _is_problem_word(tok: Token) -> bool:
    pos = tok.pos_
    f = forms(tok)
    if pos in ("NOUN", "PROPN") and f & PROBLEM_NOUNS:
        return not _fine_as_ok(tok)
    return _other_problem_word(tok, pos, f)


def _fine_as_ok(tok: Token) -> bool:
    """Fine as in OK: "that bit's fine", which the small model parses as a possessive and a noun. A
    fine (a penalty) has an article or an amount ("a fine", "the fines", "a $50k fine")."""
    if tok.lower_ != "fine" or tok.i == 0:
        return False
    before = tok.doc[tok.i - 1].lower_
    return before in ("'s", "’s", "is", "was", "be", "are", "were", "seems", "looks") and not any(  # noqa: RUF001
        c.dep_ in ("det", "nummod", "amod", "compound") for c in tok.children
    )


def _other_problem_word(tok: Token, pos: str, f: frozenset[str]) -> bool:
    if pos in ("ADJ", "ADV") and f & PROBLEM_ADJS:
        # "we try really hard", "they work hard": effort praised, not a difficulty.
        return not (
            tok.dep_ == "advmod" and tok.lower_ in ("hard", "harder") and tok.head.lemma_.lower() in EFFORT_VERBS
        )
    if pos == "VERB" and (f & PROBLEM_VERBS or (tok.tag_ == "VBN" and tok.lower_ in PROBLEM_ADJS)):
        # "Fridays I block for planning": blocking out one's own time is scheduling, not a blocker.
        return not (
            tok.lemma_.lower() == "block" and any(c.dep_ == "nsubj" and c.lower_ in FIRST_PERSON for c in tok.children)
        )
    # A problem verb the tagger read as a noun: "Scanner jams constantly", "If a licence lapses".
    if (
        pos == "NOUN"
        and tok.dep_ in ("ROOT", "nsubj")
        and tok.lower_.endswith("s")
        and f & PROBLEM_VERBS
        and not any(c.dep_ == "det" for c in tok.children)
    ):
        return True
    # "no-shows": the hyphenated compound is the word, not a negated "shows".
    if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ == "no":
        return bool({"no-" + w for w in f} & PROBLEM_NOUNS)
    return False


def _is_praise(tok: Token) -> bool:
    lem = tok.lemma_.lower()
    if lem not in PRAISE and tok.lower_ not in PRAISE:
        return False
    if tok.pos_ in ("ADJ", "ADV"):
        # "well" / "like" as fillers are not praise; as predicates they are.
        return tok.dep_ not in ("intj", "discourse") and not (tok.lower_ == "well" and tok.i == tok.sent.start)
    if tok.pos_ == "VERB":
        if lem in PRAISE_VERBS_NEEDING_OBJECT:
            return any(c.dep_ in ("dobj", "xcomp", "ccomp") for c in tok.children) and not _modal_would(tok)
        if lem == "work":
            return any(c.lower_ in ("well", "great", "fine", "perfectly") for c in tok.children)
        return lem in ("save", "enjoy")
    if tok.pos_ == "NOUN":
        return lem in ("fan",)
    return False


def _modal_would(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("would", "'d", "d", "should", "could") for c in tok.children)


def _is_wish(clause: Clause) -> bool:
    for tok in clause.span:
        lem = tok.lemma_.lower()
        if lem == "wish" and tok.pos_ == "VERB":
            return True
        if lem in WISH_VERBS and tok.pos_ == "VERB" and _modal_would(tok):
            if tok.i > 0 and any(t.lower_ == "than" for t in tok.doc[max(clause.start, tok.i - 3) : tok.i]):
                continue  # "more than I'd like": a measure of excess, no wish
            return True
        if tok.lower_ == "only" and tok.i > clause.start and tok.doc[tok.i - 1].lower_ == "if":
            return True
        if lem == "want" and tok.pos_ == "VERB" and not is_negated(tok, clause.start, clause.end):
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            # "I want X", "Wants fewer vendors": a wish; "the regulator wants reports" is not.
            if (not subj and tok.i == clause.start) or any(s.lower_ in ("i", "we") for s in subj):
                return True
    return False


def _subtree_words(tok: Token) -> set[str]:
    return {t.lower_ for t in tok.subtree}


def _unmet(tok: Token, lo: int, hi: int) -> bool:
    """A negated ability or function: "can't fill", "doesn't support", "nobody knows who ...", "never know"."""
    lem = tok.lemma_.lower()
    if lem in NEGATION_NEUTRAL_VERBS and lem not in ("know", "see"):
        return False
    if lem in PROBLEM_VERBS or lem == "be":
        return False  # "nothing is broken" / "it's not X": negated problems or praise, handled elsewhere
    children = [c for c in tok.children if lo <= c.i < hi]
    neg = any(c.dep_ == "neg" for c in children)
    modal_neg = neg and any(c.dep_ == "aux" and c.lower_ in ("ca", "can", "could", "cannot") for c in children)
    subj_neg = any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in NEG_SUBJECTS for c in children)
    if not (neg or subj_neg):
        return False
    if any(
        _is_problem_word(t)
        for c in children
        if c.dep_ in ("xcomp", "dobj", "acomp", "attr")
        for t in c.subtree
        if lo <= t.i < hi
    ):
        return False  # "nobody's going to fine us": a negated problem, not a missing ability
    if subj_neg and not neg and lem in ("go", "have", "get", "do", "need", "want"):
        return False
    if lem == "know" and not subj_neg and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "advcl") for c in children):
        return False  # "I don't know," as a filler
    if modal_neg and lem in ("guess", "say", "tell", "imagine", "remember", "believe", "complain", "wait", "recommend"):
        return False  # "I couldn't even guess", "can't complain"
    # Someone else not doing what they should ("people confirm and then don't come"); "we don't pay
    # for it" is a choice, "that doesn't come up" a phrasal, "... and that's fine" no complaint.
    particles = {c.lower_ for c in children if c.dep_ in ("prt", "advmod")}
    expected = (
        neg
        and not modal_neg
        and (
            (lem in EXPECTED_VERBS and not any(c.dep_ == "prt" for c in children))
            or EXPECTED_PHRASALS.get(lem, "") in particles  # "employers don't call back", "the crew never shows up"
        )
    )
    if expected and _someone_else(tok) and not _said_as_fine(tok):
        return True
    return modal_neg or subj_neg or lem in ABILITY_VERBS


def _someone_else(verb: Token) -> bool:
    """Whether the verb's subject is someone other than the speaker ("people", "the courier"), not
    "we", "our team", "it" or "that"; a conjunct verb shares its head's subject."""
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj and verb.dep_ == "conj":
        subj = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    speaker = FIRST_PERSON | {"you", "it", "that", "this"}
    return bool(subj) and not any(c.lower_ in speaker or any(o.lower_ in speaker for o in c.children) for c in subj)


def _said_as_fine(tok: Token) -> bool:
    """The sentence says the fact is fine: "..., which is great", "and that's fine"."""
    return any(t.lemma_.lower() in PRAISE and not is_negated(t, t.sent.start, t.sent.end) for t in tok.sent)


def _third_party_verb(tok: Token) -> Token | None:
    """The verb governing `tok` when someone other than the speaker does it ("they send", "transfers arrive")."""
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT":
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in HANDOVER_VERBS:
        return None
    if any(_is_problem_word(t) for t in tok.subtree):
        return None  # "without any issue": the problem is what's absent
    return verb if _someone_else(verb) and not _said_as_fine(tok) else None


def _quantity(tok: Token) -> float:
    """The count a token is modified by: "six apps" -> 6, "a lot of logins" -> 10."""
    for c in tok.children:
        if c.dep_ == "nummod" and c.like_num:
            n = word_to_number(c.text)
            return n if n is not None else 3.0  # "umpteen", "a hundred odd": some count, not a big one
    head = tok.head
    if (
        tok.dep_ == "pobj"
        and head.lower_ == "of"
        and head.head.lower_ in ("lot", "lots", "dozen", "bunch", "ton", "tons")
    ):
        return 10
    return 0


# What one switches between when there are too many tools: "context switching", "app-switching".
SWITCHED = frozenset({"context", "contexts", "tab", "tabs", "app", "apps", "tool", "tools", "screen", "screens"})


# Moving between places all day: "jumping between six apps", "flipping between all of them".
BETWEEN_VERBS = frozenset({"jump", "switch", "juggle", "bounce", "toggle", "flip", "hop"})


def _moves_between(tok: Token) -> bool:
    """Someone moving between places ("I bounce between the dashboard and HubSpot"), not things
    moving ("payments bounce between the two banks")."""
    return (
        tok.pos_ == "VERB"
        and tok.lemma_.lower() in BETWEEN_VERBS
        and any(c.lower_ == "between" for c in tok.children)
        and all(c.lower_ in PERSONAL for c in tok.children if c.dep_ == "nsubj")
    )


def _switches_between_tools(tok: Token, lo: int) -> bool:
    before = [t for t in tok.doc[max(lo, tok.i - 2) : tok.i] if t.text != "-"]
    return bool(before) and before[-1].lower_ in SWITCHED


def clause_evidence(clause: Clause) -> Evidence:
    ev = Evidence()
    lo, hi = clause.start, clause.end
    span = clause.span
    doc = clause.doc
    ev.question = span[-1].text == "?" or (hi < len(doc) and doc[hi].text == "?")
    ev.wish = _is_wish(clause)
    lemmas = ev.lemmas
    for tok in span:
        low = tok.lower_
        lem = tok.lemma_.lower()
        lemmas.add(lem)
        lemmas.add(low)
        if not (tok.is_punct or tok.is_space or tok.text.startswith("'") or tok.lower_ in ("n't", "ca", "wo")):
            ev.words += 1
        if tok.pos_ in ("VERB", "AUX"):
            ev.has_verb = True
        if lem in ("switch", "switching") and _switches_between_tools(tok, lo):
            ev.sprawl = True  # "the context switching", "tab-switching": tool sprawl by its usual name
        if _moves_between(tok):
            ev.sprawl = True  # "jumping between six apps", "I bounce between the dashboard and HubSpot"
        if low in ("if", "unless") or (tok.dep_ == "aux" and low in ("could", "can", "might", "would", "'d")):
            ev.conditional = True
        if _is_problem_word(tok):
            if any(t.lower_ in ("whatever", "whichever") for t in doc[max(lo, tok.i - 3) : tok.i]):
                continue  # "then whatever fire is happening", "whatever's on fire": any problem, none stated
            if _mistaken_belief(tok):
                ev.negated_problems += 1
                continue  # "I ran it again because I thought it had failed": it had not
            if tok.pos_ == "NOUN" and tok.dep_ in ("ROOT", "nsubj") and tok.lower_.endswith("s"):
                ev.has_verb = True
            if is_negated(tok, lo, hi) or _reduced(tok):
                ev.negated_problems += 1
                continue
            ev.problem_words.append(tok)
            if lem in META_PROBLEM_NOUNS:
                # "the problem is X" labels; "the challenge is that we're still on paper" states.
                ev.score += STRONG if _states_content(tok, lo, hi) else WEAK
            else:
                ev.score += STRONG
            continue
        if _is_praise(tok):
            if is_negated(tok, lo, hi):
                ev.negated_praise += 1
                ev.score += STRONG
            else:
                ev.praise += 1
            continue
        gained = _other_evidence(tok, lo, hi, ev)
        if gained:
            ev.score += gained
    if ev.negated_problems and ev.score <= WEAK:
        ev.score = 0.0
    if ev.praise and not ev.problem_words and not ev.unmet and not ev.negated_praise:
        ev.score = min(ev.score, 0.0)
    if any(c.dep_ == "amod" and c.lower_ in SUPERLATIVES for t in ev.problem_words for c in t.children):
        ev.excess = True  # "biggest headache", "worst part": a judgement, not a label
    if not ev.has_verb and ev.words < MIN_VERBLESS_WORDS and not ev.excess:
        ev.capped = True
        ev.score = min(
            ev.score, WEAK
        )  # "A breach." / "Denials, mostly." label, they don't state; "Too many logins." judges
    if ev.words <= 5 and _points_back(span):
        ev.capped = True
        ev.score = min(ev.score, WEAK)  # "That's the scary part": judges the previous sentence, which carries the pain
    return ev


REDUCING_VERBS = frozenset({"cut", "reduce", "halve", "eliminate", "prevent", "solve", "fix", "remove", "avoid"})


def _reduced(tok: Token) -> bool:
    """A problem something got rid of: "reminders cut our no-shows", "it solved the backlog"."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of":
        tok = tok.head.head  # "cut most of the errors"
    head = tok.head
    return (
        tok.dep_ == "dobj"
        and head.pos_ == "VERB"
        and head.lemma_.lower() in REDUCING_VERBS
        and not any(c.dep_ == "aux" and c.lower_ in ("would", "'d", "could", "to") for c in head.children)
        and not any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in head.children)
    )


def _points_back(span) -> bool:
    subj = [t for t in span if t.dep_ == "nsubj"]
    return bool(subj) and subj[0].lower_ in ("that", "this") and subj[0].head.lemma_ == "be"


def _states_content(tok: Token, lo: int, hi: int) -> bool:
    head = tok.head
    if tok.dep_ in ("nsubj", "attr") and head.lemma_ == "be":
        return any(
            (c.dep_ in ("ccomp", "advcl", "csubj") or c.lower_ == "that") and lo <= c.i < hi for c in head.children
        )
    return False


def _other_evidence(tok: Token, lo: int, hi: int, ev: Evidence) -> float:
    """Evidence from constructions rather than single problem words."""
    doc = tok.doc
    low, lem, pos = tok.lower_, tok.lemma_.lower(), tok.pos_
    f = forms(tok)
    if pos in ("NOUN", "PROPN") and low in COPULA_IDIOM_NOUNS and tok.dep_ == "attr" and tok.head.lemma_ == "be":
        if is_negated(tok, lo, hi):
            ev.negated_problems += 1  # "it's not a zoo"
            return 0.0
        ev.problem_words.append(tok)
        return STRONG  # "the scheduling is the pits", "intake week is a zoo"
    if _everyone_asks(tok):
        ev.problem_words.append(tok)
        return STRONG  # "every owner calls asking why their check is short"
    repeated = _repeated_by_others(tok, lo, hi)
    if repeated:
        ev.problem_words.append(tok)
        return STRONG  # "clients keep calling me", "the phone doesn't stop ringing"
    if pos in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass") and _unmet(tok, lo, hi):
        ev.unmet += 1
        return STRONG
    # "there are no reminders", "no idea if that's allowed": something needed is missing.
    if (
        low == "no"
        and tok.dep_ == "det"
        and tok.head.pos_ in ("NOUN", "PROPN")
        and not _is_problem_word(tok.head)
        and tok.head.lemma_.lower() not in ("one", "body", "way", "time", "doubt", "matter", "longer")
        and not _no_typical_day(tok.head)
    ):
        ev.unmet += 1
        return STRONG
    if low in ("nobody", "noone", "no-one") and tok.dep_ in ("attr", "dobj", "pobj") and tok.head.lemma_ in ("be",):
        ev.unmet += 1  # "half the time that's nobody"
        return STRONG
    if tok.pos_ == "ADJ" and f & UNCERTAIN_ADJS and is_negated(tok, lo, hi):
        ev.unmet += 1  # "I'm not sure that's compliant"
        return STRONG
    if low in ("without", "instead") and _third_party_verb(tok) is not None:
        ev.unmet += 1  # "transfers arrive without records", "they send the invoices instead of the notes"
        return STRONG
    if low == "too" and tok.head.lower_ in EXCESS_HEADS:
        ev.problem_words.append(tok.head)
        ev.excess = True
        if tok.head.lower_ == "many" and tok.head.head.lemma_.lower() in SPRAWL_NOUNS:
            ev.sprawl = True
        return STRONG
    if pos == "VERB":
        prts = {c.lower_ for c in tok.children if c.dep_ in ("prt", "advmod", "prep")}
        if any((p, q) in PROBLEM_PHRASALS for p in f for q in prts) and not (
            (lem in TRANSITIVE_LITERAL and any(c.dep_ == "dobj" for c in tok.children))
            or (
                lem == "go"
                and any(
                    c.dep_ == "prep"
                    and c.lower_ in prts
                    and any(g.dep_ == "pobj" and g.pos_ == "PRON" for g in c.children)
                    for c in tok.children
                )
            )
        ):  # "we run the shop out of a garage", "I go down it every morning": a place or a path, not a fault
            negated = is_negated(tok, lo, hi)
            if lem == "keep" and {"me", "us"} & {c.lower_ for c in tok.children} and not negated:
                return STRONG  # "keeps me up"
            if lem in ("keep", "catch"):
                pass  # "keep up" / "catch up" are problems only negated, which _unmet already counts
            elif negated:
                ev.negated_problems += 1
                return 0.0  # "people don't send it back"
            else:
                ev.problem_words.append(tok)
                return STRONG
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubj")]
        if (
            f & EMOTION_OBJECT_VERBS
            and any(c.dep_ == "dobj" and c.lower_ in ("me", "us") for c in tok.children)
            and lem not in ("keep",)
            and not is_negated(tok, lo, hi)
        ):
            return STRONG  # "what gets me", "drives me crazy", "bugs me"
        if f & RAISE_VERBS and any(c.lemma_.lower() in PRICE_NOUNS for c in objs):
            return STRONG  # "DHL raised prices twice"
        if (lem == "put" or lem == "go") and any(c.lemma_.lower() in PRICE_NOUNS for c in objs) and "up" in prts:
            return STRONG
        if _moves_between(tok):
            return STRONG  # "jumping between six apps" (clause_evidence marks the sprawl)
        if lem == "go" and any(c.dep_ in ("nsubj",) and (_subtree_words(c) & TIME_WORDS) for c in tok.children):
            return STRONG  # "most of my afternoon goes to insurance"
        if (
            lem == "go"
            and any(c.dep_ == "advmod" and c.lower_ == "where" for c in tok.children)
            and any(c.dep_ == "nsubj" and c.lower_ in TIME_WORDS for c in tok.children)
        ):
            return STRONG  # "where the hours go"
        if lem == "cost" and any(
            c.lower_ in ("me", "us", "more") or (c.dep_ == "advmod" and c.lower_ in ("more",))
            for c in tok.subtree
            if c.i != tok.i and lo <= c.i < hi
        ):
            return STRONG  # "cost me", "cost way more than we budgeted"
        if f & REPAIR_VERBS and not is_negated(tok, lo, hi):
            # "the script matches 85%", "Acme reminds me": a tool doing its job is not anyone's effort.
            ev.cue = ev.cue or not any(
                (c.dep_ == "nsubj" and (c.lemma_.lower() in TOOL_NOUNS or c.pos_ == "PROPN" or c.lower_ == "it"))
                or (c.dep_ == "dobj" and c.lower_ in ("me", "us"))  # done to them: "it reminds me"
                for c in tok.children
            )
            return WEAK
        if lem == "wait" and any(
            _subtree_words(c) & TIME_WORDS or c.like_num for c in tok.children if c.dep_ in ("dobj", "npadvmod", "prep")
        ):
            return STRONG  # "customers wait days for an answer"
        # "I spend the rest of the day with my kids", "half a day at the market on Saturdays": no time sink.
        spent_on_work = lem != "spend" or any(
            t.tag_ == "VBG" or (t.dep_ == "prep" and t.lower_ == "on" and not _names_a_day(t))
            for t in tok.subtree
            if t.i > tok.i
        )
        if (
            lem in ("eat", "take", "spend", "lose", "waste")
            and spent_on_work
            and any(
                c.dep_ in ("dobj", "npadvmod", "attr")
                and (
                    (c.lower_ in ("most", "all", "half") and _subtree_words(c) & TIME_WORDS)
                    or (_subtree_words(c) & {"half", "rest"} and c.lower_ in TIME_WORDS)
                    or (c.lower_ == "rest" and _subtree_words(c) & TIME_WORDS)
                    or _is_long_time(c)
                )
                for c in tok.children
            )
        ):
            return STRONG  # "it takes me most of the day", "I spend half a day on it", "the rest of the day"
        if (
            lem in ("take", "run", "drag")
            and any(c.lower_ in ("long", "longer") and c.dep_ in ("advmod", "acomp", "dobj") for c in tok.children)
            and not is_negated(tok, lo, hi)
        ):
            return STRONG  # "the flooring takes long", "which takes longer"
        if (
            lem == "hold"
            and any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children)
            and any(c.dep_ == "dobj" and (c.pos_ == "PRON" or c.lemma_.lower() in HELD_UP) for c in tok.children)
            and not is_negated(tok, lo, hi)
        ):
            ev.problem_words.append(tok)
            return STRONG  # "one trade holding everybody up"
        if (
            f & STALL_VERBS
            and any(c.lower_ == "there" for c in tok.children)
            and any(c.lower_ == "just" for c in tok.children)
            and _someone_else(tok)  # "I just sit there and watch the game" is a Sunday, not a backlog
        ):
            ev.problem_words.append(tok)
            return STRONG  # "those files just sit there"
        if lem in ("work", "hold", "last") and any(
            c.dep_ == "advcl"
            and any(g.dep_ == "mark" and g.lower_ == "until" for g in c.children)
            and any(g.dep_ == "neg" for g in c.children)
            and c.lemma_.lower() in ("do", "be")
            for c in tok.children
        ):
            return STRONG  # "which works until it doesn't": fragile
        if (
            lem in ("eat", "take", "spend", "lose", "waste")
            and spent_on_work
            and any(
                _subtree_words(c) & TIME_WORDS or c.like_num
                for c in tok.children
                if c.dep_ in ("dobj", "npadvmod", "attr")
            )
        ):
            ev.cue = True
            return WEAK  # time drained: "takes 20 minutes", "spend most mornings"
        if lem == "end" and any(c.lower_ == "up" for c in tok.children):
            ev.cue = True
            return WEAK  # "we end up rescheduling"
        stop = _stops(tok, lo, hi)
        if stop:
            ev.stops_business = ev.stops_business or stop == "stop"
            return STRONG  # "a lapsed permit means we stop trading", "we'd have to close"
        if f & TOGETHER_VERBS and any(c.lower_ == "together" for c in tok.children):
            ev.manual = True
            ev.handwork += WEAK
            return WEAK  # "reports stitched together"
        if (
            f & STALL_VERBS
            and any(c.dep_ in ("prep", "npadvmod", "dobj") and _is_duration(c) for c in tok.children)
            and not any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in PERSONAL for c in tok.children)
        ):
            return STRONG  # "claims sit in a queue for a week"
        if lem in ("take", "eat", "spend", "waste", "last") and any(
            c.dep_ in ("dobj", "npadvmod", "attr", "advmod") and _is_long_time(c) for c in tok.children
        ):
            return STRONG  # "takes forever", "eats the whole of Monday"
        if (
            f & COPY_WORDS
            and not (tok.i + 1 < hi and doc[tok.i + 1].text == "-")
            and any(c.dep_ in ("prep", "dobj", "prt") for c in tok.children)
        ):
            ev.manual = True
            ev.handwork += WEAK
            return WEAK  # "I copy them into the ledger"
    if (
        low in ("more", "longer", "less", "fewer")
        and tok.i + 3 < hi
        and doc[tok.i + 1].lower_ == "than"
        and any(t.lemma_.lower() in ("like", "want", "hope", "should", "expect") for t in doc[tok.i + 2 : tok.i + 6])
        and any(t.lower_ in ("i", "we") for t in doc[tok.i + 2 : tok.i + 4])
    ):
        ev.excess = True
        return STRONG  # "I cover the desk more than I'd like", "it takes longer than we'd want"
    if (
        low == "short"
        and tok.head.lemma_.lower() in ("catch", "run", "come", "fall")
        and tok.dep_ in ("oprd", "acomp", "advmod")
    ):
        ev.problem_words.append(tok)
        return STRONG  # "we get caught short every spring", "we run short of drivers"
    if pos == "VERB" and lem in SAYING_VERBS and _says_otherwise(tok):
        ev.problem_words.append(tok)
        return STRONG  # "Stripe says one thing, the bank says another": sources that disagree
    if lem in ("cost", "expense") and any(c.dep_ == "amod" and c.lower_ in SUPERLATIVES for c in tok.children):
        ev.problem_words.append(tok)
        return STRONG  # "fuel's my biggest cost"
    if (
        low == "down"
        and tok.head.lemma_ == "be"
        and any(c.lower_ in AGAIN_WORDS for c in tok.head.children)
        and not any(c.dep_ == "nsubj" and c.lower_ in PERSONAL for c in tok.head.children)
        and not any(c.dep_ == "prep" and c.lower_ == "for" for c in (*tok.children, *tok.head.children))
    ):
        ev.problem_words.append(tok)
        return STRONG  # "something's always down", "the portal is down again"
    if low == "hold" and tok.dep_ == "pobj" and tok.head.lower_ == "on" and tok.head.head.lemma_ == "be":
        return STRONG  # "I'm on hold with accounting", "the job's on hold"
    if low == "own" and tok.dep_ == "amod" and _each_their_own(tok):
        ev.excess = True
        ev.sprawl = ev.sprawl or tok.head.lemma_.lower() in SPRAWL_NOUNS
        return STRONG  # "every GC has their own form, their own portal": the same job done N ways
    if low in ("till", "until", "til") and _works_into_the_night(tok):
        return STRONG  # "he's on the phone till nine at night", "I do invoices until midnight"
    if low == "never" and _never_as_promised(tok):
        ev.unmet += 1
        return STRONG  # "they say net 30, it's never net 30", "it's never on time"
    if low == "different" and tok.dep_ == "amod" and tok.i > lo:
        earlier = [t for t in doc[lo : tok.i] if t.lower_ == "different" and t.dep_ == "amod"]
        between = doc[earlier[0].i : tok.i] if earlier else doc[0:0]
        # A list ("different schedules, different checklists"), not a match ("different plans for different budgets").
        if (
            earlier
            and earlier[0].head.i != tok.head.i
            and any(t.text == "," for t in between)
            and not any(t.pos_ == "ADP" for t in between)
        ):
            ev.sprawl = ev.excess = True
            return STRONG  # "different schedules, different checklists": the same work kept apart
    if pos in ("NOUN", "PROPN") and f & SPRAWL_NOUNS and _quantity(tok) >= 4:
        ev.sprawl = True
        return STRONG  # "six apps", "a lot of logins", "nine things"
    if (
        low in ("paste", "copy-paste", "copypaste")
        and tok.dep_ in ("attr", "acomp")
        and tok.head.lemma_ == "be"
        and not is_negated(tok, lo, hi)
    ):
        ev.manual = True
        return STRONG  # "it's all copy-paste"
    if low == "re" and tok.i + 2 < hi and doc[tok.i + 1].text == "-" and doc[tok.i + 2].pos_ in ("VERB", "NOUN", "ADJ"):
        ev.handwork += WEAK
        return WEAK  # rework: "re-typed", "re-uploaded"
    if low in ("myself", "ourselves") and tok.dep_ != "dobj" and tok.head.pos_ in ("VERB", "NOUN", "ADP"):
        ev.handwork += WEAK
        return WEAK  # effort on oneself: "I keep the list myself", "by myself"
    if (
        low == "same"
        and tok.dep_ == "amod"
        and not any(doc[k].lower_ == "same" for k in range(lo, tok.i))
        and _said_over_again(doc, lo, hi)
    ):
        ev.handwork += WEAK
        ev.cue = True
        return WEAK  # repetition: "I answer the same five questions every month", "copy the same name into four"
    if low == "single" and tok.i > lo and doc[tok.i - 1].lower_ == "every":
        ev.handwork += WEAK
        return WEAK  # excess: "every single invoice"
    if low == "by" and lo < tok.i < hi - 1 and doc[tok.i - 1].lower_ == doc[tok.i + 1].lower_ and not tok.like_num:
        ev.manual = True
        ev.handwork += WEAK
        return WEAK  # "line by line", "one by one"
    if low == "death" and (
        (tok.dep_ == "attr" and tok.head.lemma_ == "be") or any(c.lower_ == "by" for c in tok.children)
    ):
        return STRONG  # "it's death by a thousand cuts"
    if low in PERSISTENCE_ADVS and tok.dep_ == "advmod":
        ev.handwork += WEAK
        return WEAK  # "I'm forever hunting for the latest version"
    if low in ("manually", "manual") or (low == "hand" and tok.i > 0 and doc[tok.i - 1].lower_ == "by"):
        ev.manual = True
        if low == "manual" and tok.dep_ in ("acomp", "attr", "ROOT"):
            return STRONG  # "it's all manual"
        ev.cue = True
        return WEAK
    if (
        low in ("have", "need", "got")
        and tok.i + 1 < hi
        and doc[tok.i + 1].lower_ == "to"
        and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we", "she", "he", "they") for c in tok.children)
    ):
        return WEAK  # "I have to redo half of it"
    if low in ("need", "needs") and any(c.tag_ == "VBG" and forms(c) & REPAIR_VERBS for c in tok.children):
        ev.cue = True
        return WEAK  # "still needs fixing"
    if low in ("still", "again") and tok.dep_ == "advmod":
        return 0.5
    return 0.0


# What a delay holds up: "holding everybody up", "held the job up"; not "the beams hold up the roof".
HELD_UP = frozenset({"job", "work", "crew", "team", "project", "everything", "process", "line", "schedule", "order"})
# What others do over and over that is a nuisance: asking, chasing, ringing, breaking. Others "keep
# recommending us" or orders "keep pouring in" are good news.
REPEATED_NUISANCES = frozenset(
    {"call", "email", "text", "message", "ping", "ask", "ring", "buzz", "beep", "chase", "bug", "nag", "complain"}
    | {"change", "break", "crash", "fail", "cancel", "miss", "forget", "lose", "drop", "interrupt", "show"}
)


# Said of an outage that keeps coming back: "something's always down", "down again".
AGAIN_WORDS = frozenset({"always", "again", "constantly", "still", "often", "forever"})


# What each party having its own makes a job done N ways: forms, portals, rules, formats.
OWN_WAYS = SPRAWL_NOUNS | frozenset(
    {"form", "format", "portal", "template", "process", "rule", "requirement", "system", "way", "spreadsheet"}
)


def _each_their_own(own: Token) -> bool:
    """Each party with its own way: "every GC has their own portal" (not "every tech has their own van")."""
    thing = own.head
    if thing.lemma_.lower() not in OWN_WAYS or not any(c.dep_ == "poss" for c in thing.children):
        return False
    holder = thing.head
    subjects = [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")] + [holder]
    return any(
        s.lower_ in ("everyone", "everybody", "each")
        or any(c.dep_ == "det" and c.lower_ in ("every", "each") for c in s.children)
        for s in subjects
    )


NIGHT_WORDS = frozenset({"midnight", "night", "nights"})
_CLOCK = re.compile(r"(\d{1,2})(?::\d\d)?\s*([ap])\.?m\.?")


def _late(tokens: list[Token]) -> bool:
    """A time of night: "midnight", "nine at night", "2am", "10 pm"."""
    if NIGHT_WORDS & {t.lower_ for t in tokens}:
        return True
    for hour, half in _CLOCK.findall(" ".join(t.lower_ for t in tokens)):
        if (half == "a" and 0 < int(hour) <= 4) or (half == "p" and 9 <= int(hour) <= 11):
            return True
    return False


HABITUAL = frozenset({"every", "most", "always", "usually", "often", "nights", "weeknights", "routinely"})


def _works_into_the_night(until: Token) -> bool:
    """Someone working "till nine at night" or "until midnight"; a shop open until 9 is no one's evening."""
    if until.dep_ != "prep" or not _late(list(until.subtree)):
        return False
    verb = until.head
    if verb.pos_ in ("ADV", "ADP") and verb.head.i != verb.i:
        verb = verb.head  # "I'm up till 2am", "we're in there until midnight"
    if verb.lemma_.lower() in ("open", "close", "available", "staff", "run"):
        return False
    if not any(c.dep_ == "nsubj" and c.lower_ in PERSONAL for c in verb.children):
        return False
    # At work, and not once: "doing invoices", "on the phone ... moving people", "most nights".
    working = verb.tag_ == "VBG" or any(t.tag_ == "VBG" for t in verb.subtree if t.i > verb.i)
    return working or bool(HABITUAL & {t.lower_ for t in verb.sent})


def _never_as_promised(never: Token) -> bool:
    """A stated term that is never met: "it's never net 30", "it's never on time"."""
    be = never.head
    if (never.dep_ != "neg" and never.dep_ != "advmod") or be.lemma_ != "be":
        return False
    said = [c for c in be.children if c.dep_ in ("attr", "prep", "acomp", "npadvmod") and c.i > never.i]
    return any(
        any(t.like_num for t in c.subtree) or (c.lower_ == "on" and any(t.lower_ == "time" for t in c.children))
        for c in said
    )


def _names_a_day(prep: Token) -> bool:
    return any(c.lower_.rstrip("s").endswith("day") for c in prep.children)  # "on Saturdays", "on the day"


def _repeated_by_others(tok: Token, lo: int, hi: int) -> bool:
    """Something or someone else doing a thing over and over: "suppliers keep emailing me", "the
    phone doesn't stop ringing", "it never stops beeping". Said of oneself ("I keep a log", "we keep
    using it") or of good news ("bookings keep coming in") it is no complaint."""
    lem = tok.lemma_.lower()
    if tok.pos_ != "VERB" or lem not in ("keep", "stop"):
        return False
    ing = [c for c in tok.children if c.dep_ in ("xcomp", "dobj") and c.tag_ == "VBG" and lo <= c.i < hi]
    if not ing or ing[0].lemma_.lower() not in REPEATED_NUISANCES or _modal_would(tok):
        return False
    negated = any(c.dep_ == "neg" for c in tok.children) or any(
        c.lower_ == "never" for c in tok.children if c.dep_ in ("neg", "advmod")
    )
    if (lem == "keep") == negated:
        return False  # "they don't keep calling", "it stopped beeping"
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(subj) and not any(s.lower_ in FIRST_PERSON or s.lower_ == "you" for s in subj)


PERIOD_WORDS = TIME_WORDS | frozenset(
    {
        "month",
        "months",
        "year",
        "years",
        "quarter",
        "term",
        "season",
        "shift",
        "shifts",
        "time",
        "times",
        "order",
        "job",
    }
)


def _said_over_again(doc, lo: int, hi: int) -> bool:
    """The clause says the thing recurs: "every month", "each time", "again", "over and over", or copies it."""
    for t in doc[lo:hi]:
        if t.lower_ in ("every", "each") and t.head.lower_ in PERIOD_WORDS:
            return True
        if t.lower_ in ("again", "repeatedly") or (
            t.lower_ == "over" and t.i + 2 < hi and doc[t.i + 2].lower_ == "over"
        ):
            return True
        if forms(t) & COPY_WORDS or forms(t) & {"retype", "rekey", "re-key", "reenter", "re-enter", "type", "enter"}:
            return True
    return False


# What sources do when they disagree: "Stripe says one thing, the bank shows another".
SAYING_VERBS = frozenset({"say", "show", "tell"})


def _says_otherwise(verb: Token) -> bool:
    """One of two sayings that disagree: "X says one thing, Y says another / something else"."""
    sent = verb.sent
    sayers = [t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() == verb.lemma_.lower()]
    if len(sayers) < 2:
        return False
    said = " ".join(t.lower_ for t in sent)
    return "one thing" in said and ("another" in said or "something else" in said or "the other" in said)


ASKING_VERBS = frozenset({"ask", "complain", "chase", "want", "demand", "wonder", "query"})


def _everyone_asks(tok: Token) -> bool:
    """Each of them getting in touch to ask or complain: "every owner calls asking why their check is
    short", "all the parents email wanting to know ..." - the load of questions is the problem."""
    if tok.tag_ not in ("VBZ", "VBP") or tok.lemma_.lower() not in CONTACT_VERBS | {"come", "write"}:
        return False
    if not any(
        c.dep_ in ("xcomp", "advcl") and c.tag_ == "VBG" and c.lemma_.lower() in ASKING_VERBS for c in tok.children
    ):
        return False
    return any(
        c.dep_ == "nsubj"
        and (c.lower_ in ("everyone", "everybody") or any(g.lower_ in ("every", "each", "all") for g in c.children))
        for c in tok.children
    )


def _mistaken_belief(tok: Token) -> bool:
    """A problem the speaker only thought there was: "because I thought it had failed"."""
    cur = tok
    for _ in range(3):
        if cur.dep_ == "ccomp":
            head = cur.head
            return (
                head.lemma_.lower() in ("think", "assume", "figure")
                and head.tag_ == "VBD"
                and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in head.children)
            )
        if cur.head is cur:
            return False
        cur = cur.head
    return False


TYPICAL_ADJS = frozenset({"typical", "normal", "usual", "average", "ordinary", "standard"})


def _no_typical_day(noun: Token) -> bool:
    """ "There's no typical day", "no normal week": every day differs, nothing is missing."""
    return noun.lower_ in TIME_WORDS and any(c.dep_ == "amod" and c.lower_ in TYPICAL_ADJS for c in noun.children)


PERSONAL = frozenset({"i", "we", "you", "he", "she", "they"})
STOP_NOT_BUSINESS = frozenset({"lose", "lost", "cancel", "pull", "pause", "freeze"})


def _is_duration(tok: Token) -> bool:
    words = _subtree_words(tok)
    return bool(words & TIME_WORDS) or bool(words & {"forever", "ages", "limbo"})


def _is_long_time(tok: Token) -> bool:
    words = _subtree_words(tok)
    if words & {"forever", "ages", "eternity"}:
        return True
    return bool(words & {"whole", "entire"}) and bool(words & TIME_WORDS)


def _stops(tok: Token, lo: int, hi: int) -> str | None:
    """A consequence that stops or loses the work: "X means we stop lending", "we'd have to close".
    Returns "stop" when the business itself stops, "lose" for a loss, None otherwise."""
    lem = tok.lemma_.lower()

    def kind(v: Token) -> str:
        return "lose" if forms(v) & STOP_NOT_BUSINESS else "stop"

    if lem == "mean":
        if is_negated(tok, lo, hi):
            return None
        for c in tok.children:
            if c.dep_ not in ("ccomp", "xcomp") or not (lo <= c.i < hi) or is_negated(c, lo, hi):
                continue
            if forms(c) & STOP_VERBS:
                return kind(c)
            for g in c.children:  # "means we have to stop"
                if g.dep_ == "xcomp" and forms(g) & STOP_VERBS and not is_negated(g, lo, hi):
                    return kind(g)
        return None
    if not (forms(tok) & STOP_VERBS) or forms(tok) & STOP_NOT_BUSINESS or is_negated(tok, lo, hi):
        return None
    head = tok.head
    obliged = tok.dep_ == "xcomp" and head.lemma_.lower() in ("have", "need") and head.i != tok.i
    holder = head if obliged else tok
    modal = any(c.dep_ == "aux" and c.lower_ in ("would", "'d", "might", "could") for c in holder.children)
    first = any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("we", "i") for c in holder.children)
    return "stop" if first and (obliged or modal) else None


def is_pain(ev: Evidence, topic: str | None) -> bool:
    if ev.wish or (ev.question and ev.score < 4):
        return False
    if topic == "current_solution" and ev.handwork:
        return ev.score - ev.handwork >= THRESHOLDS[topic]  # "we copy it over, one by one" is the workaround
    if topic == "time_spent" and _strong_feeling(ev):
        return ev.score >= STRONG  # "Eight hours a month. It's the worst eight hours of my month."
    if topic in CUE_TOPICS and (ev.cue or ev.handwork) and not ev.capped and not ev.negated_problems and not ev.praise:
        return ev.score >= WEAK  # "what's broken?" answered with effort or excess: "I re-key every order"
    return ev.score >= THRESHOLDS.get(topic, 2.0)


def _strong_feeling(ev: Evidence) -> bool:
    """A problem word of strong feeling ("hate", "worst", "nightmare"): a complaint even in an answer
    about hours, where figures alone ("3 hrs chasing") are no pain."""
    return any(forms(t) & STRONG_EMOTION and t.lower_ != "keep" for t in ev.problem_words)


# Answers to "what's broken / what frustrates you": a strong prior that effort and excess are complaints.
CUE_TOPICS = frozenset({"whats_broken"})
