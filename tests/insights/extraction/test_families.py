"""Theme families: the trained head that tells which kind of problem (or of coping) a quote names."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from insights.extraction.classifier import ModelError, UnitModel, get_model
from insights.extraction.families import FamilyError, FamilyHead, load, save
from insights.extraction.grouping import GroupItem, group_mentions, params_for


def shipped() -> dict[str, FamilyHead]:
    return get_model().families


def head(min_probability: float = 0.5) -> FamilyHead:
    # Two families along the axes of a 3-d space; the third axis is "other".
    return FamilyHead(
        names=("spreadsheets", "paper"), weight=np.eye(3), bias=np.zeros(3), scale=10.0, min_probability=min_probability
    )


def test_a_quote_takes_its_most_likely_family_and_other_is_none():
    rows = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]])
    assert head().assign(rows).tolist() == [0, 1, -1]


def test_a_family_it_is_not_sure_of_is_none():
    torn = np.array([[0.7, 0.7, 0.0]]) / np.sqrt(0.98)  # as likely spreadsheets as paper
    assert head(0.4).assign(torn).tolist() == [0]
    assert head(0.6).assign(torn).tolist() == [-1]
    assert head().assign(np.zeros((0, 3))).tolist() == []


def test_heads_round_trip_through_the_model_directory(tmp_path):
    section = save(tmp_path, {"workaround": head(0.2)})
    back = load(tmp_path, section, 3)["workaround"]
    assert back.names == ("spreadsheets", "paper")
    assert back.min_probability == 0.2
    np.testing.assert_allclose(back.weight, np.eye(3))
    assert load(tmp_path, None, 3) == {}


def test_heads_that_are_missing_damaged_or_misfit_are_refused(tmp_path):
    section = save(tmp_path, {"workaround": head()})
    with pytest.raises(FamilyError, match="does not fit a 128-d"):
        load(tmp_path, section, 128)
    (tmp_path / "families.npz").write_bytes(b"not the heads")
    with pytest.raises(FamilyError, match="checksum"):
        load(tmp_path, section, 3)
    (tmp_path / "families.npz").unlink()
    with pytest.raises(FamilyError, match="missing"):
        load(tmp_path, section, 3)


def test_a_model_whose_heads_do_not_load_is_refused_with_what_to_do(tmp_path):
    import shutil

    from insights.extraction.classifier import MODEL_DIR

    for f in MODEL_DIR.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "families.npz").unlink()
    with pytest.raises(ModelError, match="make train"):
        UnitModel(tmp_path)


def test_the_shipped_model_carries_heads_that_know_its_embedding():
    heads = shipped()
    assert heads, "the model ships no family head: run `make train`"
    for h in heads.values():
        assert h.weight.shape == (128, len(h.names) + 1)
        assert 0.0 <= h.min_probability < 1.0


def _said(texts: list[str], kind: str) -> list[GroupItem]:
    return [GroupItem(id=str(n), kind=kind, text=t, theme_key="", interview=f"iv{n}") for n, t in enumerate(texts)]


def test_quotes_of_one_family_are_one_theme_though_they_share_no_word(monkeypatch):
    from insights.extraction import grouping

    vectors = {"an Excel file": [1.0, 0, 0], "Google Sheets": [0.9, 0.1, 0], "clipboards": [0, 1.0, 0]}
    monkeypatch.setattr(grouping, "embeddings", lambda texts: np.array([vectors[t] for t in texts], dtype=np.float32))
    items = _said(list(vectors), "workaround")
    apart = replace(params_for("workaround"), threshold=1.5)  # nothing merges by similarity alone
    groups = group_mentions(items, params={"workaround": apart}, families={"workaround": head()})
    assert groups["0"] == groups["1"] != groups["2"]
    alone = group_mentions(items, params={"workaround": apart}, families={})
    assert len(set(alone.values())) == 3


def test_a_family_never_overrides_a_reviewers_two_themes(monkeypatch):
    from insights.extraction import grouping

    monkeypatch.setattr(grouping, "embeddings", lambda texts: np.array([[1.0, 0, 0]] * len(texts), dtype=np.float32))
    said = _said(["a sheet", "a workbook", "a tracker"], "workaround")
    items = [replace(it, fixed=key) for it, key in zip(said, ("excel", "sheets", None), strict=True)]
    groups = group_mentions(items, families={"workaround": head()})
    # The unpinned third is of their family too: it may join one of them, never bridge the two.
    assert groups["0"] == "excel" and groups["1"] == "sheets"


def test_the_shipped_head_puts_one_way_of_coping_in_one_family():
    from insights.extraction.grouping import embeddings

    h = shipped()["workaround"]
    # Our own sentences, in two trades. The head answers "other" more often than not: a family
    # joins only quotes it is sure of, and the rest group by their words and meaning.
    first, second = "We track it all in a spreadsheet.", "The rota lives in a Google Sheet the managers edit."
    a, b = h.assign(embeddings([first, second])).tolist()
    assert a == b != -1, (h.names[a] if a >= 0 else None, h.names[b] if b >= 0 else None)


def test_the_shipped_head_tells_two_ways_of_coping_apart():
    from insights.extraction.grouping import embeddings

    sheet, phone = (
        shipped()["workaround"]
        .assign(embeddings(["We track it all in a spreadsheet.", "I just call the supplier every morning."]))
        .tolist()
    )
    assert sheet != -1 and phone != -1 and sheet != phone


def test_a_quotes_vector_does_not_depend_on_the_quotes_beside_it():
    # The int8 model quantises a batch together; a family answer, and with it a theme, must not
    # move when a worker happens to embed a quote beside others.
    texts = ["Invoices pile up.", "We re-key every delivery note into the stock system by hand at night.", "Fax."]
    together = get_model().embed(texts)
    alone = np.stack([get_model().embed([t])[0] for t in texts])
    np.testing.assert_array_equal(together, alone)
