"""The PRD draft of a segment: a Markdown skeleton a PM fills in, built only from the interviews.

Sections: the problem (the pains above the cut, each with its frequency, severity, cost and two
quotes), the workarounds to replace, what not to build (the pains below the cut: the playbook's
"say no"), pricing (the suggested tiers and the stated prices), success metrics (adoption of the
feature for the top pain, hours saved per week against the hours interviewees stated, retention)
and the interviews every quote comes from.

The cut is the matrix's top-3 line: the most severe, most frequent and costliest pains, then the
next by priority until three are named. Every number comes from `segment_matrix` and
`segment_pricing`, the same as the matrix and pricing pages, and names the interviews behind it;
where the data has no number (a target, a retention baseline) the draft says so and leaves a TODO,
it never makes one up. `python manage.py export_insights --segment SLUG --format prd` prints it and
the segment page's "PRD draft" download gives the same text.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from insights.decision_selectors import Pricing, segment_pricing, top_pain_recurrence
from insights.decisions import MustHave
from insights.matrix import SEVERITY_LABEL, Matrix, MatrixRow, evidence_ids, money, number, segment_matrix
from insights.models import Mention
from insights.quotes import QuoteContext, quote_contexts, representative
from interviews.models import Interview, Segment, UsageType, anonymous_label

QUOTES_PER_PAIN = 2
IDS_SHOWN = 12  # interview ids listed after a number before "and N more"
WORKAROUNDS_SHOWN = 5  # per pain; the matrix CSV lists them all
TODO = "_TODO: set a target._"
INTERVIEW_FIELDS = (
    "id", "external_id", "interviewed_on", "participant__id", "participant__name", "participant__role",
    "participant__company", "participant__usage",
)  # fmt: skip
IDS_PER_QUERY = 500  # SQLite caps a statement's parameters near 1000


def above_cut(matrix: Matrix) -> list[MatrixRow]:
    """The pains above the cut: the ones the top-3 line names, in matrix order."""
    t = matrix.top
    named = {n for n in (t.most_severe, t.most_frequent, t.costliest, *t.next) if n}
    return [r for r in matrix.rows if r.name in named]


@dataclass(frozen=True, slots=True)
class PrdInputs:
    segment: Segment
    matrix: Matrix
    pricing: Pricing
    must_have: MustHave
    contexts: dict[int, QuoteContext]
    interviews: list[Interview]
    pain_interviews: dict[int, list[str]]  # theme id -> display ids of the interviews with the pain (top rows)

    @property
    def top(self) -> list[MatrixRow]:
        return above_cut(self.matrix)

    @property
    def below(self) -> list[MatrixRow]:
        top = {r.theme_id for r in self.top}
        return [r for r in self.matrix.rows if r.theme_id not in top]


def prd_inputs(*, segment: Segment) -> PrdInputs:
    """Everything the draft shows, read once (the matrix with each interview's hours and risk figures)."""
    matrix = segment_matrix(segment=segment, with_figures=True)
    ids = (q.mention_id for r in matrix.rows for c in r.evidence.cells() for q in c.quotes)
    interviews = list(Interview.objects.filter(segment=segment).select_related("participant").only(*INTERVIEW_FIELDS))
    # Date order, undated last (databases disagree on where NULL sorts).
    interviews.sort(key=lambda i: (i.interviewed_on is None, i.interviewed_on or date.min, i.pk))
    display = {i.pk: i.display_id for i in interviews}
    with_pain: dict[int, list[str]] = {}
    for row in above_cut(matrix):
        # The matrix's own attribution: exactly the interviews its frequency counts.
        mentions = sorted(evidence_ids(segment=segment, theme_id=row.theme_id, cell="pain"))
        ivs: set[int] = set()
        for i in range(0, len(mentions), IDS_PER_QUERY):
            chunk = mentions[i : i + IDS_PER_QUERY]
            ivs.update(Mention.objects.filter(id__in=chunk).values_list("interview_id", flat=True))
        with_pain[row.theme_id] = [display[i] for i in ivs if i in display]
    return PrdInputs(
        segment=segment,
        matrix=matrix,
        pricing=segment_pricing(segment=segment),
        must_have=top_pain_recurrence(segment=segment, row=matrix.rows[0] if matrix.rows else None),
        contexts=quote_contexts(mention_ids=ids),
        interviews=interviews,
        pain_interviews=with_pain,
    )


def prd_markdown(*, segment: Segment) -> Iterator[str]:
    """The draft as Markdown chunks (one per section)."""
    data = prd_inputs(segment=segment)
    yield from (
        _head(data),
        _problem(data),
        _workarounds(data),
        _say_no(data),
        _pricing(data),
        _metrics(data),
        _sources(data),
    )


# --- sections --------------------------------------------------------------------------------------


def _head(d: PrdInputs) -> str:
    m = d.matrix
    dates = [i.interviewed_on for i in d.interviews if i.interviewed_on]
    span = f", {min(dates)} to {max(dates)}" if dates else ""
    lines = [
        f"# PRD draft: {_one_line(d.segment.name)}",
        "",
        f"_Drafted by Sift from {m.interviews} interview{_s(m.interviews)} ({_one_line(d.segment.name)}{span}). "
        "Every number below is computed from those interviews and names the interviews it rests on "
        "(their ids are listed under Sources); the quotes are what interviewees said. "
        f"Every quote behind a pain: `python manage.py export_insights --segment {d.segment.slug} --format csv "
        "--mentions --theme THEME_ID` (theme ids beside each pain)._",
    ]
    if m.unreviewed_cells:
        lines += ["", f"> **Before sharing:** {m.review_line} Review them so the numbers rest on checked quotes."]
    return "\n".join(lines) + "\n\n"


def _problem(d: PrdInputs) -> str:
    m = d.matrix
    out = ["## 1. Problem", ""]
    if not d.top:
        return "\n".join([*out, "No pain points yet: log interviews and let extraction run.", "", ""])
    out += [m.top.line, ""]
    for i, r in enumerate(d.top, 1):
        out += [f"### 1.{i} {_one_line(r.name)}", "", f"_Theme {r.theme_id}._", ""]
        out.append(
            f"- **Frequency:** {r.interviews} of {r.total_interviews} interviewees ({r.frequency_pct}%)"
            f"{_ids(d.pain_interviews.get(r.theme_id, []))}."
        )
        out.append(f"- **Severity:** {r.severity_label} ({_severity_counts(r)}).")
        out.append(f"- **Cost:** {_cost(r, d.matrix)}")
        for q in representative(r.evidence.pain.quotes, d.contexts, n=QUOTES_PER_PAIN):
            out += ["", f"> {_cite(q)}"]
        out.append("")
    return "\n".join(out) + "\n"


def _workarounds(d: PrdInputs) -> str:
    out = ["## 2. Workarounds to replace", ""]
    any_found = False
    for r in d.top:
        found = ([r.workaround] if r.workaround else []) + r.other_workarounds
        if not found:
            continue
        any_found = True
        listed = ", ".join(f"{_one_line(w.name)} ({w.interviews} of {r.interviews})" for w in found[:WORKAROUNDS_SHOWN])
        rest = len(found) - WORKAROUNDS_SHOWN
        more = f" and {rest} more (all in the matrix CSV)" if rest > 0 else ""
        out.append(f"- **{_one_line(r.name)}:** {listed}{more}.")
        for q in representative(r.evidence.workaround.quotes, d.contexts, n=1):
            out.append(f"  > {_cite(q)}")
    if not any_found:
        out.append("No interviewee described a workaround for the pains above the cut.")
    out.append("")
    out.append("_Counts: interviewees with the pain who use each workaround for it._")
    return "\n".join(out) + "\n\n"


def _say_no(d: PrdInputs) -> str:
    out = ["## 3. What not to build", ""]
    if not d.below:
        out.append("Every pain the interviews found is in the problem section above.")
        return "\n".join(out) + "\n\n"
    out.append(
        "These pains came up but rank below the cut (the top-3 line above): say no to them in this release, "
        "and revisit when more interviewees raise them."
    )
    out.append("")
    for r in d.below:
        out.append(
            f"- {_one_line(r.name)}: {r.interviews} of {r.total_interviews} interviewees, {r.severity_label.lower()}"
            f"; {_plain_impact(r)} (theme {r.theme_id})."
        )
    return "\n".join(out) + "\n\n"


def _pricing(d: PrdInputs) -> str:
    p = d.pricing
    s, c = p.spread, p.currency
    out = ["## 4. Pricing", ""]
    if p.tiers.tiers:
        for t in p.tiers.tiers:
            seats = f" up to {t.seats_up_to} seats" if t.seats_up_to else ""
            ids = [e.interview for e in t.evidence]
            out.append(
                f"- **{t.name}:** {money(t.price_per_month, t.currency)}/month{seats} — the {t.basis} of the stated "
                f"monthly prices; backed by {t.evidence_count} interviewee{_s(t.evidence_count)}{_ids(ids)}."
            )
        out.append("")
    if p.tiers.warning and not p.tiers.tiers:  # with tiers the warning only names other currencies: below
        out += [f"> ⚠ {p.tiers.warning}", ""]
    if s.n:
        stated = [st.interview for st in p.monthly]
        out.append(
            f"Stated monthly willingness to pay ({c}, {s.n} interviewee{_s(s.n)}{_ids(stated)}): "
            f"lowest {money(s.min, c)}, lower quartile {money(s.q1, c)}, median {money(s.median, c)}, "
            f"upper quartile {money(s.q3, c)}, highest {money(s.max, c)}."
        )
    else:
        out.append("No interviewee stated a monthly price yet.")
    extra = []
    if p.refused:
        extra.append(f"{len(p.refused)} refused to name a price{_ids(p.refused)}")
    if p.once:
        extra.append(f"{p.once} stated a one-off amount, kept apart")
    for cur, n in sorted(p.other_currencies.items()):
        extra.append(f"{n} stated a price in {cur}, not converted and left out")
    if extra:
        text = "; ".join(extra)
        out += ["", text[0].upper() + text[1:] + "."]
    return "\n".join(out) + "\n\n"


def _metrics(d: PrdInputs) -> str:
    out = ["## 5. Success metrics", ""]
    if not d.matrix.rows:
        out.append("Set once the interviews show a top pain.")
        return "\n".join(out) + "\n\n"
    top = d.matrix.rows[0]
    name = _one_line(top.name)
    out.append(
        f"- **Adoption:** share of active customers who use the feature for “{name}” every week. "
        f"Interview baseline: {top.interviews} of {top.total_interviews} interviewees ({top.frequency_pct}%) "
        f"have this pain. {TODO}"
    )
    if top.hours:
        values = [h.value for h in top.hours]
        lo, hi = min(values), max(values)
        spread = f"{number(lo)} h" if lo == hi else f"{number(lo)} to {number(hi)} h"
        out.append(
            f"- **Hours saved per week:** interviewees spend a median {number(top.hours_median)} h/week on “{name}” "
            f"({top.hours_n} interviewee{_s(top.hours_n)} stated hours{_ids([h.interview for h in top.hours])}; "
            f"{spread}). Measure the hours "
            f"customers still spend on it after launch against this. {TODO}"
        )
    else:
        out.append(
            f"- **Hours saved per week:** no interviewee put hours on “{name}”: ask in the next interviews "
            f"for a baseline. {TODO}"
        )
    recurrence = f" {d.must_have.reason}" if d.must_have.recurrences else ""
    out.append(
        "- **Retention:** monthly retention of the customers who adopt the feature; the interviews give no "
        f"baseline.{recurrence} {TODO}"
    )
    return "\n".join(out) + "\n\n"


def _sources(d: PrdInputs) -> str:
    labels = dict(UsageType.choices)
    out = ["## Sources", ""]
    for i in d.interviews:
        p = i.participant
        who = p.name or anonymous_label(p.pk)
        where = f"{p.role} at {p.company}" if p.role and p.company else p.role or p.company
        when = f", {i.interviewed_on}" if i.interviewed_on else ""
        out.append(
            f"- {i.display_id}: {_one_line(who)}{', ' + _one_line(where) if where else ''} "
            f"({str(labels.get(p.usage, p.usage)).lower()}{when})"
        )
    return "\n".join(out) + "\n"


# --- helpers ---------------------------------------------------------------------------------------


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _ids(ids: Iterable[str]) -> str:
    """The interviews behind a number, to follow it (": interviews a, b and 3 more"; sorted, each once)."""
    unique = sorted(set(ids))
    if not unique:
        return ""
    shown, more = unique[:IDS_SHOWN], len(unique) - IDS_SHOWN
    return f": interview{_s(len(unique))} {', '.join(shown)}" + (f" and {more} more" if more > 0 else "")


def _severity_counts(r: MatrixRow) -> str:
    parts = [f"{SEVERITY_LABEL[s].lower()} for {n}" for s, n in reversed(list(r.severity_counts.items()))]
    return ", ".join(parts) + " interviewee" + _s(sum(r.severity_counts.values()))


def _cost(r: MatrixRow, m: Matrix) -> str:
    parts = []
    if r.hours_median is not None:
        yearly = ""
        if r.yearly_cost is not None:
            rate = f"{money(float(m.hourly_cost), 'USD')}/h x {m.weeks_per_year} weeks"
            yearly = f" ≈ {money(r.yearly_cost, 'USD')} per customer per year at {rate}"
        parts.append(
            f"median {number(r.hours_median)} h/week{yearly} (from {r.hours_n} interviewee{_s(r.hours_n)}"
            f"{_ids(h.interview for h in r.hours)})"
        )
    if r.risk_max is not None:
        at = [f.interview for f in r.risks if f.currency == r.risk_currency and f.value == r.risk_max]
        risk = f"risk up to {money(r.risk_max, r.risk_currency)}{_ids(at)}"
        if r.other_risks:
            risk += " (also " + ", ".join(money(v, c) for c, v in sorted(r.other_risks.items()))
            risk += "; currencies not converted)"
        parts.append(risk)
    if not parts:
        return (f"no interviewee put a figure on it; most said: “{r.consequence}”." if r.consequence
                else "no interviewee put a figure on it.")  # fmt: skip
    return "; ".join(parts) + "."


def _plain_impact(r: MatrixRow) -> str:
    if r.hours_median is not None:
        return f"median {number(r.hours_median)} h/week from {r.hours_n}"
    if r.risk_max is not None:
        return f"risk up to {money(r.risk_max, r.risk_currency)}"
    return "no figure stated"


def _cite(q: QuoteContext) -> str:
    return _one_line(q.cite)
