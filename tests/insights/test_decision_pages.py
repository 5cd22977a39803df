"""Saturation, mix and pricing from the database: selectors, pages and the JSON contract."""

import json
import xml.etree.ElementTree as ET
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from insights import decision_selectors as sel
from insights.models import MentionKind, ReviewStatus, SegmentAssessment
from interviews.models import ExtractionStatus, UsageType
from tests.factories import InterviewFactory, ParticipantFactory
from tests.insights.factories import MentionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _interview(segment, day, *, usage=UsageType.NOTHING, team=6, status=ExtractionStatus.DONE, **kw):
    participant = ParticipantFactory(workspace=segment.workspace, usage=usage, team_size=team)
    return InterviewFactory(
        segment=segment, participant=participant, interviewed_on=date(2026, 9, day) if day else None, status=status,
        **kw,
    )  # fmt: skip


def _pain(interview, theme, **kw):
    return MentionFactory(interview=interview, kind=MentionKind.PAIN, theme=theme, **kw)


def _wtp(interview, low, high=None, period="month", currency="USD", **kw):
    return MentionFactory(
        interview=interview, kind=MentionKind.WTP, wtp_min=low, wtp_max=high, wtp_period=period,
        currency=currency, quote=f"maybe {low} {period}", **{"field": "willingness_to_pay", **kw},
    )  # fmt: skip


@pytest.fixture
def saturating(segment):
    """Six analysed interviews (logged out of date order), one pending: themes A B | B C | C | A | - | merged-into-A."""
    a, b, c = (ThemeFactory(segment=segment, key=k) for k in ("a", "b", "c"))
    merged = ThemeFactory(segment=segment, key="a-too", merged_into=a)
    rejected_only = ThemeFactory(segment=segment, key="d")
    i5 = _interview(segment, 5, external_id="i5")
    i1 = _interview(segment, 1, external_id="i1")
    i2 = _interview(segment, 2, external_id="i2")
    i3 = _interview(segment, 3, external_id="i3")
    i4 = _interview(segment, 4, external_id="i4")
    undated = _interview(segment, None, external_id="undated")
    _interview(segment, 6, external_id="pending", status=ExtractionStatus.PENDING)
    _pain(i1, a), _pain(i1, b), _pain(i2, b), _pain(i2, c), _pain(i3, c), _pain(i4, a)
    _pain(i5, rejected_only, review_status=ReviewStatus.REJECTED)
    _pain(undated, merged)
    return segment


def test_saturation_counts_new_pain_themes_per_analysed_interview_in_date_order(saturating):
    s = sel.segment_saturation(segment=saturating)
    assert s.interviews == ["i1", "i2", "i3", "i4", "i5", "undated"]
    # A rejected pain adds nothing, a theme merged into A is A, the pending interview is left out.
    assert s.new_themes_per_interview == [2, 1, 0, 0, 0, 0]
    assert s.reached
    assert s.not_analysed == 1


def test_the_window_is_the_pms_setting(saturating):
    SegmentAssessment.objects.create(segment=saturating, saturation_window=5)
    assert sel.segment_saturation(segment=saturating).reached is False  # i2 added one, 5 back


def test_json_export_carries_saturation_and_price_tiers(saturating):
    out = StringIO()
    call_command("export_insights", "--segment", saturating.slug, "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["saturation"]["new_themes_per_interview"] == [2, 1, 0, 0, 0, 0]
    assert data["saturation"]["reached"] is True
    assert data["price_tiers"] == []
    assert data["warning"].startswith("Only 0 interviewees stated a monthly price")
    assert data["rows"]  # still the matrix


@pytest.fixture
def priced(segment):
    prices = [(100, 3), (150, 5), (200, 4), (300, 8), (400, 10)]
    for n, (price, team) in enumerate(prices):
        iv = _interview(segment, n + 1, external_id=f"p{n}", team=team, usage=UsageType.COMPETITOR if n % 2 else
                        UsageType.NOTHING)  # fmt: skip
        _wtp(iv, price)
    # Per seat (x team of 10), per year, a one-off, a refusal, a refusal with a figure elsewhere, another currency.
    _wtp(_interview(segment, 10, external_id="seat", team=10), 50, period="user_month")
    _wtp(_interview(segment, 11, external_id="year", team=2), 1200, period="year")
    _wtp(_interview(segment, 12, external_id="once"), 5000, period="once")
    _wtp(_interview(segment, 13, external_id="no"), None, refused=True)
    both = _interview(segment, 14, external_id="both", team=7)
    _wtp(both, None, refused=True, start=0)
    _wtp(both, 250, field="notes", start=5)
    _wtp(_interview(segment, 15, external_id="gbp"), 80, currency="GBP")
    # The first stated figure counts (script order), a rejected one never.
    first = _interview(segment, 16, external_id="first", team=1)
    _wtp(first, 900, field="notes", start=0)
    _wtp(first, 120, start=50)
    _wtp(first, 10, start=0, review_status=ReviewStatus.REJECTED)
    return segment


def test_pricing_normalises_each_interviewees_first_figure_and_counts_refusals(priced):
    p = sel.segment_pricing(segment=priced)
    monthly = {s.interview: s.monthly for s in p.monthly}
    assert monthly == {"p0": 100, "p1": 150, "p2": 200, "p3": 300, "p4": 400, "seat": 500, "year": 100,
                       "both": 250, "first": 120}  # fmt: skip
    assert p.refused == ["no"]
    assert p.once == 1
    assert p.other_currencies == {"GBP": 1}
    assert (p.spread.n, p.spread.median) == (9, 200)
    assert {band: s.n for band, s in p.by_band} == {"1-5": 5, "6-10": 4}
    assert {usage: s.n for usage, _label, s in p.by_usage} == {"competitor": 2, "nothing": 7}
    entry, standard = p.tiers.tiers
    assert (entry.price_per_month, entry.seats_up_to, entry.evidence_count) == (120, 5, 4)
    assert (standard.price_per_month, standard.seats_up_to, standard.evidence_count) == (200, 10, 5)


def test_pricing_page_shows_the_chart_quartiles_tiers_and_refusals(web, priced):
    html = web.get(f"/segments/{priced.slug}/pricing/").content.decode()
    assert "Median $200/month, quartiles $120 to $300" in html
    assert "$120/month" in html and "up to 5 seats" in html
    assert "$200/month" in html and "up to 10 seats" in html
    assert "1 refused" in html and "1 in GBP shown apart" in html
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    root = ET.fromstring(svg)  # well-formed, drawn on the server
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}circle")) == 9  # one dot per monthly price in USD
    assert "<script" not in html.split("<main>")[1]


def test_pricing_page_warns_when_fewer_than_five_stated_a_price(web, segment):
    _wtp(_interview(segment, 1), 100)
    html = web.get(f"/segments/{segment.slug}/pricing/").content.decode()
    assert "Only 1 interviewee stated a monthly price; tiers need at least 5" in html
    assert 'class="tier"' not in html


def test_saturation_page_chart_mix_and_matrix_per_group(web, saturating):
    page = web.get(f"/segments/{saturating.slug}/saturation/").content.decode()
    assert "Saturation reached: the last 3 interviews added no new pain theme" in page
    root = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}rect[@class='added']")) == 6
    assert root.find(f"{ns}polyline").get("points").count(",") == 6
    # Everyone interviewed uses nothing: the two other groups are missing, this one dominates.
    assert page.count('role="alert"') == 3
    assert "Uses our product" in page and "Uses a competitor" in page
    # The fragment the segment page loads with htmx: the card only.
    fragment = web.get(f"/segments/{saturating.slug}/saturation/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("{#") is False and "<html" not in fragment
    assert "Saturation reached" in fragment
    segment_page = web.get(f"/segments/{saturating.slug}/").content.decode()
    assert f'hx-get="/segments/{saturating.slug}/saturation/"' in segment_page


def test_decision_pages_are_scoped_to_the_users_workspaces(client, segment, saturating):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(f"/segments/{segment.slug}/saturation/").status_code == 404
    assert client.get(f"/segments/{segment.slug}/pricing/").status_code == 404


def _segment_with(workspace, slug, *, severities, hours, prices):
    from tests.factories import SegmentFactory

    segment = SegmentFactory(workspace=workspace, slug=slug, name=slug.title())
    theme = ThemeFactory(segment=segment, key="compliance", name="Compliance")
    for n, (severity, h, price) in enumerate(zip(severities, hours, prices, strict=True)):
        iv = _interview(segment, n + 1, external_id=f"{slug}-{n}", whats_broken="We file it every week by hand.")
        _pain(iv, theme, severity=severity, start=0, end=5, quote="We file it")
        if h is not None:
            MentionFactory(interview=iv, kind=MentionKind.TIME, hours_per_week=h, quote=f"{h} hours a week")
        if price is not None:
            _wtp(iv, price)
    return segment


@pytest.fixture
def two_segments(workspace):
    a = _segment_with(workspace, "clinics", severities=["high", "very_high", "low", "medium"], hours=[4, 2, None, 6],
                      prices=[100, 200, 300, None])  # fmt: skip
    b = _segment_with(workspace, "dentists", severities=["low", "low"], hours=[1, None], prices=[50, None])
    return a, b


def test_segment_summary_numbers(two_segments):
    a, _b = two_segments
    SegmentAssessment.objects.create(segment=a, companies=1000)
    s = sel.segment_summary(segment=a)
    assert (s.high_pain, s.interviews, s.high_pain_pct) == (2, 4, 50)
    assert s.pricing.spread.median == 200
    # hours 4, 2, 6 x $50 x 50 weeks: 10,000 / 5,000 / 15,000 -> median 10,000
    assert (s.median_impact, s.impact_n) == (10_000, 3)
    assert s.opportunity == 1000 * 200 * 12
    # The top pain's sentences say "every week" in each interview.
    assert s.must_have.suggestion == "must-have"
    assert s.must_have.recurrences == {"weekly": 4}


def test_compare_page_puts_segments_side_by_side_with_the_pms_answers(web, two_segments):
    a, b = two_segments
    SegmentAssessment.objects.create(segment=a, companies=1000, grows_10x="yes", importance="must-have")
    html = web.get(f"/compare/?segment={a.slug}&segment={b.slug}").content.decode()
    assert html.count('class="card segment-summary"') == 2
    assert "50% <span" in html and "$200/month" in html and "$10,000/yr" in html
    assert "$2,400,000/yr" in html  # 1000 x 200 x 12
    assert "enter the segment&#x27;s size" in html or "enter the segment's size" in html  # b has no size yet
    # One "Compliance" row, both segments' cells in it.
    assert html.count("<strong>Compliance</strong>") == 1
    assert "4/4" in html and "2/2" in html


def test_compare_needs_two_known_segments_and_says_so(web, two_segments):
    a, _b = two_segments
    one = web.get(f"/compare/?segment={a.slug}")
    assert one.status_code == 400 and "Pick at least two segments" in one.content.decode()
    unknown = web.get(f"/compare/?segment={a.slug}&segment=nope")
    assert unknown.status_code == 400 and "No segment &#x27;nope&#x27; in your workspaces" in unknown.content.decode()
    assert web.get("/compare/").status_code == 200  # the picker


def test_assessment_form_saves_the_answers_and_rejects_bad_input(web, two_segments, user):
    a, b = two_segments
    url = f"/segments/{a.slug}/assessment/"
    page = web.get(url).content.decode()
    assert "Suggested: <strong>must-have</strong>" in page
    bad = web.post(url, {"companies": "-3", "saturation_window": "0"})
    assert bad.status_code == 400
    assert not SegmentAssessment.objects.filter(segment=a).exists()
    nxt = f"/compare/?segment={a.slug}&segment={b.slug}"
    ok = web.post(url, {"companies": "500", "grows_10x": "no", "clear_goal": "yes", "reachable": "unsure",
                        "importance": "nice-to-have", "saturation_window": "4", "next": nxt})  # fmt: skip
    assert ok.status_code == 302 and ok["Location"] == nxt
    saved = SegmentAssessment.objects.get(segment=a)
    assert (saved.companies, saved.grows_10x, saved.importance, saved.saturation_window) == (
        500, "no", "nice-to-have", 4,
    )  # fmt: skip
    assert saved.updated_by == user
    # An outside next is ignored.
    off = web.post(url, {"companies": "600", "saturation_window": "3", "next": "https://evil.example/"})
    assert off["Location"].startswith("/compare/")
