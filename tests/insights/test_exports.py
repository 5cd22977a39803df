"""Exports: the same numbers as the matrix, in CSV, Markdown and JSON; formula-safe; streamed."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.urls import reverse

from insights.exports import BOM, MATRIX_CSV_COLUMNS, Filters, export_segment, matrix_as_dict, neutralise
from insights.matrix import segment_matrix
from insights.models import ReviewStatus
from insights.selectors import mention_export_rows
from tests.insights.factories import MentionFactory
from tests.insights.test_matrix import REVIEW_CELLS, REVIEW_ROWS, build_data, build_review_data


@pytest.fixture
def data(segment):
    return build_data(segment)


def text(segment, fmt, *, mentions=False, filters=None, bom=True):
    export = export_segment(segment=segment, fmt=fmt, filters=filters or Filters(), mentions=mentions, bom=bom)
    return "".join(export.chunks)


def test_matrix_csv_has_every_number(data):
    body = text(data["segment"], "csv")
    assert body.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(body.removeprefix(BOM))))
    assert [r["theme_key"] for r in rows] == ["compliance", "reporting"]
    c = rows[0]
    assert (c["rank"], c["theme"], c["frequency"], c["interviews"], c["segment_interviews"]) == (
        "1", "Compliance tracking", "3/5", "3", "5",
    )  # fmt: skip
    assert (c["severity"], float(c["hours_per_week_median"]), c["hours_n"], c["yearly_cost_usd"]) == (
        "High", 4.0, "2", "10000",
    )  # fmt: skip
    assert (float(c["risk_max"]), c["workaround"], c["workaround_interviews"], c["other_workarounds"]) == (
        50000.0, "Spreadsheets", "2", "email (1)",
    )  # fmt: skip
    assert [float(c[k]) for k in ("wtp_month_median", "wtp_month_min", "wtp_month_max")] == [100, 10, 400]
    assert (c["wtp_n"], c["wtp_refused"], c["quotes"], c["unreviewed"], float(c["score"])) == (
        "3",
        "0",
        "16",
        "15",
        1.8,
    )
    r = rows[1]
    assert (r["frequency"], r["severity"], float(r["hours_per_week_median"])) == ("3/5", "Medium", 3.0)
    assert (r["yearly_cost_usd"], r["wtp_refused"]) == ("7500", "1")


def test_csv_appends_the_unreviewed_cells_of_each_row(segment):
    build_review_data(segment)
    body = text(segment, "csv", bom=False)
    header, *lines = list(csv.reader(io.StringIO(body)))
    # The earlier columns keep their places; the new ones come last.
    assert header == MATRIX_CSV_COLUMNS and header[-3:] == ["score", "cells", "unreviewed_cells"]
    assert header.index("unreviewed") == 26 and len(lines) == 3
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["theme_key"]: (int(r["cells"]), int(r["unreviewed_cells"])) for r in rows} == REVIEW_ROWS
    assert {r["theme_key"]: int(r["unreviewed"]) for r in rows} == {"audit": 1, "billing": 1, "churn": 1}


def test_json_carries_the_unreviewed_cells(segment):
    build_review_data(segment)
    payload = json.loads(text(segment, "json"))
    assert (payload["cells"], payload["unreviewed_cells"]) == (8, 4)
    assert payload["review_summary"] == "4 of 8 evidence cells still have unreviewed mentions."
    rows = {r["key"]: r for r in payload["rows"]}
    assert {k: (r["cells"], r["unreviewed_cells"]) for k, r in rows.items()} == REVIEW_ROWS
    for key, cells in REVIEW_CELLS.items():
        got = {c: (rows[key]["evidence"][c]["total"], rows[key]["evidence"][c]["unreviewed"]) for c in cells}
        assert got == cells, key


def test_markdown_says_how_many_cells_are_unreviewed_in_its_closing_note(segment):
    build_review_data(segment)
    lines = text(segment, "md").splitlines()
    assert lines[0].startswith("Top pains: ") and lines[1] == ""
    assert lines[-1].startswith("_") and "4 of 8 evidence cells still have unreviewed mentions._" in lines[-1]


def test_matrix_markdown_is_a_table_after_the_top_line(data):
    lines = text(data["segment"], "md").splitlines()
    assert lines[0] == "Top pains: Compliance tracking (most severe, most frequent, costliest); then Manual reporting"
    # compliance: all five cells; reporting: no risk cell. Every one holds machine mentions.
    assert "9 of 9 evidence cells still have unreviewed mentions" in lines[-1]
    # What goes into a PRD: no internal columns (quote counts, score; those are in the CSV).
    assert lines[2] == (
        "| # | Pain point | Frequency | Severity | Impact on business | Current workaround | Willingness to pay |"
    )
    assert lines[3] == "|---|---|---|---|---|---|---|"
    cells = [c.strip() for c in lines[4].strip("|").split("|")]
    assert len(cells) == 7
    assert cells[:4] == ["1", "Compliance tracking", "3/5", "High"]
    assert "4 h/week ≈ $10,000/yr" in cells[4] and "risk up to $50,000" in cells[4]
    assert cells[5] == "Spreadsheets (2); also email (1)"
    assert cells[6].startswith("$10-$400/month (median $100, n=3)")


def test_markdown_escapes_pipes(data):
    data["compliance"].name = "Tracking | audits"
    data["compliance"].save()
    assert "Tracking \\| audits" in text(data["segment"], "md")


def test_matrix_json_keys_and_figure_themes(data):
    payload = json.loads(text(data["segment"], "json"))
    assert {"segment", "interviews", "rows", "top", "summary", "hourly_cost", "weeks_per_year"} <= set(payload)
    row = payload["rows"][0]
    assert {"key", "name", "frequency", "severity", "hours_median", "yearly_cost", "risk_max", "workaround",
            "other_workarounds", "wtp", "evidence", "quotes", "unreviewed", "score", "labels"} <= set(row)  # fmt: skip
    assert row["frequency"] == "3/5" and row["yearly_cost"] == 10000
    assert {f["theme"] for f in row["hours"]} == {"compliance"} and row["risks"][0]["theme"] == "compliance"
    assert row["risks"][0]["value"] == 50000
    assert row["evidence"]["risk"]["total"] == 2


def test_json_matches_the_dataclasses(data):
    matrix = segment_matrix(segment=data["segment"], with_figures=True)
    assert matrix_as_dict(matrix)["rows"][1]["wtp"]["median"] == matrix.rows[1].wtp.median == 200


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value
    assert neutralise("fine") == "fine" and neutralise(-3) == -3


def test_csv_exports_neutralise_quotes_and_names(data):
    data["compliance"].name = "=HYPERLINK(evil)"
    data["compliance"].save()
    MentionFactory(interview=data["interviews"][0], kind="pain", theme=data["compliance"], severity="low",
                   quote="@cmd|' /C calc'!A0")  # fmt: skip
    matrix_rows = list(csv.reader(io.StringIO(text(data["segment"], "csv", bom=False))))
    assert "'=HYPERLINK(evil)" in matrix_rows[1]
    mention_rows = list(csv.DictReader(io.StringIO(text(data["segment"], "csv", mentions=True, bom=False))))
    assert "'@cmd|' /C calc'!A0" in {r["quote"] for r in mention_rows}


def test_mentions_csv_tells_machine_from_reviewer_and_skips_rejected(data):
    rows = list(csv.DictReader(io.StringIO(text(data["segment"], "csv", mentions=True).removeprefix(BOM))))
    assert {r["source"] for r in rows} == {"machine", "reviewer"}
    accepted = [r for r in rows if r["review_status"] == ReviewStatus.ACCEPTED]
    assert len(accepted) == 1 and accepted[0]["source"] == "reviewer"
    assert ReviewStatus.REJECTED not in {r["review_status"] for r in rows}
    assert len(rows) == 8 + 7 + 6 + 3  # every counting mention (i1..i4; the rejected one is left out)


def test_mentions_markdown(data):
    lines = text(data["segment"], "md", mentions=True).splitlines()
    assert lines[2].startswith("| Interview | Kind | Theme |") and len(lines) == 4 + 24


def test_mentions_json_is_the_contract_text(data):
    expected = json.dumps({"interviews": list(mention_export_rows(segment=data["segment"]))}, indent=1)
    assert text(data["segment"], "json", mentions=True) == expected


def test_mentions_json_filters_and_empty(data):
    payload = json.loads(text(data["segment"], "json", mentions=True, filters=Filters(usage="competitor")))
    assert [i["id"] for i in payload["interviews"]] == [data["interviews"][3].display_id]
    empty = text(data["segment"], "json", mentions=True, filters=Filters(usage="our_product"))
    assert empty == json.dumps({"interviews": []}, indent=1)


def test_mentions_export_view_streams(web, data):
    url = reverse("insights:matrix_export", args=[data["segment"].slug])
    response = web.get(url, {"format": "csv", "mentions": "1"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].endswith('-mentions.csv"')


# --- command -----------------------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("export_insights", *args, stdout=out)
    return out.getvalue()


def test_command_matrix_formats(data):
    slug = data["segment"].slug
    assert json.loads(run("--segment", slug))["rows"][0]["key"] == "compliance"
    assert run("--segment", slug, "--format", "md").startswith("Top pains: Compliance tracking")
    rows = list(csv.DictReader(io.StringIO(run("--segment", slug, "--format", "csv", "--no-bom"))))
    assert rows[0]["frequency"] == "3/5"
    competitor = json.loads(run("--segment", slug, "--usage", "competitor", "--date-from", "2025-01-01"))
    assert competitor["interviews"] == 1


def test_command_mentions_keeps_the_json_contract(data):
    slug = data["segment"].slug
    expected = json.dumps({"interviews": list(mention_export_rows(segment=data["segment"]))}, indent=1) + "\n"
    assert run("--segment", slug, "--mentions") == expected
    rows = list(csv.DictReader(io.StringIO(run("--segment", slug, "--mentions", "--format", "csv", "--no-bom"))))
    assert {"interview", "kind", "quote", "theme", "severity", "source", "review_status"} <= set(rows[0])
    assert run("--segment", slug, "--mentions", "--format", "md").startswith("# Mentions")


def test_command_csv_has_the_bom_by_default_as_the_page_and_the_api(data, web, api):
    slug = data["segment"].slug
    page = b"".join(web.get(reverse("insights:matrix_export", args=[slug]), {"format": "csv"}).streaming_content)
    from_api = b"".join(api.get(f"/api/segments/{slug}/matrix/", {"format": "csv"}).streaming_content)
    for mentions in ((), ("--mentions",)):
        default = run("--segment", slug, "--format", "csv", *mentions)
        assert default.startswith(BOM)
        assert run("--segment", slug, "--format", "csv", "--bom", *mentions) == default  # old scripts still work
        assert run("--segment", slug, "--format", "csv", "--no-bom", *mentions) == default.removeprefix(BOM)
    assert run("--segment", slug, "--format", "csv").encode() == page == from_api
    assert not run("--segment", slug, "--format", "md").startswith(BOM)  # only CSV is for Excel


class ClosedPipe(io.StringIO):
    """A stdout whose reader went away after the first chunk, as `export_insights ... | head` does."""

    def write(self, text):
        if self.tell():
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


@pytest.mark.parametrize("args", [("--format", "csv"), ("--mentions", "--format", "md"), ()])
def test_command_stops_quietly_when_stdout_is_closed(data, args):
    out = ClosedPipe()
    call_command("export_insights", "--segment", data["segment"].slug, *args, stdout=out)  # no BrokenPipeError
    assert out.getvalue()  # what the reader took before it left


def test_command_bad_date(data):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--segment", data["segment"].slug, "--date-from", "June")


def test_mentions_export_takes_the_first_wtp_said_in_the_interview(interview):
    MentionFactory(interview=interview, kind="wtp", field="notes", wtp_min=250, wtp_period="month")
    MentionFactory(interview=interview, kind="wtp", field="willingness_to_pay", wtp_min=100, wtp_period="month")
    (row,) = mention_export_rows(segment=interview.segment)
    assert row["wtp"]["min"] == 100


def test_score_reads_two_decimals_on_the_page_is_whole_in_the_data_and_not_in_markdown(segment, web):
    from tests.factories import InterviewFactory
    from tests.insights.factories import ThemeFactory
    from tests.insights.test_matrix import pain

    theme = ThemeFactory(segment=segment, key="onboarding", name="Slow onboarding")
    interviews = [InterviewFactory(segment=segment) for _ in range(3)]
    pain(interviews[0], theme, "medium")
    pain(interviews[1], theme, "medium")  # 2/3 x Medium 2 = 1.3333…
    assert segment_matrix(segment=segment).rows[0].score == 1.3333

    page = web.get(reverse("insights:matrix", args=[segment.slug])).content.decode()
    assert "score 1.33<" in page and "1.3333" not in page
    md = text(segment, "md")
    assert "1.33" not in md  # a PRD reads the order, not the score; the data keeps it
    assert next(csv.DictReader(io.StringIO(text(segment, "csv", bom=False))))["score"] == "1.3333"
    assert json.loads(text(segment, "json"))["rows"][0]["score"] == 1.3333
