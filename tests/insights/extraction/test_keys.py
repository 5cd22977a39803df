"""How an interview's pains settle on theme keys (plain Python, no spaCy)."""

from insights.extraction.keys import recurring_threshold, resolve_themes, segment_objects


def test_shared_candidates_win_and_lone_keys_join_the_dominant_one():
    keys = resolve_themes([["reporting", "board"], ["reporting"], ["deck"]], {"reporting": 2})
    assert keys == ["reporting", "reporting", "reporting"]


def test_a_medium_yields_to_the_job_it_serves():
    # "The sheet is a mess every quarter end" in an interview about renewals: the pain is renewals.
    keys = resolve_themes([["spreadsheet", "renewals"], ["renewals"], ["spreadsheet"]], {"spreadsheet": 4})
    assert keys == ["renewals", "renewals", "renewals"]
    # With nothing else on offer the medium stays.
    assert resolve_themes([["email"], ["email"]]) == ["email", "email"]


def test_a_key_recurring_in_the_segment_stands_on_its_own():
    cands = [["phone"], ["phone", "desk"], ["record"]]
    assert resolve_themes(cands, {"phone": 3})[2] == "phone"
    settled = resolve_themes(cands, {"phone": 3}, segment_df={"record": 4, "phone": 5}, recurring=3)
    assert settled == ["phone", "phone", "record"]


def test_recurring_threshold_is_a_fifth_of_the_segment_at_least_two():
    assert [recurring_threshold(n) for n in (1, 4, 10, 12, 40)] == [2, 2, 2, 3, 8]


def test_what_every_interviewee_mentions_does_not_outvote_what_this_one_talks_about():
    # Property managers all say "unit"; this interview is about applications. The segment only breaks ties.
    cands = [["unit", "application"], ["application", "unit"]]
    keys = resolve_themes(cands, {"application": 3, "unit": 2}, segment_df={"unit": 12, "application": 3})
    assert keys == ["application", "application"]


def test_ties_go_to_the_key_offered_first_never_to_hashing_order():
    # Run under any PYTHONHASHSEED: two keys of one pain tie, the first offered wins.
    assert resolve_themes([["alpha", "beta"], ["gamma"], ["delta"]]) == ["alpha", "alpha", "alpha"]


def test_the_trades_own_object_is_no_problem_area():
    # Nine of twelve property managers bring up "unit" with their pains: it is what they manage.
    # Business concepts ("reporting") are problem areas however common; small segments have none.
    df = {"unit": 9, "reporting": 10, "drywall": 2}
    objects = segment_objects(df, 12)
    assert objects == {"unit"}
    assert segment_objects(df, 4) == frozenset()
    cands = [["unit", "drywall"], ["unit", "drywall"], ["unit"]]
    assert resolve_themes(cands, {"unit": 5}, segment_df=df, objects=objects) == ["drywall"] * 3
    # With nothing else on offer the object stays.
    assert resolve_themes([["unit"], ["unit"]], objects=objects) == ["unit", "unit"]
