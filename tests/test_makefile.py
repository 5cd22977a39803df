"""`make eval` in a checkout without the shared eval set next to it, and with the paths given."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make(cwd: Path, *args: str, dry_run: bool = False) -> subprocess.CompletedProcess[str]:
    # PYTHON=false: should the target reach the venv set-up, it fails at once instead of building one.
    command = ["make", "--no-print-directory", *(["-n"] if dry_run else []), "eval", "PYTHON=false", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_eval_outside_work_says_where_the_set_lives_and_fails(tmp_path):
    checkout = tmp_path / "checkout"  # no ../shared beside it
    checkout.mkdir()
    for name in ("Makefile", "requirements.txt"):
        shutil.copy(ROOT / name, checkout / name)
    result = make(checkout)
    assert result.returncode != 0
    assert "../shared/eval/score.py not found" in result.stderr
    assert "the eval set lives outside the repo at ../shared/eval" in result.stderr
    assert "set EVAL=path/to/score.py and SET=" in result.stderr
    assert "bench/score_extractor.py SET.jsonl" in result.stderr
    assert not (checkout / ".venv").exists()  # stopped before any set-up


def test_eval_paths_can_be_given(tmp_path):
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("Makefile", "requirements.txt"):
        shutil.copy(ROOT / name, checkout / name)
    score, dev = tmp_path / "my" / "score.py", tmp_path / "my" / "dev.jsonl"
    score.parent.mkdir()
    score.write_text("")
    missing = make(checkout, f"EVAL={score}", f"SET={dev}")
    assert missing.returncode != 0 and f"{dev} not found" in missing.stderr
    dev.write_text("")
    planned = make(checkout, f"EVAL={score}", f"SET={dev}", dry_run=True)
    assert planned.returncode == 0, planned.stderr
    assert f".venv/bin/python {score} {dev}" in planned.stdout
