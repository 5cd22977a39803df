"""The matrix's rules on plain rows: no database (issue 14, item 17)."""

from itertools import count
from typing import Any

import pytest

from insights import matrix_rules as rules
from insights.matrix_rules import (
    PAIN,
    RISK,
    TIME,
    WORKAROUND,
    WTP,
    InterviewRow,
    MentionRow,
    ThemeIndex,
    ThemeRow,
)

_ids = count(1)
HIGH, MEDIUM, LOW = 2, 1, 0


def mention(interview: int, cell: int, **fields: Any) -> MentionRow:
    base: dict[str, Any] = {
        "id": next(_ids), "interview_id": interview, "cell": cell, "theme_id": None, "unreviewed": 1,
        "severity": rules.NO_SEVERITY, "position": 0, "about_key": "", "proposed_key": "", "hours": None,
        "risk": None, "currency": "", "wtp_min": None, "wtp_max": None, "wtp_period": "", "refused": False,
        "text": None,
    }  # fmt: skip
    return MentionRow(**(base | fields))


THEMES = ThemeIndex(
    [
        ThemeRow(1, "pain", "reporting", "Reporting", None),
        ThemeRow(2, "pain", "compliance", "Compliance", None),
        ThemeRow(3, "pain", "board-pack", "Board pack", 1),  # merged into reporting
        ThemeRow(9, "workaround", "spreadsheet", "Spreadsheet", None),
    ]
)
INTERVIEWS = [InterviewRow(10, "a", 5), InterviewRow(20, "b", None), InterviewRow(30, "c", 2)]


def facts(*mentions: MentionRow) -> rules.Facts:
    return rules.theme_facts(index=THEMES, interviews=INTERVIEWS, mentions=mentions)


def test_merges_are_followed_to_the_surviving_theme():
    assert THEMES.root == {1: 1, 2: 2, 3: 1, 9: 9}
    result = facts(mention(10, PAIN, theme_id=3), mention(20, PAIN, theme_id=1), mention(30, PAIN))
    assert set(result.themes) == {1}
    assert result.themes[1].interviews == 2 and result.unthemed_pains == 1


def test_frequency_and_priority():
    assert rules.frequency_ratio(interviews=3, total=4) == 0.75
    assert rules.frequency_ratio(interviews=0, total=0) == 0.0
    assert rules.priority_score(frequency_ratio=0.75, severity="high") == 2.25
    assert rules.priority_score(frequency_ratio=0.5, severity=None) == 0.5  # no severity weighs as Low


def test_row_severity_is_the_most_common_per_interview_highest_ties_to_the_higher():
    assert rules.row_severity({"low": 2, "high": 1}) == "low"
    assert rules.row_severity({"low": 1, "high": 1}) == "high"
    assert rules.row_severity({}) is None
    result = facts(
        mention(10, PAIN, theme_id=1, severity=LOW),
        mention(10, PAIN, theme_id=1, severity=HIGH),  # the interview's highest
        mention(20, PAIN, theme_id=1, severity=MEDIUM),
    )
    assert result.themes[1].severity_counts == {HIGH: 1, MEDIUM: 1}


def test_main_pain_is_highest_severity_then_most_mentions_then_said_first():
    pains = [
        (mention(10, PAIN, severity=MEDIUM, position=5), 1),
        (mention(10, PAIN, severity=MEDIUM, position=1), 2),
        (mention(10, PAIN, severity=MEDIUM, position=9), 2),
    ]
    assert [p.theme for p in rules.interview_pains(pains)[10]] == [2, 1]  # two mentions beat one
    pains.append((mention(10, PAIN, severity=HIGH, position=7), 1))
    assert [p.theme for p in rules.interview_pains(pains)[10]] == [1, 2]


def test_hours_go_to_the_pain_named_else_the_main_pain_and_count_distinct_figures():
    result = facts(
        mention(10, PAIN, theme_id=1, severity=HIGH),
        mention(10, PAIN, theme_id=2, severity=LOW),
        mention(10, TIME, hours=4.0),  # untied: the main pain (reporting)
        mention(10, TIME, hours=4.0),  # the same figure again counts once
        mention(10, TIME, hours=2.0, about_key="compliance"),
        mention(20, TIME, hours=3.0),  # an interview without pains: unattributed
    )
    assert result.themes[1].hours == {10: {4.0}}
    assert result.themes[2].hours == {10: {2.0}}
    assert result.unattributed_figures == 1
    assert len(result.themes[1].cells[TIME].ids) == 2  # both mentions are evidence


def test_a_tie_follows_the_interviews_own_grouping_of_that_key():
    # This interviewee's "board" pains were grouped into compliance: "board" figures follow them there.
    result = facts(
        mention(10, PAIN, theme_id=2, proposed_key="board"),
        mention(10, PAIN, theme_id=1),
        mention(10, TIME, hours=5.0, about_key="board"),
        mention(10, TIME, hours=1.0, about_key="nothing-of-theirs"),  # names no pain theme: left out
    )
    assert result.themes[2].hours == {10: {5.0}}
    assert result.unattributed_figures == 1


def test_workarounds_tied_or_every_pain_of_the_interview():
    result = facts(
        mention(10, PAIN, theme_id=1),
        mention(10, PAIN, theme_id=2),
        mention(10, WORKAROUND, theme_id=9),  # untied: both pains
        mention(10, WORKAROUND, proposed_key="email", about_key="compliance"),
    )
    assert result.themes[1].workarounds == {(9, ""): {10}}
    assert result.themes[2].workarounds == {(9, ""): {10}, (None, "email"): {10}}


@pytest.mark.parametrize(
    ("amount", "period", "team", "expected"),
    [(120, "year", None, 10.0), (10, "user_month", 5, 50), (10, "user_month", None, 10), (99, "once", 3, None),
     (40, "month", 3, 40), (None, "month", 3, None)],
)  # fmt: skip
def test_wtp_normalised_to_a_month(amount, period, team, expected):
    assert rules.monthly(amount, period=period, team_size=team) == expected


def test_wtp_is_each_interviewees_first_stated_figure():
    said = [
        mention(10, WTP, refused=True, position=0),
        mention(10, WTP, wtp_min=20.0, wtp_max=30.0, wtp_period="user_month", position=8),
        mention(10, WTP, wtp_min=500.0, wtp_period="month", position=3),
    ]
    w = rules.interview_wtp(said, team_size=5)
    assert (w.stated, w.refused, w.low, w.high, w.currency, w.mentions) == (True, True, 500.0, 500.0, "USD", 3)
    refused = rules.interview_wtp([mention(20, WTP, refused=True)], team_size=None)
    assert not refused.stated and refused.refused


def test_a_pain_stating_a_risk_amount_is_in_two_cells_but_one_quote():
    result = facts(mention(10, PAIN, theme_id=1, risk=5000.0), mention(10, RISK, risk=100.0))
    cells = result.themes[1].cells
    assert len(cells[PAIN].ids) == 1 and len(cells[RISK].ids) == 2
    assert sum(c.fresh for c in cells.values()) == 2


def test_consequences_are_counted_case_insensitively():
    result = facts(
        mention(10, PAIN, theme_id=1),
        mention(10, RISK, text="We lose the client"),
        mention(10, RISK, text=" we lose the client"),
        mention(10, RISK, text="A fine"),
    )
    said = result.themes[1].consequences
    assert said["we lose the client"][2] == 2 and said["a fine"][2] == 1


def test_median_of_counts():
    assert rules.median_of_counts({1.0: 1, 3.0: 1}) == 2.0
    assert rules.median_of_counts({2.0: 3, 10.0: 1}) == 2.0
    assert rules.median_of_counts({}) is None
