"""Orchestration: fields -> interviewee pieces -> one nlp.pipe pass -> mentions -> interview figures."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .clauses import Clause, split_clauses
from .keys import CLIPPED, CONCEPTS, MEDIA, resolve_themes
from .numbers import parse_hours, parse_risk_amounts, parse_wtp, total_hours
from .pains import SAYING_VERBS, clause_evidence, is_pain
from .severity import severity
from .themes import context_keys, context_keys_text, pain_theme_candidates, workaround_theme
from .transcripts import SCRIPT_KEYS, Piece, blank_stage_directions, classify_question, interviewee_pieces
from .types import Extraction, Mention
from .workarounds import coping_clause, coping_result, is_workaround_unit, units

NOTES = "notes"
_QUOTE_CHARS = " \t\r\n\"'“”‘’*"  # noqa: RUF001
# A sentence that says what they would pay, outside a pricing answer.
_WOULD_PAY = re.compile(
    r"\b(?:would|'d|could|willing\s+to|happy\s+to|ready\s+to)\s+(?:\w+\s+){0,2}?(?:pay|spend|budget)\b|\bbudget\b", re.I
)
_SENT_END = re.compile(r"(?<=[.!?])\s+|\n")


@dataclass(frozen=True)
class _Job:
    item: int
    field: str
    text: str  # the whole field text
    piece: Piece


def answer_position(field: str) -> int:
    # The interview's order (script, other questions, notes last): "first stated" means first said.
    if field in SCRIPT_KEYS:
        return SCRIPT_KEYS.index(field)
    return len(SCRIPT_KEYS) + (field == NOTES)


def _field_topic(field: str) -> str | None:
    if field in SCRIPT_KEYS:
        return field
    if field == NOTES:
        return None
    return classify_question(field.replace("_", " "))


def _fields(answers: dict[str, str], notes: str) -> Iterator[tuple[str, str]]:
    for key, value in (answers or {}).items():
        if isinstance(value, str) and value.strip():
            yield key, value
    if notes and notes.strip():
        yield NOTES, notes


def _jobs(items: list[tuple[dict[str, str], str]]) -> list[_Job]:
    jobs: list[_Job] = []
    for idx, (answers, notes) in enumerate(items):
        for field, text in _fields(answers, notes):
            for piece in interviewee_pieces(text, _field_topic(field)):
                jobs.append(_Job(idx, field, text, piece))
    return jobs


def _char_span(job: _Job, clause_doc, a: int, b: int) -> tuple[int, int]:
    s = clause_doc[a].idx
    last = clause_doc[b - 1]
    e = last.idx + len(last.text)
    s, e = s + job.piece.start, e + job.piece.start
    text = job.text
    while s < e and text[s] in _QUOTE_CHARS:
        s += 1
    while e > s and text[e - 1] in _QUOTE_CHARS:
        e -= 1
    return s, e


def _mention(job: _Job, kind: str, s: int, e: int, theme: str = "", sev: str | None = None, **extra) -> Mention:
    return Mention(
        kind=kind, quote=job.text[s:e], field=job.field, start=s, end=e, theme_key=theme, severity=sev, **extra
    )


def _text_mentions(job: _Job, doc) -> list[Mention]:
    """Pains, wishes and workarounds in one parsed piece."""
    topic = job.piece.topic
    out: list[Mention] = []
    clauses = split_clauses(doc)
    evidence = [clause_evidence(c) for c in clauses]
    # A tools answer's verbless list items ("a spreadsheet of every denial") name workarounds, not pains.
    pain_flags = [is_pain(ev, topic) and (ev.has_verb or topic != "current_solution") for ev in evidence]
    named = _named_as_the_problem(job, clauses, evidence)
    if named is not None:
        pain_flags[named] = True
    for k in range(len(clauses) - 1):
        if (
            pain_flags[k]
            and evidence[k].score < 2 * STRONG_EVIDENCE
            and _downplayed(clauses[k], clauses[k + 1], evidence[k + 1])
        ):
            pain_flags[k] = False  # "Reporting takes a while, but it's not a big deal"
    merged_into: dict[int, int] = {}
    for k in range(1, len(clauses)):
        if pain_flags[k] and pain_flags[k - 1] and _continues(clauses[k - 1], clauses[k], evidence[k]):
            merged_into[k] = merged_into.get(k - 1, k - 1)
        elif (pain_flags[k - 1] or k - 1 in merged_into) and _consequence(clauses[k - 1], clauses[k]):
            merged_into[k] = merged_into.get(k - 1, k - 1)  # "it got buried, and by the time we got there ..."
            pain_flags[k] = True
    for k, (clause, ev) in enumerate(zip(clauses, evidence, strict=True)):
        s, e = _char_span(job, doc, clause.start, clause.end)
        if s >= e:
            continue
        pain_here = pain_flags[k] and k not in merged_into
        if pain_here:
            pclause, ps, pe = clause, s, e
            last = k
            while last + 1 < len(clauses) and merged_into.get(last + 1) == k:
                last += 1
            if last != k:
                # One problem said across clauses ("X, which would be a nightmare"): one mention.
                ps, pe = _char_span(job, doc, clause.start, clauses[last].end)
                pclause = Clause(doc, clause.start, clauses[last].end, clause.sent_start, clause.sent_end)
            if (
                k > 0
                and not pain_flags[k - 1]
                and clauses[k - 1].sent_start == clause.sent_start
                and doc[clause.start].lower_ in RELATIVE_WORDS
            ):
                # "the donor report, which is miserable": quote what the relative clause is about.
                prev = clauses[k - 1]
                ps = _char_span(job, doc, prev.start, prev.end)[0]
                pclause = Clause(doc, prev.start, pclause.end, clause.sent_start, clause.sent_end)
            cands = pain_theme_candidates(
                doc, pclause.start, pclause.end, sprawl=ev.sprawl, context=(clause.sent_start, clause.sent_end)
            )
            # The key is settled per interview in _settle_themes; keep the candidates until then.
            out.append(_mention(job, "pain", ps, pe, "|".join(cands), severity(pclause, ev, topic)))
        elif ev.wish or topic == "magic_wand":
            out.append(_mention(job, "wish", s, e))
        if topic == "current_solution":
            for a, b in units(clause):
                sub = Clause(doc, a, b, clause.sent_start, clause.sent_end)
                sub_ev = clause_evidence(sub) if (a, b) != (clause.start, clause.end) else ev
                if is_workaround_unit(doc, a, b, sub_ev, topic) and not _echoes_question(job, doc, a, b):
                    ws, we = _char_span(job, doc, a, b)
                    if ws < we:
                        out.append(_mention(job, "workaround", ws, we, workaround_theme(doc, a, b)))
        elif (
            topic not in ("magic_wand", "willingness_to_pay", "time_spent")
            and not ev.wish
            and coping_clause(clause, ev.lemmas)
        ):
            wa, wb = coping_result(clause)
            ws, we = _char_span(job, doc, wa, wb)
            out.append(_mention(job, "workaround", ws, we, workaround_theme(doc, wa, wb)))
        if topic == "who_else" and any(t.pos_ in ("NOUN", "PROPN") for t in clause.span):
            out.append(_mention(job, "stakeholder", s, e))
    return _drop_restatements(job, doc, out)


def _echoes_question(job: _Job, doc, a: int, b: int) -> bool:
    """A bare word repeating the question before the answer: "What software do you use?" - "Software.
    (laughs) So, we have QuickBooks ..." The echo names nothing they use."""
    toks = [t for t in doc[a:b] if t.is_alpha]
    if not toks or len(toks) > 2 or any(t.pos_ in ("VERB", "AUX") for t in toks):
        return False
    asked = {w.lower() for w in _WORD.findall((job.piece.question or "").lower())}
    content = [t for t in toks if not t.is_stop]
    return bool(content) and all(t.lower_ in asked or t.lemma_.lower() in asked for t in content)


RESTATE_GAP_WORDS = 6
FILLERS = frozenset({"like", "um", "uh", "er", "erm", "hmm", "mean", "know", "sorry", "yeah", "well", "okay", "ok"})
_WORD = re.compile(r"[a-z]+")


def _fuller(quote: str) -> int:
    """Distinct words said, fillers and stutter left out: "It's, like, it's dumb" says less than "It's so dumb"."""
    return len(set(_WORD.findall(quote.lower())) - FILLERS)


def _drop_restatements(job: _Job, doc, mentions: list[Mention]) -> list[Mention]:
    """Speech says a thing again at once: "It's so dumb. Sorry. It's, like, it's dumb.", "Binder. I
    have a binder." Of two mentions of a kind next to each other whose content words are one inside
    the other's, keep the fuller (the first when they say the same)."""
    base = job.piece.start

    def content(m: Mention) -> frozenset[str]:
        return frozenset(
            t.lemma_.lower()
            for t in doc
            if m.start <= t.idx + base < m.end and t.is_alpha and not t.is_stop and t.lower_ not in ("like", "yeah")
        )

    drop: set[int] = set()
    for kind in ("pain", "workaround"):
        idx = [k for k, m in enumerate(mentions) if m.kind == kind]
        for k0, k1 in itertools.pairwise(idx):
            if k0 in drop:
                continue
            a, b = mentions[k0], mentions[k1]
            if b.start < a.end or len(job.text[a.end : b.start].split()) > RESTATE_GAP_WORDS:
                continue
            ca, cb = content(a), content(b)
            if not ca or not cb:
                continue
            if cb <= ca and (cb != ca or _fuller(b.quote) <= _fuller(a.quote)):
                drop.add(k1)
            elif ca <= cb:
                drop.add(k0)
    return [m for k, m in enumerate(mentions) if k not in drop]


# "What's the hardest part?", "the biggest headache?": a question whose answer names the problem.
_ASKS_FOR_THE_PROBLEM = re.compile(
    r"\b(?:hardest|toughest|worst|most (?:painful|annoying|frustrating|difficult|stressful)|"
    r"biggest (?:problem|challenge|headache|pain|issue|frustration|time ?sink))\b",
    re.I,
)


MAX_NAMED_WORDS = 12


def _named_as_the_problem(job: _Job, clauses: list[Clause], evidence: list) -> int | None:
    """The clause that answers "what's the hardest part?" with a bare name: "Honestly? Getting into
    the units.", "The month-end, for sure." A fragment there states the problem, though it has no
    problem word; a full sentence must carry its own evidence."""
    if not _ASKS_FOR_THE_PROBLEM.search(job.piece.question or ""):
        return None
    for k, (clause, ev) in enumerate(zip(clauses, evidence, strict=True)):
        if ev.question or (ev.words < 2 and not ev.has_verb):
            continue  # "Honestly?", "Oh."
        finite = any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBG" for t in clause.span)
        negative = any(t.dep_ == "neg" or t.lower_ in ("nothing", "no", "none") for t in clause.span)
        if finite or negative or ev.praise or ev.wish or ev.words > MAX_NAMED_WORDS:
            return None
        return k
    return None


UNPARSED_TOPICS = frozenset({"willingness_to_pay", "magic_wand"})
_NOT_NOW = frozenset({"if", "would", "'d", "could", "wish", "might", "ideally", "want", "love", "dream", "maybe"})


def _aside_mentions(job: _Job, doc) -> list[Mention]:
    """Pains and workarounds in a wish or pricing answer of a transcript: after its first sentence,
    a plain statement by the speaker of what they do or suffer now ("I'm logging into the bank
    portal, exporting a CSV, cleaning it up", "we always go back to the spreadsheet"), never a
    condition, a wish or what the wished-for thing would do."""
    plain = _Job(job.item, job.field, job.text, replace(job.piece, topic=None))
    sents = list(doc.sents)
    if len(sents) < 2:
        return []
    first_end = sents[0].end_char + job.piece.start
    out = []
    for m in _text_mentions(plain, doc):
        if m.kind not in ("pain", "workaround") or m.start < first_end:
            continue
        span = doc.char_span(m.start - job.piece.start, m.end - job.piece.start, alignment_mode="expand")
        if span is None:
            continue
        # The wished-for thing described, then judged: "..., and I don't have to call him. That'd be nice."
        after = doc[span.sent.end : span.sent.end + 1]
        nxt = after[0].sent if len(after) else span.sent
        if any(t.lower_ in _NOT_NOW for t in (*span.sent, *nxt)):
            continue
        if any(t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in ("i", "we") for t in span):
            out.append(m)
    return out


def _unparsed_mentions(job: _Job) -> list[Mention]:
    """A magic-wand answer: each sentence is a wish. A pricing answer yields only figures (later)."""
    if job.piece.topic != "magic_wand":
        return []
    out = []
    p = job.piece
    pos = p.start
    for m in [*_SENT_END.finditer(job.text, p.start, p.end), None]:
        end = m.start() if m else p.end
        s, e = _strip(job.text, pos, end)
        if e - s > 3:
            out.append(_mention(job, "wish", s, e))
        if m:
            pos = m.end()
    return out


STRONG_EVIDENCE = 2.0


def _downplayed(cur: Clause, nxt: Clause, nxt_ev) -> bool:
    """Whether the next clause of the same sentence takes the problem back: "..., but it's fine"."""
    if nxt.sent_start != cur.sent_start or not any(t.lower_ == "but" for t in cur.doc[cur.end : nxt.start + 1]):
        return False
    if nxt_ev.score > 0 or nxt_ev.wish:
        return False
    if nxt_ev.negated_problems > 0 or nxt_ev.praise > 0:
        return True
    # "it's not a big deal", "it's nothing major": a negated copula takes the complaint back.
    span = nxt.span
    return any(t.lemma_ == "be" for t in span) and any(t.dep_ == "neg" or t.lower_ == "nothing" for t in span)


def _continues(prev: Clause, cur: Clause, ev) -> bool:
    """Whether a pain clause only continues the previous pain clause of the same sentence."""
    if prev.sent_start != cur.sent_start:
        return False
    first = cur.doc[cur.start].lower_
    if first in ("which", "who", "that", "because", "so", "since"):
        return True  # "..., which would be a nightmare", "... because the auth is stuck"
    if prev.doc[prev.start].lower_ in ("if", "when", "unless", "once"):
        return True  # the consequence of a condition
    if {t.lemma_.lower() for t in cur.span} & SAYING_VERBS and {t.lower_ for t in cur.span} & {
        "another",
        "else",
        "other",
    }:
        return True  # "X says one thing, Y says another": one disagreement
    if ev.score < 2.0:
        return True  # an effort/time cue right after a pain elaborates it: "it's slow, syncs take an hour"
    return ev.words < MERGE_SHORT_WORDS


def _consequence(prev: Clause, cur: Clause) -> bool:
    """The next clause of the sentence tells what the delay led to: "the voicemail got buried, and by
    the time we got there the floor was shot". ("..., and then Y" is often a problem of its own.)"""
    if prev.sent_start != cur.sent_start:
        return False
    return [t.lower_ for t in cur.doc[cur.start : cur.start + 3]] == ["by", "the", "time"]


MERGE_SHORT_WORDS = 5
RELATIVE_WORDS = frozenset({"which", "who", "whom", "whose"})


def _sentence_at(text: str, lo: int, hi: int, a: int, b: int) -> tuple[int, int]:
    """Bounds of the sentence of text[lo:hi] containing [a, b)."""
    s = lo
    for m in _SENT_END.finditer(text, lo, hi):
        if m.end() <= a:
            s = m.end()
        elif m.start() >= b:
            return _strip(text, s, m.start())
    return _strip(text, s, hi)


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _QUOTE_CHARS:
        s += 1
    while e > s and text[e - 1] in _QUOTE_CHARS:
        e -= 1
    return s, e


# Where a sentence gives several figures, each belongs to the part it is said in: "compliance eats
# 4 hours, the board report another 2" gives 4 to compliance and 2 to reporting.
_PART_BREAK = re.compile(r"[,;:\u2013\u2014(]|\s-\s|\b(?:and|plus|then|but)\b", re.I)
_KEY_WORD = re.compile(r"[a-z][a-z0-9&-]*")


# What a figure is said not to be about: "outside of compliance, maybe 3 hours", "not even the reporting".
_EXCLUDED = re.compile(
    r"\b(?:outside(?:\s+of)?|apart\s+from|aside\s+from|besides|except(?:\s+for)?|other\s+than|not\s+(?:even\s+)?"
    r"(?:counting|including)|not\s+even)\s+(?:the\s+|my\s+|our\s+)?[\w&-]+(?:\s+[\w&-]+)?",
    re.I,
)


def _named_keys(text: str) -> set[str]:
    """Theme keys a stretch of text names: business concepts ("filings" is compliance) and raw words."""
    text = _EXCLUDED.sub(" ", text)
    words = _KEY_WORD.findall(text.lower())
    clipped = {CLIPPED[w] for w in words if w in CLIPPED}  # "recon eats three hours"
    singular = {w[:-1] for w in words if w.endswith("s") and len(w) > 3}
    return set(context_keys_text(text)) | set(words) | singular | clipped


def _said_about(
    text: str,
    s: int,
    e: int,
    figure: tuple[int, int],
    figures: list[tuple[int, int]],
    pains: list[Mention],
    *,
    any_area: bool = False,
) -> str | None:
    """The key of the interview's pain named in the part of the sentence text[s:e] holding the figure.

    The part runs between the breaks (commas, "and", "plus") around the figure, and never past a
    neighbouring figure; when it names no pain, the whole sentence may, when the figure is its only
    one. Failing a pain, with `any_area`, the one business area the part names (CONCEPTS).
    """
    a, b = figure
    others = [f for f in figures if s <= f[0] < e and f != figure]
    # Neighbouring figures bound what belongs to this one: "compliance eats 4 hours the board report
    # another 2" has no comma, but the words after the 4 lead up to the 2.
    prev_end = max((end for _, end in others if end <= a), default=s)
    next_start = min((start for start, _ in others if start >= b), default=e)
    lo = max((m.end() for m in _PART_BREAK.finditer(text, prev_end, a)), default=prev_end)
    hi = next((m.start() for m in _PART_BREAK.finditer(text, b, next_start)), next_start)
    # First what leads up to the figure within its part, then the whole part ("4 hours for
    # compliance"), then the whole sentence when it holds this figure alone ("on the deadline side,
    # five hours a week").
    stretches = [text[lo:b], text[lo:hi]] + ([] if others else [text[s:e]])
    for stretch in stretches:
        named = _named_keys(stretch)
        # Its own key first, then any key it could have had ("the board pack" for a pain keyed "board").
        hit = next((p for p in pains if p.theme_key in named and p.theme_key != "other"), None) or next(
            (p for p in pains if named & set(p.candidates)), None
        )
        if hit is not None:
            return hit.theme_key
    if not any_area:
        return None
    # Time on a business area this interviewee raised no pain about ("reconciliation, two or so") is
    # still time on it, not on their main pain; the segment's theme of that name may hold it. (What a
    # risk amount names is mostly its consequence, "a $120k contract", so risks do not do this.)
    areas = sorted(_named_keys(stretches[-1]) & CONCEPTS.keys() - MEDIA - {"phone"})
    return areas[0] if len(areas) == 1 else None


def _number_mentions(jobs: list[_Job], pains: list[Mention]) -> list[Mention]:
    """Time, WTP and risk mentions of one interview, by regex over its interviewee pieces.

    `pains`: the interview's pains, so a figure said about one of them is tied to it (`about`)."""
    out: list[Mention] = []
    # Hours: figures in answers to "how much time?"; elsewhere only with an explicit period, and
    # only when the time answer gave none (otherwise they repeat it: "two hours every morning").
    timed: list[Mention] = []
    loose: list[Mention] = []
    for job in jobs:
        p = job.piece
        piece_text = job.text[p.start : p.end]
        in_time = p.topic == "time_spent"
        if p.topic in ("willingness_to_pay", "magic_wand"):
            continue
        hours = parse_hours(
            piece_text, time_section=in_time, hint_hours=in_time and bool(re.search(r"\bhours?\b", p.question, re.I))
        )
        spans = [(p.start + f.start, p.start + f.end) for f in hours]
        for f, span in zip(hours, spans, strict=True):
            s, e = _sentence_at(job.text, p.start, p.end, *span)
            about = _said_about(job.text, s, e, span, spans, pains, any_area=True)
            (timed if in_time else loose).append(
                _mention(job, "time", s, e, hours_per_week=round(f.hours_per_week, 4), about=about)
            )
    out.extend(timed or loose)
    # WTP: the first pricing answer that names a figure; else a "would pay" sentence anywhere.
    wtp: Mention | None = None
    refusal: Mention | None = None
    for job in jobs:
        p = job.piece
        if p.topic != "willingness_to_pay":
            continue
        r = parse_wtp(job.text[p.start : p.end], section=True)
        if r is None:
            continue
        s, e = (
            _sentence_at(job.text, p.start, p.end, p.start + r.start, p.start + r.end)
            if not r.refused
            else _strip(job.text, p.start + r.start, p.start + r.end)
        )
        if r.refused:
            refusal = refusal or _mention(job, "wtp", s, e, refused=True)
            continue
        wtp = _mention(job, "wtp", s, e, wtp_min=r.min, wtp_max=r.max, wtp_period=r.period, currency=r.currency)
        break
    if wtp is None:
        for job in jobs:
            p = job.piece
            if p.topic in ("risk", "time_spent"):
                continue
            piece_text = job.text[p.start : p.end]
            for m in _WOULD_PAY.finditer(piece_text):
                s, e = _sentence_at(job.text, p.start, p.end, p.start + m.start(), p.start + m.end())
                r = parse_wtp(job.text[s:e], section=False)
                if r and not r.refused:
                    wtp = _mention(
                        job, "wtp", s, e, wtp_min=r.min, wtp_max=r.max, wtp_period=r.period, currency=r.currency
                    )
                    break
            if wtp:
                break
    if wtp:
        out.append(wtp)
    elif refusal:
        out.append(refusal)
    # Risk amounts: every amount in a risk answer; elsewhere (a pricing answer included: "we paid a $10k
    # penalty last year") amounts said as a loss or a penalty.
    for job in jobs:
        p = job.piece
        if p.topic == "time_spent":
            continue
        piece_text = job.text[p.start : p.end]
        amounts = parse_risk_amounts(piece_text, section=p.topic == "risk")
        spans = [(p.start + rf.start, p.start + rf.end) for rf in amounts]
        for rf, span in zip(amounts, spans, strict=True):
            s, e = _sentence_at(job.text, p.start, p.end, *span)
            about = _said_about(job.text, s, e, span, spans, pains)
            out.append(_mention(job, "risk", s, e, risk_amount=rf.amount, about=about))
    return out


def _settle_themes(mentions: list[Mention], context: Counter) -> list[Mention]:
    pains = [k for k, m in enumerate(mentions) if m.kind == "pain"]
    candidates = [[c for c in mentions[k].theme_key.split("|") if c] for k in pains]
    keys = resolve_themes(candidates, context)
    out = list(mentions)
    for k, key, cands in zip(pains, keys, candidates, strict=True):
        out[k] = replace(out[k], theme_key=key, candidates=tuple(cands))
    return out


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    seen: list[Mention] = []
    for m in mentions:
        if any(o.kind == m.kind and o.field == m.field and o.start < m.end and m.start < o.end for o in seen):
            continue
        seen.append(m)
    return seen


def _figures(mentions: list[Mention]) -> tuple[float | None, dict | None, float | None]:
    # Mirrors the export: distinct hours summed, first non-refused WTP, largest risk amount.
    hours = total_hours([m.hours_per_week for m in mentions if m.kind == "time" and m.hours_per_week is not None])
    wtp = None
    for m in sorted(mentions, key=lambda m: (answer_position(m.field), m.start)):
        if m.kind == "wtp" and not m.refused and m.wtp_min is not None:
            wtp = {
                "min": m.wtp_min,
                "max": m.wtp_max if m.wtp_max is not None else m.wtp_min,
                "currency": m.currency or "USD",
                "period": m.wtp_period or "month",
            }
            break
    risks = [m.risk_amount for m in mentions if m.risk_amount is not None]
    return hours, wtp, (max(risks) if risks else None)


def _stated_consequences(mentions: list[Mention], jobs: list[_Job]) -> list[Mention]:
    """Pains said in answer to "what's the risk?" marked as consequences ("we'd lose the licence").

    The matrix shows the consequence stated most where no amount was given; the pain itself carries
    the mark, so one sentence is one quote to count and one decision to review."""
    risk_pieces = [(j.field, j.piece.start, j.piece.end) for j in jobs if j.piece.topic == "risk"]
    return [
        replace(m, consequence=True)
        if m.kind == "pain" and any(f == m.field and a <= m.start < b for f, a, b in risk_pieces)
        else m
        for m in mentions
    ]


def _link_about(mentions: list[Mention]) -> list[Mention]:
    """Tie time/risk/workaround mentions to the pain said in the same sentence span, when there is one.

    A figure already tied by the part of its sentence it is said in (_said_about) keeps that tie: the
    figure's quote is its whole sentence, which may hold several pains."""
    pains = [m for m in mentions if m.kind == "pain"]
    out = []
    for m in mentions:
        if m.kind in ("time", "risk", "workaround") and m.about is None:
            hit = next((p for p in pains if p.field == m.field and p.start < m.end and m.start < p.end), None)
            if hit is not None:
                m = replace(m, about=hit.theme_key)
        out.append(m)
    return out


def extract_many(items: Iterable[tuple[dict[str, str], str]], *, nlp=None, batch_size: int = 32) -> list[Extraction]:
    """Extract many interviews with one nlp.pipe pass over all their interviewee text."""
    if nlp is None:
        from .pipeline import get_nlp

        nlp = get_nlp()
    items = [(dict(a or {}), n or "") for a, n in items]
    jobs = _jobs(items)
    per_item: list[list[Mention]] = [[] for _ in items]
    jobs_by_item: list[list[_Job]] = [[] for _ in items]
    for job in jobs:
        jobs_by_item[job.item].append(job)
    # Pricing and magic-wand answers need no parse: figures are regex, and a wish is a sentence.
    parsed = [j for j in jobs if j.piece.topic not in UNPARSED_TOPICS]
    for job in jobs:
        if job.piece.topic in UNPARSED_TOPICS:
            per_item[job.item].extend(_unparsed_mentions(job))
    # In a transcript, a wish or a price is often followed by how things are today ("If you could change
    # one thing? ... I'm logging into the bank portal, exporting a CSV, cleaning it up. Every month."):
    # those asides are parsed too, and only what the speaker says they do or suffer now is kept.
    asides = {id(j) for j in jobs if j.piece.topic in UNPARSED_TOPICS and j.field == NOTES}
    parsed += [j for j in jobs if id(j) in asides]
    docs = nlp.pipe(
        (blank_stage_directions(j.text[j.piece.start : j.piece.end]) for j in parsed), batch_size=batch_size
    )
    context: list[Counter] = [Counter() for _ in items]
    for job in jobs:
        if job.piece.topic in UNPARSED_TOPICS:
            context[job.item].update(context_keys_text(job.text[job.piece.start : job.piece.end]))
    for job, doc in zip(parsed, docs, strict=True):
        if id(job) in asides:
            per_item[job.item].extend(_aside_mentions(job, doc))
            continue
        per_item[job.item].extend(_text_mentions(job, doc))
        context[job.item].update(context_keys(doc))
    results = []
    for idx in range(len(items)):
        mentions = _settle_themes(_dedupe(per_item[idx]), context[idx])
        mentions += _number_mentions(jobs_by_item[idx], [m for m in mentions if m.kind == "pain"])
        mentions = _stated_consequences(mentions, jobs_by_item[idx])
        mentions = _link_about(mentions)
        hours, wtp, risk = _figures(mentions)
        results.append(
            Extraction(
                mentions=tuple(mentions), hours_per_week=hours, wtp=wtp, risk_amount=risk, topics=dict(context[idx])
            )
        )
    return results


def extract(*, answers: dict[str, str], notes: str = "", nlp=None) -> Extraction:
    """Extract one interview."""
    return extract_many([(answers, notes)], nlp=nlp)[0]
