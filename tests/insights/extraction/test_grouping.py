"""Segment-level theme grouping: plain pytest, no database; the unit model embeds the quotes.

The paraphrase sets are our own, in several domains, and deliberately not phrases of the dev set.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from insights.extraction.grouping import GroupItem, group_mentions, group_name, settle_segment_keys


def items(groups: dict[str, list[str]], kind: str = "pain", keys: dict[str, str] | None = None) -> list[GroupItem]:
    """One item per text; each text in its own interview (so only the words can group them)."""
    out = []
    for label, texts in groups.items():
        for n, text in enumerate(texts):
            out.append(
                GroupItem(
                    id=f"{label}/{n}",
                    kind=kind,
                    text=text,
                    theme_key=(keys or {}).get(label, ""),
                    interview=f"iv-{label}-{n}",
                )
            )
    return out


def clusters(result: dict[str, str]) -> dict[str, set[str]]:
    by: dict[str, set[str]] = {}
    for item_id, key in result.items():
        by.setdefault(key, set()).add(item_id.split("/")[0])
    return by


def assert_together(result: dict[str, str], label: str) -> None:
    keys = {key for item_id, key in result.items() if item_id.startswith(label + "/")}
    assert len(keys) == 1, f"{label} split over {keys}"


def assert_apart(result: dict[str, str], a: str, b: str) -> None:
    ka = {key for item_id, key in result.items() if item_id.startswith(a + "/")}
    kb = {key for item_id, key in result.items() if item_id.startswith(b + "/")}
    assert not ka & kb, f"{a} and {b} share {ka & kb}"


PARAPHRASES = {
    "tools": [
        "too many tools",
        "jumping between 6 apps all day",
        "our stack is a patchwork of tools",
        "tool fatigue",
        "so many apps and logins",
    ],
    "claims": [
        "insurance claims get denied",
        "payers reject our claims",
        "the insurer keeps denying claims",
        "claim denials from insurance",
    ],
    "hiring": ["we can't find qualified drivers", "hiring drivers takes months", "nobody applies for our driver jobs"],
    "invoices": [
        "clients pay their invoices late",
        "late payments on invoices from customers",
        "chasing unpaid invoices every week",
    ],
}


TOOLS = {
    "sheets": ["a Google Sheet", "Excel spreadsheets", "a shared spreadsheet we all edit"],
    "chat": ["Slack threads", "messages in Slack"],
    "paper": ["paper forms", "a paper binder"],
}


@pytest.mark.parametrize(("groups", "kind"), [(PARAPHRASES, "pain"), (TOOLS, "workaround")])
def test_paraphrases_sit_closer_to_each_other_than_to_other_themes(groups, kind):
    # The threshold is tuned on data (training/tune_grouping.py); what must hold whatever it is: the
    # same problem in other words is nearer than another problem.
    from insights.extraction.grouping import params_for, similarity

    batch = items(groups, kind=kind)
    sim = similarity(batch, params_for(kind))
    label = [it.id.split("/")[0] for it in batch]
    for a in groups:
        inside = [
            sim[i, j] for i in range(len(batch)) for j in range(len(batch)) if i != j and label[i] == label[j] == a
        ]
        for b in groups:
            if b != a:
                across = [
                    sim[i, j] for i in range(len(batch)) for j in range(len(batch)) if label[i] == a and label[j] == b
                ]
                assert sum(inside) / len(inside) > sum(across) / len(across), (a, b)


def test_unrelated_pains_stay_apart():
    result = group_mentions(items(PARAPHRASES))
    labels = sorted(PARAPHRASES)
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert_apart(result, a, b)


def test_tool_sprawl_groups_when_the_extractor_proposes_a_key():
    sprawl = items(
        {"tools": PARAPHRASES["tools"], "claims": PARAPHRASES["claims"]}, keys={"tools": "tools", "claims": "claims"}
    )
    result = group_mentions(sprawl)
    assert_together(result, "tools")
    assert_together(result, "claims")
    assert_apart(result, "tools", "claims")


def test_the_extractors_key_helps_and_names_the_group():
    keyed = items({"a": ["the HIPAA stuff scares me", "patient privacy worries me"]}, keys={"a": "security"})
    result = group_mentions(keyed)
    assert set(result.values()) == {"security"}


def test_kinds_are_grouped_separately():
    both = items({"p": ["spreadsheets everywhere"]}) + items({"w": ["spreadsheets everywhere"]}, kind="workaround")
    result = group_mentions(both)
    assert set(result) == {"p/0", "w/0"}


def test_fixed_groups_are_respected():
    base = items(PARAPHRASES)
    # A reviewer put two tool-sprawl quotes in different themes, and one claims quote into "tools".
    fixed = {"tools/0": "tool-sprawl", "tools/1": "app-switching", "claims/0": "tool-sprawl", "claims/1": "tool-sprawl"}
    pinned = [GroupItem(**{**it.__dict__, "fixed": fixed.get(it.id)}) for it in base]
    result = group_mentions(pinned)
    assert result["tools/0"] == result["claims/0"] == result["claims/1"] == "tool-sprawl"
    assert result["tools/1"] == "app-switching"
    assert result["tools/0"] != result["tools/1"]
    # Unfixed items may join a fixed group, and no unfixed group takes a fixed key.
    for item_id, key in result.items():
        if item_id not in fixed:
            assert key not in ("app-switching",) or item_id.startswith("tools/")


def test_fixed_keys_never_merge_even_for_identical_text():
    same = [
        GroupItem(
            id=str(n), kind="pain", text="too many tools", theme_key="tools", interview=str(n), fixed=f"theme-{n % 2}"
        )
        for n in range(4)
    ]
    result = group_mentions(same)
    assert result == {"0": "theme-0", "1": "theme-1", "2": "theme-0", "3": "theme-1"}


def test_synonyms_pull_matching_items_into_their_theme():
    base = items(
        {
            "x": ["the board pack takes all weekend", "the Board  Pack is always late"],
            "y": ["clipboards at the front desk", "a billboard outside"],
        }
    )
    result = group_mentions(base, synonyms={"board pack": "manual-reporting"})
    assert result["x/0"] == result["x/1"] == "manual-reporting"
    # Word boundaries: "billboard" and "clipboards" do not contain the phrase "board pack".
    assert result["y/0"] != "manual-reporting" and result["y/1"] != "manual-reporting"


def test_synonym_and_fixed_key_share_a_group():
    base = [
        GroupItem(
            id="a",
            kind="pain",
            text="month-end close is slow",
            theme_key="close",
            interview="1",
            fixed="month-end-close",
        ),
        GroupItem(id="b", kind="pain", text="the books take ages to close", theme_key="book", interview="2"),
    ]
    result = group_mentions(base, synonyms={"books": "month-end-close"})
    assert result == {"a": "month-end-close", "b": "month-end-close"}


def test_group_keys_are_unique_slugs():
    base = items(
        {"a": ["too many tools", "tool fatigue"], "b": ["claims are denied", "payers deny claims"]},
        keys={"a": "tools", "b": "tools"},
    )
    result = group_mentions(base)
    for key in result.values():
        assert key == key.lower() and " " not in key and key
    if result["a/0"] != result["b/0"]:
        assert len({result["a/0"], result["b/0"]}) == 2


def test_deterministic_and_order_independent():
    base = items(PARAPHRASES)
    first = group_mentions(base)
    for seed in range(3):
        shuffled = base[:]
        random.Random(seed).shuffle(shuffled)
        assert group_mentions(shuffled) == first


def test_empty_and_keyless_input():
    assert group_mentions([]) == {}
    one = [GroupItem(id="1", kind="pain", text="???", theme_key="", interview="a")]
    assert list(group_mentions(one)) == ["1"] and group_mentions(one)["1"]


def test_group_name_is_readable():
    assert (
        group_name(["too many tools", "jumping between six apps", "tool fatigue"], ["tools", "tools", "tools"])
        == "Too many tools"
    )
    assert (
        group_name(["compiling reports by hand", "manual reporting every Friday"], ["reporting", "reporting"])
        == "Manual reporting"
    )
    assert group_name(["we almost missed a compliance deadline"], ["compliance-tracking"]) == "Compliance tracking"
    name = group_name(["claims get denied", "denied claims pile up"], ["claims", "claims"])
    assert name[0].isupper() and "claim" in name.lower() and "|" not in name
    assert group_name([], []) == "Other"
    # The key word as said, with the word the quotes put after it; never a count as a modifier.
    assert group_name(["the records never arrive", "records from the hospital are late"], ["record"] * 2) == "Records"
    assert (
        group_name(["the phone calls never stop", "three phone calls to get anything"], ["phone"] * 2) == "Phone calls"
    )
    assert group_name(["one in fifty orders breaks", "fifty orders a day are late"], ["order"] * 2) == "Orders"
    assert group_name(["sales is not happy with me"], ["sale"]) == "Sales"
    assert group_name(["refunds take a week"], ["returns--2"]) == "Returns"  # a uniqueness suffix names nothing
    # A modifier is a word said right before the key word, possessives dropped: "benchmarks every
    # price" has none, and "ultrasounds and procedures" is a list, not "Ultrasounds procedures".
    assert group_name(["benchmarks every price against a rival"], ["pricing"]) == "Pricing"
    assert group_name(["prior approvals for ultrasounds and procedures"], ["procedure"]) == "Procedures"
    assert group_name(["the referral hospital's notes come late"], ["hospital"]) == "Referral hospital"


def test_a_keyless_name_is_a_word_said_never_a_marker_and_the_most_specific_of_a_tie():
    # "_many" marks excess for the lexical similarity; it is no word anybody said.
    assert group_name(["so many logins"], []) == "Logins"
    # One quote, every word said once: the longest, not the first in the alphabet ("Able").
    assert group_name(["they are not able to handle the formatting"], []) == "Formatting"


def _head(anchors: dict[str, str]):
    """A family head that knows the anchors' own quotes and calls the rest "other" (the model puts any
    two pains at cosine 0.6-0.8, so "other" needs a logit just under an anchor's own)."""
    from insights.extraction.families import FamilyHead
    from insights.extraction.grouping import embeddings

    vectors = embeddings(list(anchors.values())).astype(np.float64)
    weight = np.hstack([vectors.T, np.zeros((vectors.shape[1], 1))])
    return FamilyHead(
        names=tuple(anchors),
        weight=weight,
        bias=np.array([0.0] * len(anchors) + [18.0]),
        scale=20.0,
        min_probability=0.5,
    )


def test_a_group_mostly_in_one_family_takes_the_family_name():
    ignored = "the AI's helper keeps ignoring the rules I set for it"  # the AI's: AI said
    short = "we are two nurses short on every night shift"
    head = _head({"ai-ignores-instructions": ignored, "ai-staff-shortage": short})
    odd = "the parking lot floods every spring"
    assert group_name([ignored, ignored, odd], [], family=head) == "AI ignores instructions"
    # Under half in the family: the quotes name it, as without a head.
    assert group_name([ignored, odd, odd], [], family=head) == group_name([ignored, odd, odd], [])
    # A family name never claims a subject nobody in the group said.
    assert group_name([short, short], [], family=head) == group_name([short, short], [])
    # Two quotes of two families are neither family's theme.
    both = dataclasses.replace(head, names=("ai-ignores-instructions", "staff-shortage"))
    assert group_name([ignored, short], [], family=both) == group_name([ignored, short], [])
    assert group_name([short], [], family=both) == "Staff shortage"
    # The family names a keyed theme too, unless its key is a product the quotes name.
    assert group_name([short, short], ["rota", "rota"], family=both) == "Staff shortage"
    rota = "we are two nurses short on every night shift, even with Rotaly"
    both = dataclasses.replace(head, weight=_head({"a": ignored, "b": rota}).weight)
    assert group_name([rota], ["rotaly"], family=both) == "Rotaly"


def test_acronyms_keep_their_capitals():
    assert group_name(["three DQ files missing", "the DQ files are a mess"], ["file", "file"]) == "DQ files"
    assert group_name(["KYC is slow", "KYC reviews pile up"], ["kyc", "kyc"]) == "KYC"
    assert group_name(["the phone rings all day"], ["phone"]) == "Phone"


def test_tools_counted_name_the_group_too_many_tools():
    quotes = [
        "It's scattered across five apps",
        "none of them talk to each other.",
        "Two systems that disagree.",
        "If I'd trusted the tool we'd have been late.",
        "Anything it doesn't cover goes in a wiki.",
        "everything came back to having too many apps.",
        "Worst case a customer gets annoyed",
    ]
    assert group_name(quotes, ["tools"] * len(quotes)) == "Too many tools"
    # Moving between them says it too.
    movers = [
        "I'm constantly flipping between all of them.",
        "I still bounce between the issuer dashboard, HubSpot and Opsboard.",
        "What gets me is the context switching.",
        "If I'd trusted the tool we'd have been late.",
        "Anything it doesn't cover goes in a wiki.",
    ]
    assert group_name(movers, ["tools"] * len(movers)) == "Too many tools"
    # Tool pains where nobody counts tools are not sprawl.
    assert group_name(["the system is slow", "the tool crashes at month end"], ["tools"] * 2) == "Tools"


def test_a_machine_group_with_a_reviewer_key_joins_that_theme():
    """Unpinned mentions the extractor keyed "reporting" belong to the reviewer's "reporting" theme,
    even when their words alone would not join the pinned mention: one theme per key, no "reporting-2"."""
    base = [
        GroupItem(id="pinned", kind="pain", text="the investor update eats a day", theme_key="update", interview="1"),
        GroupItem(id="a", kind="pain", text="copying figures into slides", theme_key="reporting", interview="2"),
        GroupItem(
            id="b", kind="pain", text="the monthly numbers are always late", theme_key="reporting", interview="3"
        ),
        GroupItem(id="c", kind="pain", text="claims get denied for a missing code", theme_key="claims", interview="4"),
    ]
    result = group_mentions(base, synonyms={"investor update": "reporting"})
    assert result["pinned"] == result["a"] == result["b"] == "reporting"
    assert result["c"] != "reporting" and not result["c"].startswith("reporting-")


def _pains(interview, *said):
    return [
        GroupItem(id=f"{interview}/{n}", kind="pain", text=text, theme_key=c[0], interview=interview, candidates=c)
        for n, (text, c) in enumerate(said)
    ]


def test_a_key_the_segment_keeps_raising_stands_on_its_own():
    """Alone, interview 'a' sends its one 'records' pain to its dominant key ('phone'); across the
    segment 'records' recurs in three of four interviews, so it stays."""
    items = (
        _pains(
            "a",
            ("the phones never stop ringing", ("phone",)),
            ("nobody can get through on the desk line", ("phone", "desk")),
            ("the vaccine history takes a week to arrive", ("record", "history")),
        )
        + _pains(
            "b",
            ("medical records always arrive late", ("record",)),
            ("records come through as a blurry fax", ("record", "fax")),
        )
        + _pains(
            "c",
            ("the referral notes are missing half the time", ("record", "note")),
            ("chasing records from other clinics", ("record",)),
        )
        + _pains("d", ("we run out of vaccine", ("stock",)), ("stock expires on the shelf", ("stock",)))
    )
    topics = {"a": {"phone": 3, "record": 1}, "b": {"record": 2}, "c": {"record": 2}, "d": {"stock": 2}}
    settled = {it.id: it.theme_key for it in settle_segment_keys(items, topics)}
    assert settled["a/2"] == "record" and settled["a/0"] == settled["a/1"] == "phone"
    # Without the rest of the segment the same interview folds it into its dominant key.
    alone = {it.id: it.theme_key for it in settle_segment_keys(items[:3], {"a": topics["a"]})}
    assert alone["a/2"] == "phone"
    # Grouped by their settled keys (the knobs that do so; the tuned ones may join raw nouns by meaning only).
    from dataclasses import replace

    from insights.extraction.grouping import params_for

    by_keys = replace(params_for("pain"), settle_keys=True, key_merge="all", one_group_per_key=True)
    result = group_mentions(items, topics=topics, params={"pain": by_keys})
    assert result["a/2"] == result["b/0"] == result["c/1"] != result["a/0"]


def test_items_without_candidates_keep_their_key():
    items = [GroupItem(id="r", kind="pain", text="a reviewer's own", theme_key="billing", interview="x")]
    assert settle_segment_keys(items, {}) == items


def test_pains_with_one_key_make_one_theme_even_when_their_words_differ():
    """Two "Returns" rows would confuse a PM: pains the extractor keyed alike share one theme."""
    said = {
        "a": ["refunds take a week", "customers hate slow refunds"],
        "b": ["freight pickups for big furniture", "carrier emails by hand for every pickup"],
    }
    result = group_mentions(items(said, keys={"a": "returns", "b": "returns"}))
    assert set(result.values()) == {"returns"}


def test_settling_keys_does_not_depend_on_the_order_items_arrive_in():
    said = [
        ("the board pack eats my weekend", ("board", "pack")),
        ("the pack is always late", ("pack", "board")),
        ("monthly numbers by hand", ("number",)),
    ]
    base = [
        GroupItem(id=f"x/{n}", kind="pain", text=t, theme_key=c[0], interview="x", candidates=c, said_at=(2, n))
        for n, (t, c) in enumerate(said)
    ]
    first = {it.id: it.theme_key for it in settle_segment_keys(base, {"x": {}})}
    for seed in range(5):
        shuffled = base[:]
        random.Random(seed).shuffle(shuffled)
        assert {it.id: it.theme_key for it in settle_segment_keys(shuffled, {"x": {}})} == first


def _segment_items(interviews: list[dict]) -> tuple[list[GroupItem], dict[str, dict[str, int]]]:
    from insights.extraction import extract_many
    from insights.extraction.extractor import answer_position

    extractions = extract_many([(it["answers"], it["notes"]) for it in interviews])
    out = []
    for it, ex in zip(interviews, extractions, strict=True):
        for k, m in enumerate(ex.mentions):
            if m.kind in ("pain", "workaround"):
                out.append(
                    GroupItem(
                        id=f"{it['id']}#{k}",
                        kind=m.kind,
                        text=m.quote,
                        theme_key=m.theme_key,
                        interview=it["id"],
                        candidates=m.candidates,
                        said_at=(answer_position(m.field), m.start),
                    )
                )
    return out, {it["id"]: ex.topics for it, ex in zip(interviews, extractions, strict=True)}


def test_adding_an_interview_changes_no_theme_it_does_not_touch():
    # A 15-interview segment from the bench's generator (our own sentences), then a 16th interview.
    sys_path = __import__("sys").path
    root = str(__import__("pathlib").Path(__file__).resolve().parents[3] / "bench")
    if root not in sys_path:
        sys_path.insert(0, root)
    from extraction import make_interview

    segment = [dict(make_interview(3, i), id=f"iv{i}") for i in range(16)]
    after_items, after_topics = _segment_items(segment)  # extraction is per interview: slice, don't redo
    before_items = [it for it in after_items if it.interview != "iv15"]
    before_topics = {k: v for k, v in after_topics.items() if k != "iv15"}
    before = group_mentions(before_items, topics=before_topics)
    after = group_mentions(after_items, topics=after_topics)

    kind = {it.id: it.kind for it in after_items}

    def themes(result: dict[str, str]) -> dict[tuple[str, str], frozenset[str]]:
        by: dict[tuple[str, str], set[str]] = {}
        for item_id, key in result.items():
            by.setdefault((kind[item_id], key), set()).add(item_id)
        return {k: frozenset(v) for k, v in by.items()}

    new = {item_id for item_id in after if item_id.startswith("iv15#")}
    touched = {(kind[i], after[i]) for i in new}
    old = themes(before)
    assert len(old) >= 8  # a real segment, not two themes
    # A theme the new interview does not touch: none of its mentions is grouped with the new ones.
    untouched = {k: v for k, v in old.items() if not any((kind[i], after[i]) in touched for i in v)}
    assert untouched, "the new interview touched every theme"
    now = themes(after)
    for key, members in untouched.items():
        assert now.get(key) == members, f"theme {key} changed though the new interview adds nothing to it"


def test_a_shared_raw_noun_is_no_shared_problem_but_a_business_area_is():
    """Under key_merge="concepts" only the business areas of keys.CONCEPTS join groups by key:
    "truck" said in two pains says what they are about, not that they are one problem."""
    from dataclasses import replace

    from insights.extraction.grouping import params_for

    said = {"a": ["the truck breaks down every winter"], "b": ["drivers quit the truck job after a month"]}
    concepts = replace(params_for("pain"), key_merge="concepts", one_group_per_key=True, threshold=0.95)
    by_noun = group_mentions(items(said, keys={"a": "truck", "b": "truck"}), params={"pain": concepts})
    assert_apart(by_noun, "a", "b")
    everything = replace(concepts, key_merge="all")
    assert set(
        group_mentions(items(said, keys={"a": "truck", "b": "truck"}), params={"pain": everything}).values()
    ) == {"truck"}
    by_area = group_mentions(items(said, keys={"a": "billing", "b": "billing"}), params={"pain": concepts})
    assert set(by_area.values()) == {"billing"}


def test_a_pain_told_on_in_the_next_sentence_of_free_text_is_one_theme():
    from dataclasses import replace

    from insights.extraction.grouping import params_for

    texts = ["the quarterly filing is a nightmare", "last time we paid a late fee for it"]

    def said(free_text: bool, gap: int, interviews: tuple[str, str] = ("x", "x")) -> list[GroupItem]:
        return [
            GroupItem(
                id=f"{n}/0",
                kind="pain",
                text=t,
                theme_key="",
                interview=interviews[n],
                said_at=(9 if free_text else 2, n * gap),
                free_text=free_text,
            )
            for n, t in enumerate(texts)
        ]

    near = replace(params_for("pain"), near_chars=150, threshold=0.99, key_merge="concepts")
    assert len(set(group_mentions(said(True, 40), params={"pain": near}).values())) == 1
    # Further apart, in the answer to one script question, or in two interviews: apart.
    assert len(set(group_mentions(said(True, 400), params={"pain": near}).values())) == 2
    assert len(set(group_mentions(said(False, 40), params={"pain": near}).values())) == 2
    assert len(set(group_mentions(said(True, 40, ("x", "y")), params={"pain": near}).values())) == 2
    assert len(set(group_mentions(said(True, 40), params={"pain": replace(near, near_chars=0)}).values())) == 2


def test_adding_an_interview_changes_no_untouched_theme_over_many_random_segments(monkeypatch):
    """Keys, numbers, keyless names, told-on pains in free text and families, over random small
    segments; the embedding and the family head are stand-ins (quotes sharing their first word sit
    together) so hundreds run fast."""
    import hashlib
    from dataclasses import replace

    import numpy as np

    from insights.extraction import grouping
    from insights.extraction.families import FamilyHead

    def embed(texts: list[str]) -> np.ndarray:
        out = []
        for t in texts:
            base = np.random.default_rng(int(hashlib.md5(t.split()[0].encode()).hexdigest()[:8], 16)).normal(size=16)
            noise = np.random.default_rng(int(hashlib.md5(t.encode()).hexdigest()[:8], 16)).normal(size=16)
            v = base + 0.6 * noise
            out.append(v / np.linalg.norm(v))
        return np.array(out, dtype=np.float32)

    monkeypatch.setattr(grouping, "embeddings", embed)
    words = ["truck", "invoice", "driver", "winter", "spreadsheet", "audit", "payment", "form"]
    keys = ["", "other", "truck", "billing", "step-2", "compliance", "driver", "winter", "invoice"]
    rng = random.Random(7)

    def interviews(count: int, first_id: int, name: str = "") -> list[GroupItem]:
        out, n = [], first_id
        for v in range(count):
            for _ in range(rng.randint(1, 4)):
                free = rng.random() < 0.4
                out.append(
                    GroupItem(
                        id=str(n),
                        kind="pain",
                        text=" ".join(rng.choice(words) for _ in range(rng.randint(2, 4))),
                        theme_key=rng.choice(keys),
                        interview=name or f"iv{v}",
                        said_at=(9 if free else rng.randint(0, 7), rng.randint(0, 400)),
                        free_text=free,
                    )
                )
                n += 1
        return out

    heads = np.random.default_rng(3).normal(size=(16, 4))
    family = FamilyHead(names=("a", "b", "c"), weight=heads, bias=np.zeros(4), scale=3.0, min_probability=0.5)
    settings = [
        (grouping.params_for("pain"), {}),
        (replace(grouping.params_for("pain"), key_merge="all"), {}),
        (grouping.params_for("pain"), {"pain": family}),
    ]
    for params, families in settings:
        for _ in range(150):
            old = interviews(rng.randint(2, 6), 1)
            new = interviews(1, 1000, name="new")
            before = group_mentions(old, params={"pain": params}, families=families)
            after = group_mentions(old + new, params={"pain": params}, families=families)
            shuffled = old + new
            rng.shuffle(shuffled)
            assert group_mentions(shuffled, params={"pain": params}, families=families) == after
            themes_after: dict[str, set[str]] = {}
            for item_id, key in after.items():
                themes_after.setdefault(key, set()).add(item_id)
            new_ids = {it.id for it in new}
            for key in set(before.values()):
                members = {i for i, k in before.items() if k == key}
                if not any(themes_after[after[i]] & new_ids for i in members):
                    assert themes_after.get(key) == members, (key, members)
