"""bench/matrix.py removes the bench-* workspace it seeded, also when it is stopped midway."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_terminated_bench_leaves_no_workspace(tmp_path):
    db = tmp_path / "bench.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": f"sqlite:///{db}"}
    bench = subprocess.Popen(
        [sys.executable, "-u", "bench/matrix.py", "--quick", "--best-of", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert bench.stdout is not None
        first = bench.stdout.readline()
        assert first.startswith("database: sqlite; seeding into workspace bench-"), first
        bench.send_signal(signal.SIGTERM)  # mid-seeding, as `timeout` or a CI job would
        rest = bench.stdout.read()
        bench.wait(timeout=120)
    finally:
        if bench.poll() is None:
            bench.kill()
    assert bench.returncode != 0
    with sqlite3.connect(db) as conn:
        tables = ("interviews_workspace", "interviews_segment", "interviews_participant", "insights_mention")
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    assert counts == dict.fromkeys(tables, 0)
    assert "bench-* workspaces left in the database: 0" in rest, rest
