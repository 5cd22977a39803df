"""Quotes a PM can read: each matrix quote in its sentence, with who said it and a link to the interview.

The matrix samples its quotes in SQL as bare text (`insights.matrix.Quote`); this reads, for the
quotes a page or an export shows, the sentence around each one and its interviewee, in a few
queries whatever their number (batched by id). The page, the Markdown export and the PRD draft all
cite through `QuoteContext`, so a quote reads the same everywhere.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from insights.matrix import Matrix, MatrixRow, Quote
from insights.models import SEVERITY_ORDER, Mention, ReviewStatus
from interviews.models import Interview, UsageType, anonymous_label

IDS_PER_QUERY = 500  # SQLite caps a statement's parameters near 1000
# A representative quote is read in a PRD: long enough to say something, short enough to read.
READABLE_CHARS = (40, 240)
SENTENCE_CHARS = 400  # a "sentence" of a transcript without punctuation is cut around the quote
_SENTENCE_END = ".!?\n"
_PK_MARK = 987654321


@dataclass(frozen=True, slots=True)
class QuoteContext:
    mention_id: int
    quote: str
    before: str  # the rest of its sentence, before the quote
    after: str
    participant: str  # the name, or "Participant N"
    role: str
    company: str
    usage: str  # the interviewee type's label
    interview: str  # the interview's display id
    interview_url: str
    reviewed: bool
    severity: str = ""

    @property
    def sentence(self) -> str:
        return f"{self.before}{self.quote}{self.after}".strip()

    @property
    def who(self) -> str:
        """Who said it: name, role at company (interviewee type)."""
        where = f"{self.role} at {self.company}" if self.role and self.company else self.role or self.company
        return f"{self.participant}{', ' + where if where else ''} ({self.usage.lower()})"

    @property
    def cite(self) -> str:
        """The quote for a document: the quote itself, who said it and the interview it is from."""
        return f"“{self.quote}” — {self.who}, interview {self.interview}"


def _split_sentence(text: str, start: int, end: int) -> tuple[str, str]:
    """The rest of the sentence around text[start:end]: from the previous . ! ? or line break to the next."""
    quote = text[start:end].rstrip()
    left = max((text.rfind(c, 0, start) for c in _SENTENCE_END), default=-1) + 1
    stops = [i for c in _SENTENCE_END if (i := text.find(c, end)) != -1]
    right = min(stops) + 1 if stops else len(text)
    if quote and quote[-1] in _SENTENCE_END:  # the quote ends its sentence: nothing of the next one
        right = end
    left = max(left, start - SENTENCE_CHARS // 2)
    right = min(right, end + SENTENCE_CHARS // 2)
    return text[left:start].lstrip(), text[end:right].rstrip()


def quote_contexts(*, mention_ids: Iterable[int]) -> dict[int, QuoteContext]:
    """mention id -> its quote in its sentence and its interviewee, for the ids given (unknown ones left out)."""
    ids = sorted(set(mention_ids))
    usage_labels = dict(UsageType.choices)
    mentions: list[dict[str, Any]] = []
    for i in range(0, len(ids), IDS_PER_QUERY):
        batch = Mention.objects.filter(id__in=ids[i : i + IDS_PER_QUERY])
        fields = ("id", "interview_id", "field", "start", "end", "quote", "quote_missing", "review_status", "severity")
        mentions.extend(dict(row) for row in batch.values(*fields))
    # Only the answer fields the quotes sit in, not every long answer of every interview.
    fields_of: dict[int, set[str]] = {}
    for m in mentions:
        fields_of.setdefault(m["interview_id"], set()).add(m["field"])
    wanted = sorted({f for fs in fields_of.values() for f in fs})
    interviews: dict[int, Interview] = {}
    iv_ids = sorted(fields_of)
    for i in range(0, len(iv_ids), IDS_PER_QUERY):
        qs = Interview.objects.filter(id__in=iv_ids[i : i + IDS_PER_QUERY]).select_related("participant")
        only = ["id", "external_id", "participant__id", "participant__name", "participant__role",
                "participant__company", "participant__usage", *wanted]  # fmt: skip
        interviews.update((iv.pk, iv) for iv in qs.only(*only))
    # One reverse() for all: resolving the URL per quote was most of this function's time.
    url_head, url_tail = reverse("interviews:interview_detail", kwargs={"pk": _PK_MARK}).split(str(_PK_MARK))
    out: dict[int, QuoteContext] = {}
    for m in mentions:
        iv = interviews[m["interview_id"]]
        text = getattr(iv, m["field"], "") or ""
        if m["quote_missing"] or text[m["start"] : m["end"]] != m["quote"]:
            before, after = "", ""  # the text changed since: the quote alone
        else:
            before, after = _split_sentence(text, m["start"], m["end"])
        p = iv.participant
        out[m["id"]] = QuoteContext(
            mention_id=m["id"],
            quote=m["quote"],
            before=before,
            after=after,
            participant=p.name or anonymous_label(p.pk),
            role=p.role,
            company=p.company,
            usage=str(usage_labels.get(p.usage, p.usage)),
            interview=iv.display_id,
            interview_url=f"{url_head}{iv.pk}{url_tail}",
            reviewed=m["review_status"] in (ReviewStatus.ACCEPTED, ReviewStatus.EDITED),
            severity=m["severity"] or "",
        )
    return out


def matrix_quote_contexts(matrix: Matrix) -> dict[int, QuoteContext]:
    """The context of every quote the matrix sampled (the page shows them all)."""
    return quote_contexts(
        mention_ids=(q.mention_id for row in matrix.rows for cell in row.evidence.cells() for q in cell.quotes)
    )


def representative(quotes: Sequence[Quote], contexts: dict[int, QuoteContext], *, n: int = 2) -> list[QuoteContext]:
    """Up to n quotes to stand for a cell: from different interviewees, reviewed ones first, then the
    most severe, readable lengths before very short or very long ones, then the matrix's own order."""
    lo, hi = READABLE_CHARS

    def rank(pair: tuple[int, QuoteContext]) -> tuple[int, int, int, int]:
        i, c = pair
        severity = SEVERITY_ORDER.index(c.severity) if c.severity in SEVERITY_ORDER else -1
        return (0 if c.reviewed else 1, -severity, 0 if lo <= len(c.quote) <= hi else 1, i)

    found = sorted(((i, contexts[q.mention_id]) for i, q in enumerate(quotes) if q.mention_id in contexts), key=rank)
    chosen: list[QuoteContext] = []
    seen: set[str] = set()
    for _i, c in found:
        if c.interview not in seen:
            chosen.append(c)
            seen.add(c.interview)
        if len(chosen) == n:
            break
    return chosen


def row_quotes(row: MatrixRow, contexts: dict[int, QuoteContext], *, n: int = 2) -> list[QuoteContext]:
    """A row's representative pain quotes."""
    return representative(row.evidence.pain.quotes, contexts, n=n)
