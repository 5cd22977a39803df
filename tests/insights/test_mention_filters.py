"""The mentions export narrowed to one matrix row (`theme`) or one of its cells (`kind`), and the page's links to it."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from insights import exports
from insights.exports import BOM, Filters, Selection, export_segment
from insights.matrix import CELLS, segment_matrix
from insights.models import Mention, ReviewStatus
from tests.factories import InterviewFactory, SegmentFactory
from tests.insights.factories import MentionFactory, ThemeFactory
from tests.insights.test_matrix import build_data, build_review_data, pain, rows_by_key, time_, wtp


@pytest.fixture
def data(segment):
    return build_data(segment)


def parse(body):
    return list(csv.DictReader(io.StringIO(body.removeprefix(BOM))))


def mention_csv(segment, *, theme=None, kind=None, filters=None):
    export = export_segment(
        segment=segment, fmt="csv", filters=filters or Filters(), mentions=True, selection=Selection(theme, kind)
    )
    return parse("".join(export.chunks))


def keys(rows):
    """A mention as the CSV shows it: interview, kind and start (unique here: the factory numbers starts)."""
    return sorted((r["interview"], r["kind"], int(r["start"])) for r in rows)


def keys_of(mentions):
    return sorted((m.interview.display_id, m.kind, m.start) for m in mentions)


def counting(**lookups):
    return Mention.objects.filter(**lookups).exclude(review_status=ReviewStatus.REJECTED)


def test_theme_and_kind_select_exactly_the_mentions_behind_each_cell(data):
    segment, compliance, reporting = data["segment"], data["compliance"], data["reporting"]
    i1, i2, i3, i4, _ = data["interviews"]
    expected = {
        compliance.pk: {
            "pain": counting(kind="pain", theme=compliance),
            "time": counting(kind="time", about_key="compliance"),  # i1's 4 h and i3's 4 h said twice
            "risk": counting(kind="risk", about_key="compliance"),  # 50,000 and "Risk of fines"
            "workaround": counting(kind="workaround", interview__in=[i1, i2, i3]),  # untied, tied, untied
            "wtp": counting(kind="wtp", interview__in=[i1, i2, i3]),  # every pain of the interview
        },
        reporting.pk: {
            # The pain of the theme merged into it is in its row.
            "pain": counting(kind="pain", theme__in=[reporting, reporting.merged_from.get()]),
            "time": counting(kind="time", interview__in=[i1, i2, i4]).exclude(about_key="compliance"),
            "risk": Mention.objects.none(),
            "workaround": counting(kind="workaround", interview=i1),  # i1 untied; i2 tied to compliance
            "wtp": counting(kind="wtp", interview__in=[i1, i2, i4]),
        },
    }
    rows = {r.theme_id: r for r in segment_matrix(segment=segment).rows}
    for theme_id, cells in expected.items():
        row = rows[theme_id]
        for cell, mentions in cells.items():
            got = mention_csv(segment, theme=theme_id, kind=cell)
            assert keys(got) == keys_of(mentions), (row.key, cell)
            assert len(got) == getattr(row.evidence, cell).total, (row.key, cell)  # the page's number
        whole_row = mention_csv(segment, theme=theme_id)
        assert keys(whole_row) == sorted({k for ms in cells.values() for k in keys_of(ms)})
        assert len(whole_row) == row.quotes  # the row's "N quotes"


def test_a_mention_in_two_cells_is_in_both_and_once_in_the_row(segment):
    build_review_data(segment)
    churn = rows_by_key(segment_matrix(segment=segment))["churn"]
    risk = mention_csv(segment, theme=churn.theme_id, kind="risk")
    # The pain stating a risk amount sits in the risk cell as well, beside the risk quote.
    assert sorted(r["kind"] for r in risk) == ["pain", "risk"] and len(risk) == churn.evidence.risk.total == 2
    assert len(mention_csv(segment, theme=churn.theme_id, kind="pain")) == 1
    assert len(mention_csv(segment, theme=churn.theme_id)) == churn.quotes == 2


def test_theme_follows_the_interview_filters(data):
    segment, reporting = data["segment"], data["reporting"]
    competitor = mention_csv(segment, theme=reporting.pk, filters=Filters(usage="competitor"))
    i4 = data["interviews"][3].display_id
    assert {r["interview"] for r in competitor} == {i4}
    assert sorted(r["kind"] for r in competitor) == ["pain", "time", "wtp"]  # the rejected compliance pain is not


def test_kind_alone_keeps_that_kind(data):
    rows = mention_csv(data["segment"], kind="wtp")
    assert keys(rows) == keys_of(counting(kind="wtp", interview__segment=data["segment"]))


def test_many_ids_are_filtered_while_streaming_with_the_same_result(data, monkeypatch):
    segment, compliance = data["segment"], data["compliance"]
    small = {cell: keys(mention_csv(segment, theme=compliance.pk, kind=cell)) for cell in (None, *CELLS)}
    monkeypatch.setattr(exports, "EVIDENCE_IDS_IN_SQL", 0)
    assert {cell: keys(mention_csv(segment, theme=compliance.pk, kind=cell)) for cell in (None, *CELLS)} == small


def test_filtered_markdown_and_file_name(data):
    export = export_segment(segment=data["segment"], fmt="md", filters=Filters(), mentions=True,
                            selection=Selection(data["compliance"].pk, "risk"))  # fmt: skip
    lines = "".join(export.chunks).splitlines()
    assert len(lines) == 4 + 2 and "Risk of fines" in lines[-1] + lines[-2]
    assert export.filename == f"{data['segment'].slug}-mentions-theme{data['compliance'].pk}-risk.md"


def test_page_export_filtered_csv(web, data):
    url = reverse("insights:matrix_export", args=[data["segment"].slug])
    response = web.get(url, {"format": "csv", "mentions": "1", "theme": data["compliance"].pk, "kind": "time"})
    assert response.status_code == 200
    rows = parse(b"".join(response.streaming_content).decode())
    assert keys(rows) == keys_of(counting(kind="time", about_key="compliance"))


def test_api_and_command_filtered_csv(api, data):
    slug, theme = data["segment"].slug, data["compliance"].pk
    expected = keys_of(counting(kind="wtp", interview__in=data["interviews"][:3]))
    response = api.get(f"/api/segments/{slug}/matrix/", {"format": "csv", "mentions": "1", "theme": theme,
                                                          "kind": "wtp"})  # fmt: skip
    assert response.status_code == 200
    assert keys(parse(b"".join(response.streaming_content).decode())) == expected
    out = io.StringIO()
    call_command("export_insights", "--segment", slug, "--mentions", "--format", "csv", "--theme", str(theme),
                 "--kind", "wtp", stdout=out)  # fmt: skip
    assert keys(parse(out.getvalue())) == expected


def bad_parameters(data):
    """(query, parameter named, text the message holds)."""
    other = ThemeFactory(segment=SegmentFactory(workspace=data["segment"].workspace), key="elsewhere")
    sheets = data["segment"].themes.get(key="spreadsheets")
    old = data["segment"].themes.get(key="reporting-old")
    compliance = data["compliance"]
    allowed = f"{compliance.pk} (Compliance tracking)"
    return [
        ({"theme": "abc"}, "theme", allowed),
        ({"theme": "99999"}, "theme", allowed),
        ({"theme": str(other.pk)}, "theme", f"No theme {other.pk} in segment"),  # another segment's
        ({"theme": str(sheets.pk)}, "theme", "is a workaround theme"),
        ({"theme": str(old.pk)}, "theme", f"merged into theme {data['reporting'].pk}"),
        ({"kind": "feelings"}, "kind", "pain, workaround, wish, stakeholder, time, wtp, risk"),
        ({"theme": str(compliance.pk), "kind": "wish"}, "kind", "pain, time, risk, workaround, wtp"),
        ({"theme": str(compliance.pk), "mentions": ""}, "theme", "mentions=1"),
        ({"kind": "pain", "format": "json"}, "kind", "CSV and Markdown"),
    ]


def test_page_export_bad_parameters_are_400_naming_them(web, data):
    url = reverse("insights:matrix_export", args=[data["segment"].slug])
    before = Mention.objects.count()
    for query, param, text in bad_parameters(data):
        response = web.get(url, {"format": "csv", "mentions": "1", **query})
        body = response.content.decode()
        assert response.status_code == 400 and body.startswith(f"{param}: ") and text in body, (query, body)
    assert Mention.objects.count() == before


def test_api_bad_parameters_are_400_naming_them(api, data):
    url = f"/api/segments/{data['segment'].slug}/matrix/"
    for query, param, text in bad_parameters(data):
        response = api.get(url, {"format": "csv", "mentions": "1", **query})
        assert response.status_code == 400, query
        payload = json.loads(response.content)
        assert list(payload) == [param] and text in payload[param][0], (query, payload)


def test_command_bad_parameters_name_them(data):
    slug = data["segment"].slug
    for query, param, text in bad_parameters(data):
        args = ["--segment", slug, "--format", query.get("format", "csv")]
        args += [] if query.get("mentions") == "" else ["--mentions"]
        args += [a for k in ("theme", "kind") if k in query for a in (f"--{k}", query[k])]
        with pytest.raises(CommandError, match=f"^--{param}: .*{text.replace('(', '.').replace(')', '.')}"):
            call_command("export_insights", *args, stdout=io.StringIO())


# --- page ----------------------------------------------------------------------------------------------


def test_page_links_each_rows_count_and_each_cells_more_to_the_filtered_csv(web, segment):
    busy = ThemeFactory(segment=segment, key="busy", name="Busy theme")
    for _ in range(30):
        interview = InterviewFactory(segment=segment)
        pain(interview, busy, "high")
        time_(interview, 2, about="busy")
        wtp(interview, 100)
    MentionFactory(interview=interview, kind="workaround", proposed_theme_key="sheets")
    export = reverse("insights:matrix_export", args=[segment.slug]) + "?format=csv&amp;mentions=1"
    html = web.get(reverse("insights:matrix", args=[segment.slug]), {"usage": "nothing"}).content.decode()
    assert f'{export}&amp;theme={busy.pk}&amp;usage=nothing"' in html and ">91 quotes</a>" in html
    for cell in ("pain", "time", "wtp"):
        assert f'{export}&amp;theme={busy.pk}&amp;kind={cell}&amp;usage=nothing">5 more</a>' in html, cell
    assert "kind=workaround&amp;usage=nothing" not in html  # one quote: all shown, nothing more to link
    # The link holds what the cell counts.
    link = f"{export}&amp;theme={busy.pk}&amp;kind=time&amp;usage=nothing".replace("&amp;", "&")
    assert len(parse(b"".join(web.get(link).streaming_content).decode())) == 30


# --- the mentions switch --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "mentions"),
    [(v, True) for v in ("1", "true", "yes", "on", "YES", "True", "On")]
    + [(v, False) for v in ("0", "false", "no", "off", "NO", "False", "")],
)
def test_mentions_takes_yes_and_no_in_any_usual_spelling(web, api, data, value, mentions):
    slug = data["segment"].slug
    first_column = "interview" if mentions else "rank"
    page = web.get(reverse("insights:matrix_export", args=[slug]), {"format": "csv", "mentions": value})
    via_api = api.get(f"/api/segments/{slug}/matrix/", {"format": "csv", "mentions": value})
    for response in (page, via_api):
        assert response.status_code == 200, value
        body = b"".join(response.streaming_content).decode().removeprefix(BOM)
        assert body.split(",", 1)[0] == first_column, (value, body[:40])
    assert page["Content-Disposition"].endswith('-mentions.csv"' if mentions else '-matrix.csv"')


@pytest.mark.parametrize("value", ["maybe", "2", "y es", "tru"])
def test_mentions_other_values_are_a_400_naming_it(web, api, data, value):
    slug = data["segment"].slug
    page = web.get(reverse("insights:matrix_export", args=[slug]), {"format": "csv", "mentions": value})
    body = page.content.decode()
    assert page.status_code == 400 and body.startswith("mentions: ") and "1/true/yes/on" in body, body
    via_api = api.get(f"/api/segments/{slug}/matrix/", {"format": "csv", "mentions": value})
    assert via_api.status_code == 400
    payload = json.loads(via_api.content)
    assert list(payload) == ["mentions"] and "0/false/no/off" in payload["mentions"][0], payload
