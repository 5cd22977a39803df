"""Evidence a PM can read: quotes in their sentence with who said them, on the page and in the
Markdown export; amounts in different currencies never summed or printed as $."""

from pathlib import Path

import pytest
from django.urls import reverse

from insights.exports import Filters, export_segment
from insights.matrix import segment_matrix
from insights.quotes import quote_contexts
from tests.factories import InterviewFactory, ParticipantFactory
from tests.insights.factories import MentionFactory, ThemeFactory
from tests.insights.test_matrix import pain

pytestmark = pytest.mark.django_db

BROKEN = "We use Xero. Month-end reporting is a nightmare, honestly. It eats my Monday."
QUOTE = "Month-end reporting is a nightmare"


def _said(segment, theme, *, name="Dana Ops", role="Head of Finance", company="Acme", usage="competitor", **kw):
    participant = ParticipantFactory(workspace=segment.workspace, name=name, role=role, company=company, usage=usage)
    interview = InterviewFactory(segment=segment, participant=participant, whats_broken=BROKEN, **kw)
    start = BROKEN.index(QUOTE)
    return pain(interview, theme, "high", start=start, end=start + len(QUOTE), quote=QUOTE)


def test_a_quote_reads_in_its_sentence_with_its_interviewee(segment):
    theme = ThemeFactory(segment=segment, key="reporting", name="Reporting")
    named = _said(segment, theme, external_id="i-7")
    anonymous = _said(segment, theme, name="", role="", company="", usage="our_product")
    contexts = quote_contexts(mention_ids=[named.pk, anonymous.pk, 999_999])
    c = contexts[named.pk]
    assert (c.before, c.quote, c.after) == ("", QUOTE, ", honestly.")
    assert c.sentence == "Month-end reporting is a nightmare, honestly."
    assert (c.participant, c.role, c.company, c.usage, c.interview) == (
        "Dana Ops", "Head of Finance", "Acme", "Uses a competitor", "i-7",
    )  # fmt: skip
    assert c.interview_url == named.interview.get_absolute_url()
    a = contexts[anonymous.pk]
    assert a.participant == f"Participant {anonymous.interview.participant_id}"
    assert a.who == f"Participant {anonymous.interview.participant_id} (uses our product)"
    assert 999_999 not in contexts


def test_a_quote_no_longer_in_the_text_stands_alone(segment):
    theme = ThemeFactory(segment=segment, key="reporting")
    m = _said(segment, theme)
    m.interview.whats_broken = "Something else entirely."
    m.interview.save()
    c = quote_contexts(mention_ids=[m.pk])[m.pk]
    assert (c.before, c.after, c.sentence) == ("", "", QUOTE)


def test_every_number_on_the_matrix_opens_its_quotes_with_who_said_them(segment, web):
    theme = ThemeFactory(segment=segment, key="reporting", name="Reporting")
    m = _said(segment, theme, external_id="i-7")
    page = web.get(reverse("insights:matrix", args=[segment.slug])).content.decode()
    assert "<q>Month-end reporting is a nightmare</q>, honestly." in page
    assert f'<a href="{m.interview.get_absolute_url()}" title="Interview i-7">Dana Ops</a>' in page
    assert '<span class="role">Head of Finance</span>' in page and '<span class="company">Acme</span>' in page
    assert '<span class="usage">Uses a competitor</span>' in page
    # The CSV download of the row's quotes stays.
    assert f"format=csv&amp;mentions=1&amp;theme={theme.pk}" in page


def test_markdown_gives_two_quotes_per_row_from_different_interviewees_reviewed_first(segment):
    theme = ThemeFactory(segment=segment, key="reporting", name="Reporting")
    first = _said(segment, theme, name="Ana", external_id="a")
    _said(segment, theme, name="Ben", external_id="b")
    reviewed = _said(segment, theme, name="", role="", company="", external_id="c", usage="nothing")
    reviewed.review_status = "accepted"
    reviewed.save()
    pain(first.interview, theme, "high", quote="a second quote from Ana")  # same interviewee: not twice
    md = "".join(export_segment(segment=segment, fmt="md", filters=Filters()).chunks)
    quotes = [line for line in md.splitlines() if line.startswith("> ")]
    pid = reviewed.interview.participant_id
    assert quotes == [
        f"> “{QUOTE}” — Participant {pid} (uses nothing), interview c",
        f"> “{QUOTE}” — Ana, Head of Finance at Acme (uses a competitor), interview a",
    ]
    assert "**1. Reporting**" in md


def _wtp(segment, amount, currency, *, theme):
    interview = InterviewFactory(segment=segment)
    pain(interview, theme, "high")
    MentionFactory(interview=interview, kind="wtp", field="willingness_to_pay", wtp_min=amount,
                   wtp_period="month", currency=currency)  # fmt: skip
    return interview


def _risk(segment, amount, currency, *, theme):
    interview = InterviewFactory(segment=segment)
    pain(interview, theme, "high")
    MentionFactory(interview=interview, kind="risk", field="risk", risk_amount=amount, currency=currency)


def test_mixed_currencies_are_never_summed_nor_printed_as_dollars(segment):
    theme = ThemeFactory(segment=segment, key="reporting", name="Reporting")
    for amount in (100, 200, 300):
        _wtp(segment, amount, "USD", theme=theme)
    _wtp(segment, 10_000, "EUR", theme=theme)  # would drag a summed median up
    _risk(segment, 50_000, "USD", theme=theme)
    _risk(segment, 900_000, "GBP", theme=theme)  # larger as a number, another currency
    row = segment_matrix(segment=segment).rows[0]
    w = row.wtp
    assert (w.currency, w.median, w.min, w.max, w.monthly, w.n) == ("USD", 200, 100, 300, 3, 4)
    assert w.other_currencies == {"EUR": 1}
    assert row.wtp_label == "$100-$300/month (median $200, n=3) [1 in EUR not converted, left out of the USD figures]"
    assert (row.risk_max, row.risk_currency, row.other_risks) == (50_000, "USD", {"GBP": 900_000})
    assert "risk up to $50,000 (also up to £900,000; currencies not converted)" in row.impact_label
    md = "".join(export_segment(segment=segment, fmt="md", filters=Filters()).chunks)
    assert "$10,000" not in md and "$900,000" not in md
    assert "never converted" in md.splitlines()[-1]


def test_one_currency_is_labelled_in_its_own_symbol(segment):
    theme = ThemeFactory(segment=segment, key="reporting", name="Reporting")
    _wtp(segment, 150, "GBP", theme=theme)
    w = segment_matrix(segment=segment).rows[0].wtp
    assert (w.currency, w.other_currencies) == ("GBP", {})
    assert segment_matrix(segment=segment).rows[0].wtp_label == "£150/month (median £150, n=1)"


def test_print_hides_the_filters_and_wraps_the_quotes(segment, web):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/sift.css")).read_text()
    page = web.get(reverse("insights:matrix", args=[segment.slug])).content.decode()
    assert 'class="card matrix-filters no-print"' in page
    assert "header.top, .no-print { display: none; }" in css
    assert "ul.quotes { max-height: none; overflow: visible; }" in css
    assert "beforeprint" in page  # every cell's quotes open for printing


def test_a_quote_that_ends_its_sentence_takes_nothing_of_the_next(segment):
    text = "We file in fourteen states, so “the renewals all go in on time.” And then the board deck."
    quote = "the renewals all go in on time."
    interview = InterviewFactory(segment=segment, whats_broken=text)
    start = text.index(quote)
    m = pain(interview, ThemeFactory(segment=segment, key="compliance"), "high", start=start,
             end=start + len(quote), quote=quote)  # fmt: skip
    c = quote_contexts(mention_ids=[m.pk])[m.pk]
    assert (c.before, c.after) == ("We file in fourteen states, so “", "")
