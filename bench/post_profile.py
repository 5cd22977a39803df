"""CPU per POST /api/interviews/, in-process: what bench/load.py's p95 is made of, without the queueing.

    .venv/bin/python bench/post_profile.py [-n 500] [--profile [--top 30]]
    .venv/bin/python bench/post_profile.py --against REV [--rounds 3]

Settings as in bench/load.py (DEBUG off, production middleware behind a TLS proxy header, token
auth, PostgreSQL with kept connections, Redis cache and broker, so the lockout, the throttles and
the task publish run as in production). One thread calls Django's WSGI handler directly, as gunicorn
would, N times (after a warm-up of 50) with a bench/load.py body, and prints the CPU time of this
process (time.process_time) per POST: the median and the best of its 50-POST batches (another
process's burst slows ours even in CPU time, through the caches and the other hyperthread), the
wall time beside it, and the Python function calls per POST (deterministic: the one figure a busy
machine does not move). `--profile` adds a cProfile of N more POSTs timed in CPU, the top `--top`
by cumulative and by own time (its overhead inflates the times).

`--against REV` runs this script against REV's code (a temporary git worktree) and this checkout,
alternately, `--rounds` times each, each run in its own process: before and after in one run.
Uses the database `sift_profile` (created and migrated when missing; a throw-away workspace named
profile-*, deleted at the end) and Redis db 13 on a private queue (its tasks are never consumed;
the queue is deleted at the end). Last line: `post_profile: CPU X ms per POST (...)`, or with
`--against` `post_profile: CPU per POST REV -> this checkout: ...`.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("POST_PROFILE_ROOT", HERE))
sys.path.insert(0, str(ROOT))
from production import ANSWERS, configure, drop_queues, ensure_database  # noqa: E402  (bench/, beside this file)

DATABASE_URL = os.environ.get("PROFILE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sift_profile")
REDIS_URL = os.environ.get("PROFILE_REDIS_URL", "redis://127.0.0.1:6379/13")
BATCH = 50
QUEUE = f"profile-{uuid.uuid4().hex[:8]}"
configure(database_url=DATABASE_URL, redis_url=REDIS_URL, queue=QUEUE)


def _environ(body: bytes, token: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/api/interviews/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _measure(n: int, profile: bool, top: int) -> tuple[float, float, float, float]:
    import django

    ensure_database(DATABASE_URL)
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from interviews.models import Interview, Segment, Workspace

    call_command("migrate", verbosity=0, interactive=False)
    tag = uuid.uuid4().hex[:8]
    workspace = Workspace.objects.create(name=f"profile-{tag}")
    user = get_user_model().objects.create_user(f"profile-{tag}")
    try:
        workspace.members.add(user)
        token = Token.objects.create(user=user).key
        slug = Segment.objects.create(workspace=workspace, name="Profile", slug=f"profile-{tag}").slug
        app = WSGIHandler()
        counter = iter(range(10**9))

        def post() -> None:
            i = next(counter)
            answers = {k: v.format(h=1 + i % 8, p=50 * (1 + i % 6)) for k, v in ANSWERS[0].items()}
            body = json.dumps({"segment": slug, "id": f"p{i}", "answers": answers}).encode()
            status: list[str] = []
            response = app(_environ(body, token), lambda s, h, exc_info=None: status.append(s))
            b"".join(response)
            response.close()
            if not status[0].startswith("201"):
                raise SystemExit(f"POST answered {status[0]}")

        for _ in range(50):
            post()
        # In batches of 50: on a shared machine another process's burst slows ours (caches, the
        # other hyperthread) even in CPU time; the median batch is steadier than the total.
        batches: list[tuple[float, float]] = []
        for start in range(0, n, BATCH):
            size = min(BATCH, n - start)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for _ in range(size):
                post()
            batches.append(((time.process_time() - cpu0) * 1000 / size, (time.perf_counter() - wall0) * 1000 / size))
        cpu, wall = statistics.median(b[0] for b in batches), statistics.median(b[1] for b in batches)
        best = min(b[0] for b in batches)
        # Python function calls per POST: deterministic, whatever else the machine runs.
        counter_profile = cProfile.Profile()
        counter_profile.enable()
        for _ in range(BATCH):
            post()
        counter_profile.disable()
        calls = pstats.Stats(counter_profile).total_calls / BATCH  # type: ignore[attr-defined]
        if profile:
            profiler = cProfile.Profile(time.process_time)  # CPU, not waits on the servers
            profiler.enable()
            for _ in range(n):
                post()
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(top)
            stats.sort_stats("tottime").print_stats(top)
            print(out.getvalue())
        return cpu, best, wall, calls
    finally:
        Interview.objects.filter(segment__workspace=workspace).delete()
        workspace.delete()
        user.delete()
        _drop_queue()


def _drop_queue() -> None:
    drop_queues(REDIS_URL, QUEUE)


def _line(cpu: float, best: float, wall: float, calls: float, n: int) -> str:
    return (
        f"CPU {cpu:.2f} ms per POST (median of {BATCH}-POST batches over {n}; best batch {best:.2f} ms; "
        f"wall {wall:.2f} ms), {calls:,.0f} Python calls per POST"
    )


def _run(root: Path, n: int) -> tuple[float, float, float]:
    """This script run in a subprocess against the code at root: CPU ms per POST, best batch, calls."""
    env = {**os.environ, "POST_PROFILE_ROOT": str(root)}
    result = subprocess.run([sys.executable, __file__, "-n", str(n)], env=env, capture_output=True, text=True,
                            cwd=root)  # fmt: skip
    if result.returncode:
        raise SystemExit(f"{root}: {result.stderr.strip()[-2000:]}")
    line = result.stdout.strip().splitlines()[-1]
    cpu = float(line.split("CPU ", 1)[1].split(" ", 1)[0])
    best = float(line.split("best batch ", 1)[1].split(" ", 1)[0])
    calls = float(line.split("), ", 1)[1].split(" ", 1)[0].replace(",", ""))
    return cpu, best, calls


def _against(rev: str, n: int, rounds: int) -> None:
    """REV (a temporary git worktree) and this checkout, alternately, each in its own process."""
    with tempfile.TemporaryDirectory(prefix="post-profile-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", str(tree), rev], check=True,
                       capture_output=True)  # fmt: skip
        try:
            before, after = [], []
            for r in range(rounds):
                before.append(_run(tree, n))
                after.append(_run(HERE, n))
                print(
                    f"round {r + 1}: before {before[-1][0]:.2f} ms (best batch {before[-1][1]:.2f}), "
                    f"after {after[-1][0]:.2f} ms (best batch {after[-1][1]:.2f})",
                    flush=True,
                )
        finally:
            subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(tree)], check=False)
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(
        f"post_profile: CPU per POST {rev} -> this checkout: median {statistics.median(b[0] for b in before):.2f} -> "
        f"{statistics.median(a[0] for a in after):.2f} ms, best batch {min(b[1] for b in before):.2f} -> "
        f"{min(a[1] for a in after):.2f} ms, Python calls {before[0][2]:,.0f} -> {after[0][2]:,.0f} "
        f"({rounds} rounds each)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=500, help="POSTs measured (after 50 to warm up)")
    parser.add_argument("--profile", action="store_true", help="cProfile the POSTs too")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--against", metavar="REV", help="measure REV first (before), then this checkout")
    parser.add_argument("--rounds", type=int, default=3, help="with --against: runs of each, alternately")
    args = parser.parse_args()
    if args.against:
        _against(args.against, args.n, args.rounds)
        return
    cpu, best, wall, calls = _measure(args.n, args.profile, args.top)
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"post_profile: {_line(cpu, best, wall, calls, args.n)}")


if __name__ == "__main__":
    main()
