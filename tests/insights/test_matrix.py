"""The pain-point matrix: each rule on hand-built data with known answers, the page and the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.urls import reverse
from rest_framework.test import APIClient

from insights.matrix import Matrix, TopPains, priority_score, segment_matrix
from insights.models import Mention, ReviewStatus
from tests.factories import InterviewFactory, ParticipantFactory, SegmentFactory, UserFactory, WorkspaceFactory
from tests.insights.factories import MentionFactory, ThemeFactory


def pain(interview, theme, severity, **extra):
    return MentionFactory(interview=interview, kind="pain", theme=theme, proposed_theme_key=theme.key,
                          severity=severity, **extra)  # fmt: skip


def time_(interview, hours, about="", **extra):
    return MentionFactory(interview=interview, kind="time", field="time_spent", hours_per_week=hours,
                          about_key=about, **extra)  # fmt: skip


def wtp(interview, lo, hi=None, period="month", refused=False):
    return MentionFactory(interview=interview, kind="wtp", field="willingness_to_pay", wtp_min=lo,
                          wtp_max=hi, wtp_period=period, refused=refused, currency="USD")  # fmt: skip


@pytest.fixture
def data(segment):
    return build_data(segment)


def build_data(segment):
    """Five interviews; the expected numbers are worked out in the comments."""
    segment.hourly_cost, segment.weeks_per_year = Decimal("50"), 50
    segment.save()
    compliance = ThemeFactory(segment=segment, key="compliance", name="Compliance tracking")
    reporting = ThemeFactory(segment=segment, key="reporting", name="Manual reporting")
    old = ThemeFactory(segment=segment, key="reporting-old", name="Old reporting", merged_into=reporting)
    sheets = ThemeFactory(segment=segment, kind="workaround", key="spreadsheets", name="Spreadsheets")

    def iv(usage="nothing", team_size=6, on=date(2025, 1, 10)):
        participant = ParticipantFactory(workspace=segment.workspace, usage=usage, team_size=team_size)
        return InterviewFactory(segment=segment, participant=participant, interviewed_on=on)

    i1, i2, i3 = iv(), iv(), iv(team_size=None, on=date(2025, 3, 1))
    i4, i5 = iv(usage="competitor", on=date(2025, 6, 1)), iv()
    # i1: compliance very high (max of very_high and high), reporting medium.
    pain(i1, compliance, "very_high", review_status=ReviewStatus.ACCEPTED)
    pain(i1, compliance, "high")
    pain(i1, reporting, "medium")
    time_(i1, 4, about="compliance")
    time_(i1, 3, about="reporting-old")  # a merged theme's key: goes to Manual reporting
    MentionFactory(interview=i1, kind="workaround", theme=sheets, proposed_theme_key="spreadsheets")  # untied: both
    wtp(i1, 200, 400)
    MentionFactory(interview=i1, kind="risk", field="risk", risk_amount=50_000, about_key="compliance")
    # i2: compliance high; reporting high (high + low, one of them via the merged theme): main pain is
    # reporting (same severity, two mentions against one).
    pain(i2, compliance, "high")
    pain(i2, old, "high")
    pain(i2, reporting, "low")
    time_(i2, 2)  # untied: the main pain, reporting
    MentionFactory(interview=i2, kind="workaround", theme=sheets, about_key="compliance")
    wtp(i2, 1200, period="year")  # 100 a month
    MentionFactory(interview=i2, kind="risk", field="risk", quote="Risk of fines", about_key="compliance")
    # i3: compliance high; the same 4 hours said twice; per-user WTP without a team size.
    pain(i3, compliance, "high")
    time_(i3, 4, about="compliance")
    time_(i3, 4, about="compliance")
    MentionFactory(interview=i3, kind="workaround", proposed_theme_key="email")
    wtp(i3, 10, period="user_month")
    wtp(i3, 0, refused=True)
    # i4: reporting medium; a rejected compliance pain never counts; refuses to pay.
    pain(i4, reporting, "medium")
    pain(i4, compliance, "very_high", review_status=ReviewStatus.REJECTED)
    time_(i4, 5)
    wtp(i4, None, refused=True)
    return {"segment": segment, "compliance": compliance, "reporting": reporting, "interviews": [i1, i2, i3, i4, i5]}


def rows_by_key(matrix):
    return {r.key: r for r in matrix.rows}


def test_frequency_severity_and_merged_themes(data):
    matrix = segment_matrix(segment=data["segment"])
    rows = rows_by_key(matrix)
    assert set(rows) == {"compliance", "reporting"}  # the merged theme is no row of its own
    c, r = rows["compliance"], rows["reporting"]
    assert (c.frequency, r.frequency) == ("3/5", "3/5")  # rejected i4 compliance pain ignored
    assert c.severity_counts == {"high": 2, "very_high": 1} and c.severity == "high"
    assert r.severity_counts == {"medium": 2, "high": 1} and r.severity == "medium"


def test_severity_tie_goes_to_the_higher(segment):
    theme = ThemeFactory(segment=segment, key="x")
    pain(InterviewFactory(segment=segment), theme, "medium")
    pain(InterviewFactory(segment=segment), theme, "high")
    assert segment_matrix(segment=segment).rows[0].severity == "high"


def test_hours_by_about_key_and_main_pain_median_and_cost(data):
    rows = rows_by_key(segment_matrix(segment=data["segment"], with_figures=True))
    c, r = rows["compliance"], rows["reporting"]
    # compliance: i1 4 h (about_key), i3 4 h said twice counts once -> median 4, n 2, 4 x $50 x 50.
    assert (c.hours_median, c.hours_n, c.yearly_cost) == (4, 2, 10_000)
    # reporting: i1 3 h (merged key), i2 2 h (main pain), i4 5 h (only pain) -> median 3.
    assert (r.hours_median, r.hours_n, r.yearly_cost) == (3, 3, 7_500)
    assert sorted((f.value, f.theme) for f in r.hours) == [(2, "reporting"), (3, "reporting"), (5, "reporting")]


def test_yearly_cost_uses_the_segment_hourly_cost(data):
    segment = data["segment"]
    segment.hourly_cost, segment.weeks_per_year = Decimal("80"), 46
    segment.save()
    assert rows_by_key(segment_matrix(segment=segment))["compliance"].yearly_cost == 4 * 80 * 46


def test_risk_max_and_consequence(data, segment):
    rows = rows_by_key(segment_matrix(segment=data["segment"]))
    assert rows["compliance"].risk_max == 50_000 and rows["compliance"].consequence == ""
    assert rows["reporting"].risk_max is None


def test_consequence_is_the_most_stated_risk_without_figures(segment):
    theme = ThemeFactory(segment=segment, key="audit")
    for quote in ["Slower decisions", "Risk of fines.", "risk of fines."]:
        interview = InterviewFactory(segment=segment)
        pain(interview, theme, "high")
        MentionFactory(interview=interview, kind="risk", field="risk", quote=quote)
    row = segment_matrix(segment=segment).rows[0]
    assert row.risk_max is None and row.consequence == "Risk of fines."
    assert row.evidence.risk.total == 3


def test_without_any_figure_or_stated_consequence_the_impact_says_so(segment):
    # A pain quote is no consequence: shown as one it misled the reader ("because the task view is
    # hard to share" in the Impact column), so the cell stays empty.
    theme = ThemeFactory(segment=segment, key="audit")
    interview = InterviewFactory(segment=segment)
    pain(interview, theme, "low", quote="Mildly annoying")
    pain(interview, theme, "very_high", quote="It is killing us")
    row = segment_matrix(segment=segment).rows[0]
    assert row.consequence == "" and row.impact_label == "—"


def test_costliest_rests_on_two_interviewees_figures_when_any_theme_has_them(segment):
    solo, shared = ThemeFactory(segment=segment, key="solo"), ThemeFactory(segment=segment, key="shared")
    one = InterviewFactory(segment=segment)
    pain(one, solo, "high")
    time_(one, 10, about="solo")
    for hours in (4, 6):
        interview = InterviewFactory(segment=segment)
        pain(interview, shared, "high")
        time_(interview, hours, about="shared")
    matrix = segment_matrix(segment=segment)
    rows = {r.key: r for r in matrix.rows}
    assert rows["solo"].yearly_cost > rows["shared"].yearly_cost and rows["solo"].hours_n == 1
    assert matrix.top.costliest == rows["shared"].name
    # With one figure per theme everywhere, the largest still wins.
    Mention.objects.filter(kind="time", hours_per_week=6).delete()
    assert segment_matrix(segment=segment).top.costliest == rows["solo"].name


def test_workarounds_most_common_and_others(data):
    rows = rows_by_key(segment_matrix(segment=data["segment"]))
    c, r = rows["compliance"], rows["reporting"]
    assert (c.workaround.name, c.workaround.interviews) == ("Spreadsheets", 2)  # i1 untied, i2 tied
    assert [(w.name, w.interviews) for w in c.other_workarounds] == [("email", 1)]
    assert (r.workaround.name, r.workaround.interviews, r.other_workarounds) == ("Spreadsheets", 1, [])
    assert c.workaround_label == "Spreadsheets (2); also email (1)"


def test_wtp_normalised_to_a_month(data):
    rows = rows_by_key(segment_matrix(segment=data["segment"]))
    w = rows["compliance"].wtp  # 200-400/month, 1200/year = 100, 10/user/month x unknown team = 10
    assert (w.median, w.min, w.max, w.n, w.monthly, w.refused, w.unknown_team_size) == (100, 10, 400, 3, 3, 0, 1)
    w = rows["reporting"].wtp  # i1 mid 300, i2 100, i4 refused
    assert (w.median, w.min, w.max, w.n, w.refused) == (200, 100, 400, 2, 1)


def test_wtp_per_user_times_team_size_and_one_off_counted_apart(segment):
    theme = ThemeFactory(segment=segment, key="x")
    a = InterviewFactory(segment=segment, participant=ParticipantFactory(workspace=segment.workspace, team_size=5))
    b = InterviewFactory(segment=segment)
    pain(a, theme, "high")
    wtp(a, 20, 30, period="user_month")  # 100-150 a month
    pain(b, theme, "high")
    wtp(b, 5000, period="once")
    w = segment_matrix(segment=segment).rows[0].wtp
    assert (w.min, w.max, w.median, w.n, w.monthly, w.once) == (100, 150, 125, 2, 1, 1)
    assert "1 one-off" in segment_matrix(segment=segment).rows[0].wtp_label


def test_evidence_counts_and_unreviewed(data):
    c = rows_by_key(segment_matrix(segment=data["segment"]))["compliance"]
    ev = c.evidence
    assert (ev.pain.total, ev.time.total, ev.risk.total, ev.workaround.total, ev.wtp.total) == (4, 3, 2, 3, 4)
    assert (c.quotes, c.unreviewed) == (16, 15)  # one pain accepted by a reviewer
    assert {q.text for q in ev.risk.quotes} >= {"Risk of fines"}
    assert all(q.interview for q in ev.pain.quotes)


def build_review_data(segment):
    """Three pains, some evidence cells fully reviewed, some with machine mentions, rejected ones not counting.

    audit (i1):   pain accepted (a rejected one beside it) -> reviewed; time: only a rejected one ->
                  no cell; risk edited -> reviewed; workaround unreviewed -> unreviewed; no WTP.
                  3 cells, 1 unreviewed.
    billing (i2): pain accepted + unreviewed -> unreviewed; time accepted -> reviewed; WTP accepted
                  (untied: every pain of i2) -> reviewed. 3 cells, 1 unreviewed.
    churn (i3):   pain unreviewed stating a risk amount, so also in the risk cell, beside an
                  accepted risk quote -> pain and risk unreviewed; WTP only rejected -> no cell.
                  2 cells, 2 unreviewed.
    Segment: 8 cells, 4 of them unreviewed.
    """
    accepted, edited, rejected = ReviewStatus.ACCEPTED, ReviewStatus.EDITED, ReviewStatus.REJECTED
    audit = ThemeFactory(segment=segment, key="audit", name="Audit prep")
    billing = ThemeFactory(segment=segment, key="billing", name="Billing errors")
    churn = ThemeFactory(segment=segment, key="churn", name="Client churn")
    sheets = ThemeFactory(segment=segment, kind="workaround", key="sheets", name="Spreadsheets")
    i1, i2, i3 = (InterviewFactory(segment=segment) for _ in range(3))
    pain(i1, audit, "high", review_status=accepted)
    pain(i1, audit, "medium", review_status=rejected)
    time_(i1, 3, about="audit", review_status=rejected)
    MentionFactory(interview=i1, kind="risk", field="risk", quote="Failed audit", about_key="audit",
                   review_status=edited)  # fmt: skip
    MentionFactory(interview=i1, kind="workaround", theme=sheets, about_key="audit")
    pain(i2, billing, "high", review_status=accepted)
    pain(i2, billing, "low")
    time_(i2, 2, about="billing", review_status=accepted)
    MentionFactory(interview=i2, kind="wtp", field="willingness_to_pay", wtp_min=100, wtp_period="month",
                   currency="USD", review_status=accepted)  # fmt: skip
    pain(i3, churn, "high", risk_amount=1_000)
    MentionFactory(interview=i3, kind="risk", field="risk", quote="Lost a client", about_key="churn",
                   review_status=accepted)  # fmt: skip
    MentionFactory(interview=i3, kind="wtp", field="willingness_to_pay", wtp_min=50, wtp_period="month",
                   currency="USD", review_status=rejected)  # fmt: skip
    return segment


# (cells, unreviewed cells) per row, and per cell (total, unreviewed) for the cells with a mention.
REVIEW_ROWS = {"audit": (3, 1), "billing": (3, 1), "churn": (2, 2)}
REVIEW_CELLS = {
    "audit": {"pain": (1, 0), "time": (0, 0), "risk": (1, 0), "workaround": (1, 1), "wtp": (0, 0)},
    "billing": {"pain": (2, 1), "time": (1, 0), "risk": (0, 0), "workaround": (0, 0), "wtp": (1, 0)},
    "churn": {"pain": (1, 1), "time": (0, 0), "risk": (2, 1), "workaround": (0, 0), "wtp": (0, 0)},
}


def test_unreviewed_cells_per_cell_row_and_matrix(segment):
    matrix = segment_matrix(segment=build_review_data(segment))
    rows = rows_by_key(matrix)
    for key, cells in REVIEW_CELLS.items():
        ev = rows[key].evidence
        assert {c: (getattr(ev, c).total, getattr(ev, c).unreviewed) for c in cells} == cells, key
    assert {k: (r.cells, r.unreviewed_cells) for k, r in rows.items()} == REVIEW_ROWS
    # The pain stating a risk sits in two cells, both unreviewed, but is one unreviewed quote of the row.
    assert (rows["churn"].quotes, rows["churn"].unreviewed) == (2, 1)
    assert (matrix.cells, matrix.unreviewed_cells) == (8, 4)
    assert matrix.review_line == "4 of 8 evidence cells still have unreviewed mentions."


def test_unreviewed_cells_follow_reviews_and_filters(segment):
    build_review_data(segment)
    Mention.objects.filter(interview__segment=segment, review_status=ReviewStatus.UNREVIEWED).exclude(
        theme__key="churn"
    ).update(review_status=ReviewStatus.ACCEPTED)
    matrix = segment_matrix(segment=segment)
    assert (matrix.cells, matrix.unreviewed_cells) == (8, 2)  # churn's pain and risk cells
    # Rejecting the last machine mention leaves its pain theme without a row: churn's two cells go.
    Mention.objects.filter(interview__segment=segment, review_status=ReviewStatus.UNREVIEWED).update(
        review_status=ReviewStatus.REJECTED
    )
    matrix = segment_matrix(segment=segment)
    assert (matrix.cells, matrix.unreviewed_cells) == (6, 0)
    assert matrix.review_line == "All 6 evidence cells are reviewed."
    later = segment_matrix(segment=segment, date_from=date(2100, 1, 1))
    assert (later.cells, later.unreviewed_cells, later.review_line) == (0, 0, "No evidence cells yet.")


def test_review_line_wording():
    def line(cells, unreviewed):
        matrix = Matrix(segment="s", segment_name="S", hourly_cost=Decimal(50), weeks_per_year=50, usage=None,
                        date_from=None, date_to=None, interviews=1, rows=[], top=TopPains(None, None, None),
                        cells=cells, unreviewed_cells=unreviewed)  # fmt: skip
        return matrix.review_line

    assert line(40, 12) == "12 of 40 evidence cells still have unreviewed mentions."
    assert line(40, 1) == "1 of 40 evidence cells still has unreviewed mentions."
    assert line(1, 1) == "1 of 1 evidence cell still has unreviewed mentions."
    assert line(1, 0) == "The 1 evidence cell is reviewed."
    assert line(0, 0) == "No evidence cells yet."


def test_quotes_count_a_mention_in_two_cells_once(segment):
    """A pain, an hours figure or a WTP that also states a risk amount sits in two cells, counted once."""
    theme = ThemeFactory(segment=segment, key="audit")
    interview = InterviewFactory(segment=segment)
    pain(interview, theme, "high", risk_amount=1_000)
    time_(interview, 2, about="audit", risk_amount=500)
    MentionFactory(interview=interview, kind="time", field="time_spent", about_key="audit", risk_amount=300)
    MentionFactory(interview=interview, kind="wtp", field="willingness_to_pay", wtp_min=50, risk_amount=100,
                   review_status=ReviewStatus.ACCEPTED)  # fmt: skip
    MentionFactory(interview=interview, kind="risk", field="risk", quote="Fines", about_key="audit")
    row = segment_matrix(segment=segment).rows[0]
    ev = row.evidence
    assert (ev.pain.total, ev.time.total, ev.risk.total, ev.workaround.total, ev.wtp.total) == (1, 1, 5, 0, 1)
    assert (row.quotes, row.unreviewed) == (5, 4)
    assert row.risk_max == 1_000


def test_priority_order_and_top_line(data):
    matrix = segment_matrix(segment=data["segment"])
    assert [r.key for r in matrix.rows] == ["compliance", "reporting"]
    assert matrix.rows[0].score == priority_score(frequency_ratio=3 / 5, severity="high") == 1.8
    # One theme wins all three: the next row by priority joins, so the line names what there is.
    assert (
        matrix.top.line
        == "Top pains: Compliance tracking (most severe, most frequent, costliest); then Manual reporting"
    )
    assert matrix.top.next == ("Manual reporting",)
    top = TopPains(most_severe="A", most_frequent="B", costliest="A", next=("C",))
    assert top.line == "Top pains: A (most severe, costliest), B (most frequent); then C"
    assert TopPains(most_severe="A", most_frequent="B", costliest="C").line == (
        "Top pains: A (most severe), B (most frequent), C (costliest)"
    )


def test_filters_usage_and_dates(data):
    segment = data["segment"]
    competitor = segment_matrix(segment=segment, usage="competitor")
    assert competitor.interviews == 1 and [r.frequency for r in competitor.rows] == ["1/1"]
    spring = segment_matrix(segment=segment, date_from=date(2025, 2, 1), date_to=date(2025, 12, 31))
    assert spring.interviews == 2
    assert {r.key: r.frequency for r in spring.rows} == {"compliance": "1/2", "reporting": "1/2"}
    with pytest.raises(ValueError):
        segment_matrix(segment=segment, usage="martians")


def test_other_segments_do_not_leak(data):
    other = SegmentFactory()
    pain(InterviewFactory(segment=other), ThemeFactory(segment=other, key="compliance"), "low")
    assert rows_by_key(segment_matrix(segment=data["segment"]))["compliance"].frequency == "3/5"


def _seed(segment, n):
    themes = [ThemeFactory(segment=segment, key=f"t{i}") for i in range(4)]
    for i in range(n):
        interview = InterviewFactory(segment=segment)
        pain(interview, themes[i % 4], "high")
        pain(interview, themes[(i + 1) % 4], "low")
        time_(interview, 2)
        wtp(interview, 100)
        MentionFactory(interview=interview, kind="workaround", proposed_theme_key="sheets")


@pytest.mark.parametrize("n", [5, 60])
def test_constant_number_of_queries(segment, n, django_assert_max_num_queries):
    _seed(segment, n)
    with django_assert_max_num_queries(10):
        matrix = segment_matrix(segment=segment, with_figures=True)
    assert matrix.interviews == n and len(matrix.rows) == 4


def test_evidence_quotes_are_each_cells_first_mentions_by_id(segment):
    """More mentions than a cell shows: its first 25 by id, for themes mentioned early and late alike."""
    early, late = ThemeFactory(segment=segment, key="early"), ThemeFactory(segment=segment, key="late")
    expected: dict[str, dict[str, list[int]]] = {key: {"pain": [], "time": [], "wtp": []} for key in ("early", "late")}

    def interview_about(theme):
        interview = InterviewFactory(segment=segment)
        cells = expected[theme.key]
        cells["pain"].append(pain(interview, theme, "high").id)
        cells["time"].append(time_(interview, 2, about=theme.key).id)
        cells["wtp"].append(wtp(interview, 100).id)

    for _ in range(40):
        interview_about(early)
    # Mentions the matrix ignores, so that the late theme's ids are far from the early one's.
    filler = InterviewFactory(segment=segment)
    Mention.objects.bulk_create(
        Mention(interview=filler, kind="wish", field="magic_wand", start=i, end=i + 1, quote="x") for i in range(2000)
    )
    for _ in range(30):
        interview_about(late)
    rows = rows_by_key(segment_matrix(segment=segment))
    for key, cells in expected.items():
        for cell, ids in cells.items():
            got = getattr(rows[key].evidence, cell)
            assert (got.total, [q.mention_id for q in got.quotes]) == (len(ids), sorted(ids)[:25]), (key, cell)


def test_planner_settings_do_not_outlive_the_statement(data):
    """On PostgreSQL the statement runs with nested loops off; the caller's transaction gets its settings back."""
    with transaction.atomic(), connection.cursor() as cursor:
        segment_matrix(segment=data["segment"])
        if connection.vendor == "postgresql":
            cursor.execute("SHOW enable_nestloop")
            assert cursor.fetchone()[0] == "on"


# --- page and API ------------------------------------------------------------------------------------


def test_page_shows_rows_badges_and_quotes(web, data):
    html = web.get(reverse("insights:matrix", args=[data["segment"].slug])).content.decode()
    assert "Compliance tracking" in html and "Top pains:" in html
    assert 'class="badge high"' in html and "<details>" in html and "Risk of fines" in html
    assert reverse("insights:matrix_export", args=[data["segment"].slug]) + "?format=csv" in html


def test_page_says_how_many_cells_are_unreviewed(web, segment):
    build_review_data(segment)
    html = web.get(reverse("insights:matrix", args=[segment.slug])).content.decode()
    assert "4 of 8 evidence cells still have unreviewed mentions." in html
    assert "in 2 of 2 cells" in html and "in 1 of 3 cells" in html  # churn; audit and billing
    Mention.objects.filter(interview__segment=segment).exclude(review_status=ReviewStatus.REJECTED).update(
        review_status=ReviewStatus.ACCEPTED
    )
    html = web.get(reverse("insights:matrix", args=[segment.slug])).content.decode()
    assert "All 8 evidence cells are reviewed." in html and "unreviewed" not in html


def test_page_bad_dates_are_inline_errors(web, data):
    url = reverse("insights:matrix", args=[data["segment"].slug])
    response = web.get(url, {"date_from": "not-a-date", "date_to": "2025-01-01", "usage": "martians"})
    html = response.content.decode()
    assert response.status_code == 200 and "Enter a date as YYYY-MM-DD." in html and "Compliance tracking" in html
    response = web.get(url, {"date_from": "2025-05-01", "date_to": "2025-01-01"})
    assert "The end date is before the start date." in response.content.decode()


def test_page_filters_apply(web, data):
    url = reverse("insights:matrix", args=[data["segment"].slug])
    assert "1/1" in web.get(url, {"usage": "competitor"}).content.decode()


def test_segment_page_links_to_the_matrix(web, data):
    html = web.get(data["segment"].get_absolute_url()).content.decode()
    assert reverse("insights:matrix", args=[data["segment"].slug]) in html


def test_page_and_export_of_another_workspace_are_404(web, db):
    other = SegmentFactory(workspace=WorkspaceFactory())
    assert web.get(reverse("insights:matrix", args=[other.slug])).status_code == 404
    assert web.get(reverse("insights:matrix_export", args=[other.slug])).status_code == 404


def test_page_needs_login(client, segment):
    response = client.get(reverse("insights:matrix", args=[segment.slug]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("fmt", ["csv", "md", "json"])
def test_export_streams(web, data, fmt):
    response = web.get(reverse("insights:matrix_export", args=[data["segment"].slug]), {"format": fmt})
    assert isinstance(response, StreamingHttpResponse) and response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Compliance tracking" in body


def test_export_rejects_bad_input(web, data):
    url = reverse("insights:matrix_export", args=[data["segment"].slug])
    assert web.get(url, {"format": "xlsx"}).status_code == 400
    assert web.get(url, {"format": "csv", "date_to": "yesterday"}).status_code == 400


def test_api_json_by_default_and_format_param_is_ours(api, data):
    url = f"/api/segments/{data['segment'].slug}/matrix/"
    response = api.get(url)
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    import json

    payload = json.loads(b"".join(response.streaming_content))
    assert payload["rows"][0]["key"] == "compliance" and payload["summary"].startswith("Top pains:")
    for fmt, marker in (("csv", "rank,theme"), ("md", "| # | Pain point |")):
        response = api.get(url, {"format": fmt})
        assert response.status_code == 200, fmt
        assert marker in b"".join(response.streaming_content).decode("utf-8-sig")
    competitor = json.loads(b"".join(api.get(url, {"usage": "competitor"}).streaming_content))
    assert competitor["interviews"] == 1


def test_api_errors(api, data):
    url = f"/api/segments/{data['segment'].slug}/matrix/"
    assert api.get(url, {"format": "xlsx"}).status_code == 400
    assert api.get(url, {"date_from": "soon"}).status_code == 400
    other = SegmentFactory(workspace=WorkspaceFactory())
    assert api.get(f"/api/segments/{other.slug}/matrix/").status_code == 404
    assert APIClient().get(url).status_code in (401, 403)
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert stranger.get(url).status_code == 404


def test_figures_follow_their_pain_into_whatever_theme_it_was_grouped(segment):
    """The extractor tied 3 h to the interview's "board" pain; the segment grouping put that pain in
    "reporting". The hours and the workaround follow the pain, not the key's literal theme."""
    reporting = ThemeFactory(segment=segment, key="reporting", name="Board reporting")
    tools = ThemeFactory(segment=segment, key="tools", name="Too many tools")
    sheets = ThemeFactory(segment=segment, kind="workaround", key="spreadsheet", name="Spreadsheet")
    interview = InterviewFactory(segment=segment)
    MentionFactory(interview=interview, kind="pain", theme=reporting, proposed_theme_key="board", severity="high")
    MentionFactory(interview=interview, kind="pain", theme=tools, proposed_theme_key="tools", severity="very_high")
    time_(interview, 3, about="board")
    MentionFactory(interview=interview, kind="workaround", theme=sheets, about_key="board")
    matrix = segment_matrix(segment=segment, with_figures=True)
    rows = rows_by_key(matrix)
    assert (rows["reporting"].hours_median, rows["tools"].hours_median) == (3, None)
    assert rows["reporting"].workaround.name == "Spreadsheet" and rows["tools"].workaround is None
    assert matrix.unattributed_figures == 0
