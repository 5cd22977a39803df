"""Orchestration: fields -> interviewee units -> one nlp.pipe pass (parse + unit model) -> mentions -> figures.

Which unit states a pain or a workaround, and how bad, is the trained unit model's call
(classifier.py). Rules keep what has a grammar: who is speaking (transcripts.py), figures
(numbers.py), the key phrase a mention is about (themes.py), and the script's own questions (a
magic-wand answer is a wish, a who-else answer names people).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from interviews.transcripts import Piece, blank_stage_directions, interviewee_pieces

from .classifier import register_of
from .keys import CLIPPED, CONCEPTS, MEDIA, resolve_themes
from .numbers import parse_hours, parse_risk_amounts, parse_wtp, total_hours
from .themes import context_keys, context_keys_text, is_sprawl, pain_theme_candidates, workaround_theme
from .types import Extraction, Mention
from .units import field_topic, interview_fields, list_items, piece_question, split_units

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
    from interviews.script import field_position

    return field_position(field)


def _jobs(items: list[tuple[dict[str, str], str]]) -> list[_Job]:
    jobs: list[_Job] = []
    for idx, (answers, notes) in enumerate(items):
        for field, text in interview_fields(answers, notes):
            for piece in interviewee_pieces(text, field_topic(field)):
                jobs.append(_Job(idx, field, text, piece))
    return jobs


def _mention(job: _Job, kind: str, s: int, e: int, theme: str = "", sev: str | None = None, **extra) -> Mention:
    return Mention(
        kind=kind, quote=job.text[s:e], field=job.field, start=s, end=e, theme_key=theme, severity=sev, **extra
    )


def _doc(nlp, job: _Job):
    """The piece as a Doc carrying its units, for the pipeline's unit classifier."""
    p = job.piece
    text = blank_stage_directions(job.text[p.start : p.end])
    doc = nlp.make_doc(text)
    question = piece_question(job.field, p)
    doc.user_data["sift_units"] = [(s, e, question) for s, e in split_units(text)]
    return doc


def _unit_mentions(job: _Job, doc, model) -> list[Mention]:
    """Pains, workarounds, wishes and stakeholders among one piece's units."""
    out: list[Mention] = []
    topic, base = job.piece.topic, job.piece.start
    register = register_of(job.field)
    for (s, e, _), score in zip(doc.user_data["sift_units"], doc.user_data["sift_scores"], strict=True):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        sent = span.sent
        if score.is_pain(model, register=register):
            cands = pain_theme_candidates(
                doc, span.start, span.end, sprawl=is_sprawl(span.text), context=(sent.start, sent.end)
            )
            # The key is settled per interview in _settle_themes; keep the candidates until then.
            out.append(_mention(job, "pain", base + s, base + e, "|".join(cands), score.severity))
        elif topic == "magic_wand":
            out.append(_mention(job, "wish", base + s, base + e))
        if score.is_workaround(model, register=register):
            # A typed list of tools names one workaround per item (units.list_items); in speech
            # commas mostly pace one thought, so a transcript's turns are never cut this way.
            items = [] if job.piece.spoken else list_items(doc.text, s, e, form=register == "form")
            for a, b in items or [(s, e)]:
                part = doc.char_span(a, b, alignment_mode="expand") or span
                out.append(_mention(job, "workaround", base + a, base + b, workaround_theme(doc, part.start, part.end)))
        if topic == "who_else" and any(t.pos_ in ("NOUN", "PROPN") for t in span):
            out.append(_mention(job, "stakeholder", base + s, base + e))
    return out


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
    from .classifier import COMPONENT

    if nlp is None:
        from .pipeline import get_nlp

        nlp = get_nlp()
    model = nlp.get_pipe(COMPONENT).model
    items = [(dict(a or {}), n or "") for a, n in items]
    jobs = _jobs(items)
    jobs_by_item: list[list[_Job]] = [[] for _ in items]
    for job in jobs:
        jobs_by_item[job.item].append(job)
    per_item: list[list[Mention]] = [[] for _ in items]
    context: list[Counter] = [Counter() for _ in items]
    docs = nlp.pipe((_doc(nlp, j) for j in jobs), batch_size=batch_size)
    for job, doc in zip(jobs, docs, strict=True):
        per_item[job.item].extend(_unit_mentions(job, doc, model))
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
