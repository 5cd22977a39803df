"""Is a clause a pain, a wish, praise, or neutral? Decided from the parse and general lexicons.

Evidence for a pain: problem nouns/adjectives/verbs that are not negated, negated abilities
("can't keep up", "doesn't support", "nobody knows"), negated praise ("not thrilled"), excess
("too many", "way too long"), manual effort, obligation ("I have to redo it"). Evidence against:
the problem word itself is negated ("isn't really an issue"), praise without any problem, a wish
("I'd love ...", "I wish ..."), or a question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from .clauses import NEG_SUBJECTS, Clause, is_negated
from .lexicon import (
    ABILITY_VERBS,
    NEGATION_NEUTRAL_VERBS,
    PRAISE,
    PROBLEM_ADJS,
    PROBLEM_NOUNS,
    PROBLEM_VERBS,
    WISH_VERBS,
)

# How much evidence a clause needs to be called a pain, by the question it answers. Answers to
# "what's broken?" or "any risk?" are about problems; a "typical day" or free notes need more.
THRESHOLDS = {
    "whats_broken": 2.0,
    "risk": 2.0,
    "typical_day": 2.0,
    "current_solution": 3.0,
    None: 2.0,
    "time_spent": 4.0,
    "who_else": 4.0,
    "willingness_to_pay": 99.0,
    "magic_wand": 99.0,
}
EXCESS_HEADS = frozenset({"many", "much", "long", "slow", "expensive", "late", "often", "complicated", "hard", "little", "few", "busy"})
PRAISE_VERBS_NEEDING_OBJECT = frozenset({"like", "love", "save", "enjoy"})


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

    @property
    def label(self) -> str:
        if self.wish:
            return "wish"
        if self.score <= 0 and self.praise:
            return "praise"
        return "pain" if self.score > 0 else "neutral"


def _is_problem_word(tok: Token) -> bool:
    lem, low, pos = tok.lemma_.lower(), tok.lower_, tok.pos_
    if pos in ("NOUN", "PROPN") and (lem in PROBLEM_NOUNS or low in PROBLEM_NOUNS):
        return True
    if pos in ("ADJ", "ADV") and (lem in PROBLEM_ADJS or low in PROBLEM_ADJS):
        return True
    if pos == "VERB" and (lem in PROBLEM_VERBS or low in PROBLEM_ADJS):
        return True
    if pos == "VERB" and tok.tag_ == "VBN" and low in PROBLEM_ADJS:
        return True
    return False


def _is_praise(tok: Token) -> bool:
    lem = tok.lemma_.lower()
    if lem not in PRAISE and tok.lower_ not in PRAISE:
        return False
    if tok.pos_ in ("ADJ", "ADV"):
        # "well" / "good" as fillers ("well, ...") are not praise; as predicates they are.
        return tok.dep_ not in ("intj", "discourse") and not (tok.lower_ == "well" and tok.i == tok.sent.start)
    if tok.pos_ == "VERB":
        if lem in PRAISE_VERBS_NEEDING_OBJECT:
            return any(c.dep_ in ("dobj", "xcomp", "ccomp") for c in tok.children) and not _modal_would(tok)
        return lem in ("work", "save", "enjoy") and any(c.lower_ in ("well", "great", "fine", "perfectly") for c in tok.children) or lem in ("save", "enjoy")
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
        if lem in WISH_VERBS and tok.pos_ == "VERB" and _modal_would(tok) and lem != "wish":
            return True
        if tok.lower_ == "only" and tok.i > clause.start and tok.doc[tok.i - 1].lower_ == "if":
            return True
        if lem in ("want", "need") and tok.pos_ == "VERB" and not is_negated(tok, clause.start, clause.end):
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            # "I want X to ...", "Wants fewer vendors": a wish; "the regulator wants reports" is not.
            if (not subj and tok.i == clause.start) or any(s.lower_ in ("i", "we") for s in subj):
                if lem == "want":
                    return True
    return False


def clause_evidence(clause: Clause) -> Evidence:
    ev = Evidence()
    lo, hi = clause.start, clause.end
    span = clause.span
    text_end = span[-1]
    ev.question = text_end.text == "?" or (hi < len(clause.doc) and clause.doc[hi].text == "?")
    ev.wish = _is_wish(clause)
    for tok in span:
        lem, low = tok.lemma_.lower(), tok.lower_
        if low in ("if", "unless") or (tok.dep_ == "aux" and low in ("could", "can", "might", "would", "'d")):
            ev.conditional = True
        if _is_problem_word(tok):
            if is_negated(tok, lo, hi):
                ev.negated_problems += 1
            else:
                ev.problem_words.append(tok)
                ev.score += 2.0
            continue
        if _is_praise(tok):
            if is_negated(tok, lo, hi):
                ev.negated_praise += 1
                ev.score += 2.0
            else:
                ev.praise += 1
            continue
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            if _unmet(tok, lo, hi):
                ev.unmet += 1
                ev.score += 2.0
                continue
        if low == "no" and tok.dep_ == "det" and tok.head.pos_ in ("NOUN", "PROPN") and not _is_problem_word(tok.head):
            # "there are no reminders", "no idea if that's allowed": something needed is missing.
            if tok.head.lemma_.lower() not in ("one", "body", "time", "way") or tok.head.lower_ == "idea":
                ev.unmet += 1
                ev.score += 2.0
        if low == "too" and tok.head.lower_ in EXCESS_HEADS:
            ev.score += 2.0
            ev.problem_words.append(tok.head)
        if low in ("manually", "manual") or (low == "hand" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "by"):
            ev.manual = True
            ev.score += 1.0
        if low in ("have", "need", "got") and tok.i + 1 < hi and tok.doc[tok.i + 1].lower_ == "to":
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            if any(s.lower_ in ("i", "we", "she", "he", "they") for s in subj):
                ev.score += 1.0
        if low in ("still", "again", "constantly", "always") and tok.dep_ == "advmod":
            ev.score += 0.5
        if lem in ("eat", "take", "spend", "cost", "lose") and tok.pos_ == "VERB":
            # "eats my Sunday", "takes forever", "cost me": time or money drained.
            objs = [c for c in tok.children if c.dep_ in ("dobj", "npadvmod", "attr", "advmod", "dative")]
            if any(_is_time_or_money(o) for o in objs):
                ev.score += 1.0
    if ev.negated_problems and ev.score <= 1.0:
        ev.score = 0.0
    if ev.praise and not ev.problem_words and not ev.unmet and not ev.negated_praise:
        ev.score = min(ev.score, 0.0)
    return ev


def _is_time_or_money(tok: Token) -> bool:
    words = {t.lower_ for t in tok.subtree}
    return bool(words & {"hour", "hours", "day", "days", "morning", "mornings", "afternoon", "evening", "week", "weekend",
                         "sunday", "saturday", "friday", "monday", "forever", "ages", "time", "money", "me", "us",
                         "minutes", "night", "nights", "month"}) or tok.like_num


def _unmet(tok: Token, lo: int, hi: int) -> bool:
    """A negated ability or function: "can't fill", "doesn't support", "nobody knows who ...", "never know"."""
    lem = tok.lemma_.lower()
    if lem in NEGATION_NEUTRAL_VERBS and lem not in ("know", "see"):
        return False
    if lem in PROBLEM_VERBS:
        return False
    children = list(tok.children)
    neg = any(c.dep_ == "neg" for c in children)
    modal_neg = any(c.dep_ == "aux" and c.lower_ in ("ca", "can", "could", "cannot") for c in children) and neg
    subj_neg = any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in NEG_SUBJECTS for c in children)
    if not (neg or subj_neg):
        return False
    if lem == "know" and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "advcl") for c in children) and not subj_neg:
        return False  # "I don't know," as a filler
    if lem == "be":
        return False  # "nothing is broken" / "it's not X" are handled as negated problems or praise
    return modal_neg or subj_neg or lem in ABILITY_VERBS


def is_pain(ev: Evidence, topic: str | None) -> bool:
    if ev.wish or ev.question and ev.score < 4:
        return False
    return ev.score >= THRESHOLDS.get(topic, 2.0)
