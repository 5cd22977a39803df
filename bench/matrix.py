"""Benchmark the pain-point matrix and the mentions CSV export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sift_bench .venv/bin/python bench/matrix.py [--quick]

Seeds 1,000 / 10,000 / 100,000 mentions (about 8 per interview, 20 themes) into a throw-away
workspace named bench-*, times `segment_matrix` (best of 3, `--best-of`) twice at each size: as
seeded, when the tables' statistics still describe them before the seeding (the state right after
a bulk import), then after ANALYZE (a production database's autovacuum analyses them soon after).
It migrates the database first (a fresh `createdb sift_bench` will do). It measures how much
memory streaming the mentions CSV adds at the largest size, deletes what it created (VACUUM on
PostgreSQL, so that the next run starts from the same tables) also after an error, Ctrl-C or a
SIGTERM (a `timeout`, a CI kill), prints how many bench-* workspaces are left in the database (0
unless another run is going or one was killed with SIGKILL: `--remove-leftovers` deletes them),
and ends with the line `matrix ms at 1k/10k/100k mentions: a/b/c`, the slower of the two states
at each size. `--quick` stops at 10,000. Timings are wall-clock: the load average is printed at
the start and the end. Targets: ≤ 50 ms at 10k and ≤ 500 ms at 100k (the rules in Python over
four narrow queries, `insights.matrix_rules`), printed beside the baseline (the single SQL
statement they replaced, on the same machine at load 0.8), growth no worse than linear, CSV
export memory growth under 50 MB.
"""

import argparse
import os
import random
import signal
import sys
import time
import tracemalloc
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from insights.exports import Filters, mentions_csv  # noqa: E402
from insights.matrix import segment_matrix  # noqa: E402
from insights.models import Mention, Theme  # noqa: E402
from interviews.models import Interview, Participant, Segment, Workspace  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
MENTIONS_PER_INTERVIEW = 8
PAIN_THEMES = 15
WORKAROUND_THEMES = 5
MEMORY_TARGET_MB = 50
SEVERITIES = ["low", "medium", "high", "very_high"]
USAGES = ["our_product", "competitor", "nothing"]
PERIODS = ["month", "month", "year", "user_month", "once"]
BATCH = 5_000
# ms after ANALYZE of the one-statement SQL matrix (commit 851a5be, README, load 0.8), and the targets.
BASELINE_MS = {1_000: 12, 10_000: 38, 100_000: 233}
TARGET_MS = {10_000: 50, 100_000: 500}


def seed(workspace: Workspace, mentions: int, rng: random.Random) -> Segment:
    segment = Segment.objects.create(workspace=workspace, name=f"bench {mentions}", slug=f"bench-{mentions}")
    pains = [
        Theme.objects.create(segment=segment, kind="pain", key=f"pain-{i}", name=f"Pain {i}")
        for i in range(PAIN_THEMES)
    ]
    works = [
        Theme.objects.create(segment=segment, kind="workaround", key=f"tool-{i}", name=f"Tool {i}")
        for i in range(WORKAROUND_THEMES)
    ]
    # A couple of reviewer merges, as in real segments.
    Theme.objects.filter(pk=pains[-1].pk).update(merged_into=pains[0])
    Theme.objects.filter(pk=pains[-2].pk).update(merged_into=pains[1])
    n_interviews = max(1, mentions // MENTIONS_PER_INTERVIEW)
    participants = Participant.objects.bulk_create(
        [
            Participant(workspace=workspace, name=f"P{i}", usage=USAGES[i % 3], team_size=rng.choice([None, 3, 6, 10]))
            for i in range(n_interviews)
        ],
        batch_size=BATCH,
    )
    start = date(2024, 1, 1)
    interviews = Interview.objects.bulk_create(
        [
            Interview(
                segment=segment,
                participant=p,
                external_id=f"b{i}",
                interviewed_on=start + timedelta(days=i % 365),
                whats_broken="Month-end reporting is a nightmare.",
                status="done",
            )
            for i, p in enumerate(participants)
        ],
        batch_size=BATCH,
    )
    weights = [1 / (k + 1) for k in range(PAIN_THEMES)]  # a few themes are common, most are rarer
    rows: list[Mention] = []
    made = 0

    def add(interview: Interview, kind: str, field: str, quote: str, **extra: object) -> None:
        nonlocal made
        if made >= mentions:
            return
        start = len(rows) % 400
        status = rng.choices(["unreviewed", "accepted", "edited", "rejected"], [70, 20, 5, 5])[0]
        rows.append(
            Mention(
                interview=interview,
                kind=kind,
                field=field,
                start=start,
                end=start + len(quote),
                quote=quote,
                review_status=status,
                extractor_version="bench",
                **extra,
            )
        )
        made += 1
        if len(rows) >= BATCH:
            Mention.objects.bulk_create(rows)
            rows.clear()

    for interview in interviews:
        chosen = list(dict.fromkeys(rng.choices(pains, weights, k=3)))
        for theme in chosen:
            add(interview, "pain", "whats_broken", f"{theme.name} eats our week, it is really painful to handle",
                theme=theme, proposed_theme_key=theme.key, severity=rng.choice(SEVERITIES))  # fmt: skip
        tool = rng.choice(works)
        add(interview, "workaround", "current_solution", f"We use {tool.name} and a lot of copy paste",
            theme=tool, proposed_theme_key=tool.key, about_key=rng.choice(["", chosen[0].key]))  # fmt: skip
        add(interview, "time", "time_spent", "About four hours a week on this",
            hours_per_week=rng.choice([1, 2, 3, 4, 6, 8]), about_key=rng.choice(["", chosen[-1].key]))  # fmt: skip
        refused = rng.random() < 0.15
        low = rng.choice([50, 100, 200, 300])
        add(interview, "wtp", "willingness_to_pay", "Maybe a couple of hundred a month",
            refused=refused, wtp_min=None if refused else low, wtp_max=None if refused else low * 2,
            wtp_period="" if refused else rng.choice(PERIODS), currency="USD")  # fmt: skip
        add(interview, "risk", "risk", "We could get fined by the regulator",
            risk_amount=rng.choice([None, 10_000, 50_000]), about_key=rng.choice(["", chosen[0].key]))  # fmt: skip
        add(interview, "wish", "magic_wand", "One dashboard that does it all")
    if rows:
        Mention.objects.bulk_create(rows)
    return segment


def best_of(segment: Segment, runs: int) -> tuple[float, int]:
    timings = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            matrix = segment_matrix(segment=segment)
            timings.append((time.perf_counter() - t0) * 1000)
        queries = len(ctx.captured_queries)
        assert matrix.rows, "the bench segment should have rows"
        reset_queries()
    return min(timings), queries


def csv_memory(segment: Segment) -> tuple[float, int, float]:
    """Peak memory growth (MB) while streaming the mentions CSV, its line count and time (s)."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    lines = sum(1 for _ in mentions_csv(segment=segment, filters=Filters()))
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / 1e6, lines, elapsed


TABLES = (Mention._meta.db_table, Interview._meta.db_table, Participant._meta.db_table, Theme._meta.db_table)


def analyze() -> None:
    """Up-to-date planner statistics, as autovacuum would give a production database after a bulk load."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(TABLES))
        else:
            cursor.execute("ANALYZE")


PREFIX = "bench-"


def _terminated(signum: int, frame: object) -> None:
    # Python's default for SIGTERM ends the process without running `finally`: the seeded
    # workspace would stay in the database. As SystemExit, cleanup runs.
    raise SystemExit(128 + signum)


def cleanup(workspace: Workspace, *, attempts: int = 5) -> None:
    """Delete the workspace and all it holds, in one transaction: all of it or (on an error) none.

    Another process writing to SQLite can hold the lock for a moment: retried. Ctrl-C and SIGTERM
    wait until it is done.
    """
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for attempt in range(1, attempts + 1):
            try:
                _delete(workspace)
                break
            except OperationalError as exc:
                if attempt == attempts:
                    raise
                print(f"cleanup: {exc}; retrying", file=sys.stderr, flush=True)
                time.sleep(attempt)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _delete(workspace: Workspace) -> None:
    with transaction.atomic():
        # Mentions and interviews first, in bulk (participants are PROTECTed by their interviews);
        # the workspace then takes its segments, themes and participants with it.
        Mention.objects.filter(interview__segment__workspace_id=workspace.pk).delete()
        Interview.objects.filter(segment__workspace_id=workspace.pk).delete()
        Workspace.objects.filter(pk=workspace.pk).delete()
    if connection.vendor == "postgresql":
        # Dead rows would otherwise pile up run after run (and slow the next run's scans).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM " + ", ".join(TABLES))


def leftovers() -> list[str]:
    return list(Workspace.objects.filter(name__startswith=PREFIX).order_by("name").values_list("name", flat=True))


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="stop at 10,000 mentions")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--best-of", type=int, default=3, metavar="N", help="timed runs per figure (default 3)")
    parser.add_argument(
        "--remove-leftovers",
        action="store_true",
        help="only delete the bench-* workspaces of earlier runs (killed with SIGKILL) and exit; "
        "never while another run is going",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _terminated)
    if args.remove_leftovers:
        for stale in Workspace.objects.filter(name__startswith=PREFIX):
            cleanup(stale)
            print(f"removed workspace {stale.name}")
        print(f"bench-* workspaces left in the database: {len(leftovers())}")
        return
    sizes = [s for s in SIZES if not args.quick or s <= 10_000]
    rng = random.Random(args.seed)
    vendor = connection.vendor
    # A fresh bench database (createdb sift_bench) has no tables yet.
    call_command("migrate", verbosity=0, interactive=False)
    results = []
    workspace = Workspace.objects.create(name=f"{PREFIX}{uuid.uuid4().hex[:8]}")
    try:
        print(f"database: {vendor}; seeding into workspace {workspace.name}; {load()}", flush=True)
        print(f"best of {args.best_of}; 'as seeded': statistics from before the seeding; 'analysed': after ANALYZE")
        print(
            f"{'mentions':>9} {'interviews':>10} {'seed s':>7} {'as seeded ms':>12} {'analysed ms':>11}"
            f" {'queries':>7} {'rows':>5} {'baseline ms':>11} {'target ms':>9}"
        )
        for size in sizes:
            t0 = time.perf_counter()
            segment = seed(workspace, size, rng)
            seeded = time.perf_counter() - t0
            stale, _ = best_of(segment, args.best_of)
            analyze()
            ms, queries = best_of(segment, args.best_of)
            n_interviews = Interview.objects.filter(segment=segment).count()
            n_rows = len(segment_matrix(segment=segment).rows)
            results.append((size, ms, stale, segment))
            print(
                f"{size:>9,} {n_interviews:>10,} {seeded:>7.1f} {stale:>12.0f} {ms:>11.0f} {queries:>7} {n_rows:>5}"
                f" {BASELINE_MS.get(size, '-'):>11} {TARGET_MS.get(size, '-'):>9}",
                flush=True,
            )
        if len(results) > 1:
            (s0, m0, st0, _), (s1, m1, st1, _) = results[-2], results[-1]
            print(
                f"growth {s0:,} → {s1:,} mentions: x{m1 / m0:.1f} time after ANALYZE, x{st1 / st0:.1f} as seeded,"
                f" for x{s1 / s0:.0f} data"
            )
        for size, ms, stale, _segment in results:
            if size in TARGET_MS:
                target = TARGET_MS[size]
                print(
                    f"matrix at {size // 1000}k: {ms:.0f} ms after ANALYZE, {stale:.0f} ms as seeded"
                    f" (target ≤ {target} ms; baseline {BASELINE_MS[size]} ms):"
                    f" {'OK' if ms <= target else 'OVER'} / {'OK' if stale <= target else 'OVER'}"
                )
        size, ms, stale, segment = results[-1]
        mb, lines, elapsed = csv_memory(segment)
        verdict = "OK" if mb < MEMORY_TARGET_MB else "OVER"
        print(
            f"mentions CSV at {size:,}: {lines:,} lines in {elapsed:.1f} s (under tracemalloc), "
            f"peak memory growth {mb:.1f} MB (target < {MEMORY_TARGET_MB} MB): {verdict}"
        )
    finally:
        cleanup(workspace)
        left = leftovers()
        others = f" ({', '.join(left)}: another run going, or killed; see --remove-leftovers)" if left else ""
        print(f"bench-* workspaces left in the database: {len(left)}{others}", flush=True)
    labels = "/".join(f"{s // 1000}k" for s, *_ in results)
    analysed = "/".join(str(round(ms)) for _, ms, _, _ in results)
    as_seeded = "/".join(str(round(stale)) for _, _, stale, _ in results)
    # The last line in the format, with the slower of the two states at each size.
    slower = "/".join(str(round(max(ms, stale))) for _, ms, stale, _ in results)
    print(f"{load()}")
    print(f"matrix ms at {labels} mentions after ANALYZE: {analysed}; as seeded: {as_seeded}")
    print(f"matrix ms at {labels} mentions: {slower}")


if __name__ == "__main__":
    main()
