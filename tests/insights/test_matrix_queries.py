"""The matrix reads a fixed number of narrow queries, whatever the segment's size (issue 14, item 17)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights.matrix import evidence_ids, segment_matrix
from insights.models import MentionKind, Severity
from tests.factories import InterviewFactory
from tests.insights.factories import MentionFactory, ThemeFactory

MATRIX_QUERIES = 4  # themes, interviews, their counting mentions, the text of the quotes shown
EVIDENCE_QUERIES = 3


def grow(segment, interviews):
    themes = [ThemeFactory(segment=segment, key=f"pain-{i}") for i in range(3)]
    tool = ThemeFactory(segment=segment, kind=MentionKind.WORKAROUND, key="sheet")
    for i in range(interviews):
        interview = InterviewFactory(segment=segment)
        MentionFactory(interview=interview, theme=themes[i % 3], severity=Severity.HIGH)
        MentionFactory(interview=interview, kind=MentionKind.TIME, hours_per_week=i + 1)
        MentionFactory(interview=interview, kind=MentionKind.WORKAROUND, theme=tool)
        MentionFactory(interview=interview, kind=MentionKind.WTP, wtp_min=100, wtp_period="user_month")
        MentionFactory(interview=interview, kind=MentionKind.RISK, quote="we lose the client")
    return themes[0]


def queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result


def test_the_same_few_queries_at_any_size(segment):
    theme = grow(segment, 3)
    small, matrix = queries(lambda: segment_matrix(segment=segment, with_figures=True))
    assert small == MATRIX_QUERIES and matrix.rows
    grow(segment, 30)
    large, matrix = queries(lambda: segment_matrix(segment=segment, with_figures=True, usage="nothing"))
    assert large == MATRIX_QUERIES and matrix.interviews == 33
    n, ids = queries(lambda: evidence_ids(segment=segment, theme_id=theme.pk))
    assert n == EVIDENCE_QUERIES and ids


def test_the_mentions_query_reads_no_quote_it_does_not_need(segment):
    grow(segment, 2)
    with CaptureQueriesContext(connection) as ctx:
        segment_matrix(segment=segment)
    mentions_sql = next(q["sql"] for q in ctx.captured_queries if "kind_cell" in q["sql"])
    # The quote only where the consequence rule reads it; every other column is a number or a key.
    assert "THEN quote END" in mentions_sql and ", quote," not in mentions_sql
