"""The PRD draft: only numbers from the interviews, each naming the interviews behind it; the command
and the segment page's download give the same text."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from insights.matrix import segment_matrix
from insights.prd import prd_markdown
from tests.factories import InterviewFactory, ParticipantFactory, SegmentFactory, UserFactory, WorkspaceFactory
from tests.insights.factories import ThemeFactory
from tests.insights.test_matrix import build_data, pain, wtp

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafted(segment):
    """build_data's five interviews, two minor pains of int-4 and two anonymous interviewees who state a price."""
    data = build_data(segment)
    i5 = data["interviews"][4]
    pain(i5, ThemeFactory(segment=segment, key="exports", name="CSV exports"), "low")
    pain(i5, ThemeFactory(segment=segment, key="onboarding", name="Slow onboarding"), "low")
    for amount in (150, 300):
        participant = ParticipantFactory(workspace=segment.workspace, name="", team_size=8)
        wtp(InterviewFactory(segment=segment, participant=participant), amount)
    return data


def _prd(segment) -> str:
    return "".join(prd_markdown(segment=segment))


def _section(text: str, title: str) -> str:
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0].strip("\n")


def test_the_problem_is_the_pains_above_the_cut_with_frequency_cost_and_two_quotes(drafted):
    segment = drafted["segment"]
    text = _prd(segment)
    ids = [i.display_id for i in drafted["interviews"]]
    problem = _section(text, "1. Problem")
    assert problem.startswith("Top pains: Compliance tracking (most severe, most frequent, costliest); then Manual")
    assert [h for h in problem.splitlines() if h.startswith("### ")] == [
        "### 1.1 Compliance tracking", "### 1.2 Manual reporting", "### 1.3 CSV exports",
    ]  # fmt: skip
    compliance = problem.split("### 1.2")[0]
    # The matrix's numbers, each with the interviews it rests on (the rejected pain of int-3 is not one).
    assert f"- **Frequency:** 3 of 7 interviewees (43%): interviews {ids[0]}, {ids[1]}, {ids[2]}." in compliance
    assert "- **Severity:** High (very high for 1, high for 2 interviewees)." in compliance
    assert (
        "- **Cost:** median 4 h/week ≈ $10,000 per customer per year at $50/h x 50 weeks "
        f"(from 2 interviewees: interviews {ids[0]}, {ids[2]}); risk up to $50,000: interview {ids[0]}."
    ) in compliance
    row = segment_matrix(segment=segment).rows[0]
    assert (row.hours_median, row.yearly_cost, row.risk_max) == (4, 10_000, 50_000)
    quotes = [line for line in compliance.splitlines() if line.startswith("> ")]
    assert len(quotes) == 2
    p0 = drafted["interviews"][0].participant
    # The reviewed quote first, cited with who said it.
    assert quotes[0].startswith("> “quote") and f"— {p0.name}, {p0.role} at {p0.company} (uses nothing)" in quotes[0]
    assert quotes[0].endswith(f"interview {ids[0]}")
    assert f"— {drafted['interviews'][1].participant.name}" in quotes[1]  # another interviewee
    assert "- **Cost:** no interviewee put a figure on it." in problem.split("### 1.3")[1]


def test_workarounds_say_no_pricing_metrics_and_sources(drafted):
    segment = drafted["segment"]
    text = _prd(segment)
    ids = [i.display_id for i in drafted["interviews"]]
    workarounds = _section(text, "2. Workarounds to replace")
    assert "- **Compliance tracking:** Spreadsheets (2 of 3), email (1 of 3)." in workarounds
    assert "- **Manual reporting:** Spreadsheets (1 of 3)." in workarounds

    say_no = _section(text, "3. What not to build")
    assert "- Slow onboarding: 1 of 7 interviewees, low; no figure stated" in say_no
    assert "Compliance" not in say_no and "CSV exports" not in say_no

    pricing = _section(text, "4. Pricing")
    assert re.search(r"- \*\*Entry:\*\* \$100/month up to 6 seats — the lower quartile .* backed by 2 ", pricing)
    assert re.search(r"- \*\*Standard:\*\* \$150/month up to 8 seats — the median .* backed by 3 ", pricing)
    assert "lowest $10, lower quartile $100, median $150, upper quartile $300, highest $300." in pricing
    assert f"1 refused to name a price: interview {ids[3]}." in pricing

    metrics = _section(text, "5. Success metrics")
    assert "- **Adoption:** share of active customers who use the feature for “Compliance tracking” every week." in (
        metrics
    )
    assert "Interview baseline: 3 of 7 interviewees (43%) have this pain." in metrics
    assert (
        "interviewees spend a median 4 h/week on “Compliance tracking” (2 interviewees stated hours: "
        f"interviews {ids[0]}, {ids[2]}; 4 h)"
    ) in metrics
    assert "- **Retention:** " in metrics and "the interviews give no baseline" in metrics
    assert metrics.count("_TODO: set a target._") == 3  # targets are the PM's, never made up

    sources = _section(text, "Sources").strip().splitlines()
    assert len(sources) == 7 and sources[0].startswith(f"- {ids[0]}: ")
    assert re.match(r"- int-\d+: Participant \d+, Head of Operations at .+ \(uses nothing\)$", sources[-1])


def test_a_segment_without_interviews_drafts_without_numbers(segment):
    text = _prd(segment)
    assert "No pain points yet" in text
    assert "Every pain the interviews found is in the problem section above." in text
    assert "No interviewee stated a monthly price yet." in text
    assert "> ⚠ Only 0 interviewees stated a monthly price" in text
    assert not re.search(r"\$\d", text)


def test_the_command_prints_the_draft_and_the_page_downloads_the_same_text(drafted, web):
    segment = drafted["segment"]
    out = StringIO()
    call_command("export_insights", "--segment", segment.slug, "--format", "prd", stdout=out)
    response = web.get(reverse("insights:prd", args=[segment.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{segment.slug}-prd.md"'
    body = b"".join(response.streaming_content).decode()
    assert body == out.getvalue() == _prd(segment)
    assert body.startswith(f"# PRD draft: {segment.name}\n")
    page = web.get(reverse("interviews:segment_detail", args=[segment.slug])).content.decode()
    assert f'href="{reverse("insights:prd", args=[segment.slug])}" download>PRD draft (Markdown)</a>' in page


@pytest.mark.parametrize(
    "args, named",
    [
        (("--usage", "nothing"), "--usage"),
        (("--mentions",), "--mentions"),
        (("--date-from", "2025-01-01"), "--date-from"),
    ],
)
def test_the_command_refuses_filters_the_draft_does_not_take(segment, args, named):
    with pytest.raises(CommandError, match=f"--format prd drafts from the whole segment; leave out {named}"):
        call_command("export_insights", "--segment", segment.slug, "--format", "prd", *args, stdout=StringIO())


def test_another_workspace_cannot_download_the_draft(segment, client):
    outsider = UserFactory()
    WorkspaceFactory().members.add(outsider)
    SegmentFactory()  # a segment elsewhere, to be sure the lookup is scoped
    client.force_login(outsider)
    assert client.get(reverse("insights:prd", args=[segment.slug])).status_code == 404
