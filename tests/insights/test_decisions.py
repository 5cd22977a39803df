"""The playbook's rules on plain values: no database."""

import pytest

from insights import decisions as d
from insights.decisions import PricePoint


def test_new_themes_per_interview_counts_only_themes_no_earlier_interview_had():
    assert d.new_themes_per_interview([{1, 2}, {2, 3}, set(), {1}, {4, 5, 1}]) == [2, 1, 0, 0, 2]
    assert d.cumulative([2, 1, 0, 0, 2]) == [2, 3, 3, 3, 5]


@pytest.mark.parametrize(
    ("added", "window", "reached"),
    [
        ([3, 1, 0, 0, 0], 3, True),
        ([3, 1, 0, 0, 1], 3, False),  # the last one still found something
        ([3, 0, 0], 3, False),  # the window holds the first interview, which found themes
        ([0, 0, 0, 0], 3, False),  # nothing found at all is not saturation
        ([2, 0, 0], 2, True),
        ([2, 0], 3, False),  # fewer interviews than the window
        ([], 3, False),
    ],
)
def test_saturation_is_the_last_n_interviews_adding_no_theme(added, window, reached):
    assert d.saturation_reached(added, window=window) is reached


def test_saturation_label_says_how_many_the_last_ones_added():
    s = d.Saturation(interviews=["a", "b", "c", "d"], new_themes_per_interview=[3, 2, 0, 1])
    assert not s.reached
    assert "the last 3 interviews added 2, 0, 1 new pain themes" in s.label
    done = d.Saturation(interviews=["a", "b", "c", "d"], new_themes_per_interview=[3, 0, 0, 0])
    assert done.label.startswith("Saturation reached: the last 3 interviews added no new pain theme")


def test_mix_warns_when_a_group_is_missing_or_dominates():
    mix = d.interview_mix(
        groups=[("our_product", "Uses our product", 7, 34), ("competitor", "Uses a competitor", 3, 33),
                ("nothing", "Uses nothing", 0, 33)]
    )  # fmt: skip
    by = {g.usage: g for g in mix}
    assert by["our_product"].share_pct == 70
    assert "dominate" in by["our_product"].warning and "70%" in by["our_product"].warning
    assert by["competitor"].warning == ""
    assert by["nothing"].warning.startswith("No one who uses nothing interviewed yet")
    # A balanced mix, and an empty segment, warn about nothing.
    balanced = d.interview_mix(groups=[("a", "A", 4, 34), ("b", "B", 3, 33), ("c", "C", 4, 33)])
    assert [g.warning for g in balanced] == ["", "", ""]
    assert [g.warning for g in d.interview_mix(groups=[("a", "A", 0, 50), ("b", "B", 0, 50)])] == ["", ""]
    # A group with a 0% target is never "missing".
    assert d.mix_warning(label="B", count=0, total=5, target_pct=0) == ""


def test_align_by_name_matches_rows_case_and_spaces_ignored_and_keeps_each_tables_top_rows_first():
    left = ["Compliance", "Reporting", "KYC"]
    right = ["Bank  reconciliation", "compliance"]
    aligned = d.align_by_name([left, right], name_of=lambda r: r)
    assert [a.name for a in aligned] == ["Compliance", "Bank  reconciliation", "Reporting", "KYC"]
    assert aligned[0].cells == ["Compliance", "compliance"]
    assert aligned[1].cells == [None, "Bank  reconciliation"]


@pytest.mark.parametrize(
    ("low", "high", "period", "team", "monthly"),
    [
        (200, 500, "month", None, 350),
        (1200, None, "year", 4, 100),
        (25, None, "user_month", 7, 175),
        (25, None, "user_month", None, 25),  # team size unknown: one user
        (5000, None, "once", 4, None),
    ],
)
def test_monthly_wtp_normalises_like_the_matrix(low, high, period, team, monthly):
    assert d.monthly_wtp(low=low, high=high, period=period, team_size=team) == monthly


def test_spread_quartiles_by_linear_interpolation():
    s = d.spread([100, 200, 300, 400, 500])
    assert (s.n, s.min, s.q1, s.median, s.q3, s.max) == (5, 100, 200, 300, 400, 500)
    assert d.spread([100, 200]).q1 == 125
    assert d.spread([300]).median == 300
    assert d.spread([]).n == 0


def test_team_size_bands():
    assert [d.team_size_band(n) for n in (1, 5, 6, 10, 11, 40, 51, None)] == [
        "1-5", "1-5", "6-10", "6-10", "11-25", "26-50", "51+", "unknown",
    ]  # fmt: skip


def _points(*pairs, currency="USD"):
    return [PricePoint(f"i{n}", price, currency, team) for n, (price, team) in enumerate(pairs)]


def test_price_tiers_lower_quartile_and_median_with_the_teams_they_fit():
    points = _points((100, 3), (150, 5), (200, 4), (300, 8), (400, 10), (500, None))
    tiers = d.price_tiers(points)
    assert tiers.warning == ""
    entry, standard = tiers.tiers
    # quartiles of 100..500: q1 = 162.5 -> 162 (banker's rounding of .5 is fine), median 250
    assert (entry.basis, entry.price_per_month, entry.seats_up_to) == ("lower quartile", round(162.5), 5)
    assert [p.interview for p in entry.evidence] == ["i0", "i1", "i2"]  # below the median
    assert (standard.basis, standard.price_per_month, standard.seats_up_to) == ("median", 250, 10)
    assert standard.evidence_count == 3
    contract = {"price_per_month": 250.0, "currency": "USD", "seats_up_to": 10, "evidence_count": 3}
    assert standard.as_contract() == contract


def test_a_dearer_tier_never_fits_fewer_seats_than_a_cheaper_one():
    points = _points((100, 20), (120, 18), (300, 2), (400, 3), (500, 4))
    entry, standard = d.price_tiers(points).tiers
    assert entry.seats_up_to == 20
    assert standard.seats_up_to == 20


def test_no_tiers_and_a_warning_when_fewer_than_five_stated_a_price():
    tiers = d.price_tiers(_points((100, 3), (200, 4), (300, 5), (400, 6)))
    assert tiers.tiers == []
    assert tiers.warning.startswith("Only 4 interviewees stated a monthly price; tiers need at least 5")


def test_tiers_use_the_most_common_currency_and_name_the_others_left_out():
    points = _points((100, 3), (200, 4), (300, 5), (400, 6), (500, 7)) + _points((90, 2), currency="EUR")
    tiers = d.price_tiers(points)
    assert {t.currency for t in tiers.tiers} == {"USD"}
    assert tiers.other_currencies == {"EUR": 1}
    assert "EUR (1)" in tiers.warning


def test_one_tier_when_the_lower_quartile_and_the_median_agree():
    tiers = d.price_tiers(_points((200, 3), (200, 4), (200, 5), (200, 6), (300, 9)))
    assert [(t.basis, t.price_per_month, t.evidence_count) for t in tiers.tiers] == [("median", 200, 5)]


def test_opportunity_is_companies_times_median_wtp_times_twelve():
    assert d.opportunity_per_year(companies=2000, median_wtp_month=250) == 6_000_000
    assert d.opportunity_per_year(companies=None, median_wtp_month=250) is None
    assert d.opportunity_per_year(companies=2000, median_wtp_month=None) is None


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("I lose a whole day every single month rebuilding the board pack.", "monthly"),
        ("About 4 hours a week go to it.", "weekly"),
        ("Every morning I check the sheet by hand.", "daily"),
        ("We file quarterly reports with the state.", "quarterly"),
        ("Once a year the audit is a nightmare.", "yearly"),
        ("It's a nightmare.", None),
    ],
)
def test_recurrence_of(text, recurrence):
    assert d.recurrence_of(text) == recurrence


def test_must_have_from_how_often_the_pain_comes_back():
    must = d.must_have_suggestion(["daily", "weekly", "monthly", None])
    assert must.suggestion == "must-have"
    assert "2 of 3 interviewees" in must.reason
    nice = d.must_have_suggestion(["monthly", "quarterly", "weekly"])
    assert nice.suggestion == "nice-to-have"
    assert nice.recurrences == {"weekly": 1, "monthly": 1, "quarterly": 1}
    assert d.must_have_suggestion([None, None]).suggestion == ""
