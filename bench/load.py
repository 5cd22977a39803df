"""Load: interviews posted to the API by many clients at once, then the time until the work is done.

    .venv/bin/python bench/load.py [--quick] [--clients N] [--seconds S] [--rate R] [--saturation-seconds C]

Starts gunicorn (the app) and one Celery worker (concurrency 1) against the local PostgreSQL and
Redis, on private queues, with the database `sift_load` (created and migrated when missing) and a
throw-away workspace named load-*; then two phases, N clients (default 50; `--quick` 20) posting
interviews to `/api/interviews/` on loopback, each client with an account and a connection of its own:

1. Bounded, the target's figures (S seconds, default 60; `--quick` 20): each client sends R posts a
   second (`--rate`, default 2) on a fixed timetable, the clients' timetables staggered so the
   sends are evenly spread, whether or not the previous answer is back; a send whose slot came
   while the client still waited goes out as soon as it can. Each latency is measured from the
   send's slot on the timetable, not from when it went out, so a server that stalls is charged
   for every post queued behind the stall (no coordinated omission). It prints how many were sent,
   stored and failed, POST p50/p95, how many sends missed their slot, then waits (at most
   `--max-wait` seconds) until every stored interview is extracted and every segment regrouped
   after its last interview, and prints those times beside the extraction work alone (the sum of
   the interviews' extraction times: with one worker, the least the queue can take).
2. Saturation, the capacity (C seconds, default 20, at most S; 0 skips it): the same clients in a
   closed loop, each posting again the moment its answer arrives. Its POST/s is what the stack
   answers at most, and its latency is about clients / (POST/s): the capacity, not the cost of a
   save. Its interviews go to segments of their own; their extraction is not waited for (the
   queues are deleted at the end).

Then both phases side by side, and the last line, of the bounded phase:
`load: S sent, T stored, E errors, POST p95 P ms, all extracted after X s`.

Why 2 posts a second per client: a PM saves an interview after a call, at most a few an hour, so
each client stands for a crowd of PMs, and 50 clients offer 100 POST/s (`--quick`: 20 x 2 = 40/s),
several thousand interviews a minute, far past any team's use, yet below saturation: the closed
loop answered 120 to 165 POST/s on these 2 shared cores (the saturation phase prints it beside,
so a reader sees how near the bounded rate is). The latency then is one save plus the ordinary
queueing of a busy server, which is what p95 ≤ 200 ms asks of "the save does nothing but write and
enqueue". With `--rate 0` the first phase is today's closed loop (and the saturation phase, the
same, is skipped).

The processes it started are stopped, the queues and the workspace deleted also after an error or
Ctrl-C. The worker's session runs at CPU priority `--worker-nice` (default 19), behind the web, as
the stack's cpu_shares set it in a deployment. Traffic goes to 127.0.0.1 only. Targets (issue 14):
p95 ≤ 200 ms, 0 errors, stored = sent, extracted and regrouped within 2x the extraction work.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from production import ANSWERS, configure, drop_queues, ensure_database  # noqa: E402  (bench/, beside this file)

DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sift_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
configure(database_url=DATABASE_URL, redis_url=REDIS_URL, queue=f"load-{uuid.uuid4().hex[:8]}")

import django  # noqa: E402

SEGMENTS = 3
PROXY = {"X-Forwarded-Proto": "https"}
TARGET_P95_MS = 200
# A send this much past its slot missed it: the client was still waiting for the previous answer
# (or its thread was not scheduled in time); the latency counts the wait either way.
LATE_MS = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on {port} within {seconds} s")


def _warm_up(port: int, token: str, requests: int = 16) -> None:
    """Each gunicorn worker imports the app on its first request: not what the load measures."""
    for _ in range(requests):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", "/api/segments/", headers={**PROXY, "Authorization": f"Token {token}"})
        conn.getresponse().read()
        conn.close()


class Client(threading.Thread):
    """One client's posts: on a timetable from `start` every 1/rate s, or with rate 0 each on the last's answer."""

    def __init__(
        self, port: int, token: str, slugs: list[str], n: int, start: float, until: float, rate: float, tag: str
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.slugs, self.n, self.tag = port, token, slugs, n, tag
        self.start_at, self.until, self.rate = start, until, rate
        self.latencies: list[float] = []
        self.sent = self.errors = self.late = 0
        self.error_kinds: dict[str, int] = {}

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        time.sleep(max(0.0, self.start_at - time.perf_counter()))  # a closed loop starts with the clock too
        i = 0
        while True:
            if self.rate:
                slot = self.start_at + i / self.rate
                if slot >= self.until:
                    break
                wait = slot - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                elif -wait * 1000 > LATE_MS:
                    self.late += 1
            else:
                slot = time.perf_counter()
                if slot >= self.until:
                    break
            i += 1
            answers = {
                k: v.format(h=1 + (i + self.n) % 8, p=50 * (1 + i % 6)) for k, v in ANSWERS[(i + self.n) % 2].items()
            }
            body = json.dumps(
                {
                    "segment": self.slugs[(i + self.n) % len(self.slugs)],
                    "id": f"{self.tag}{self.n}-{i}",
                    "answers": answers,
                }
            )
            headers = {**PROXY, "Authorization": f"Token {self.token}", "Content-Type": "application/json"}
            self.sent += 1
            try:
                conn.request("POST", "/api/interviews/", body, headers)
                response = conn.getresponse()
                response.read()
                ok, kind = response.status == 201, str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                ok, kind = False, type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            # From the slot, not from the send: a post that waited behind a slow answer was slow too.
            self.latencies.append((time.perf_counter() - slot) * 1000)
            if not ok:
                self.errors += 1
                self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
        conn.close()


@dataclass
class Phase:
    name: str
    clients: int
    rate: float
    seconds: float  # from the first slot until the window's end or the last answer, the later
    latencies: list[float]
    sent: int
    errors: int
    late: int
    kinds: dict[str, int] = field(default_factory=dict)
    stored: int = 0

    @property
    def per_second(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0

    @property
    def p95(self) -> float:
        return _percentile(self.latencies, 95)


def _run_phase(port: int, tokens: list[str], slugs: list[str], seconds: float, rate: float, tag: str) -> Phase:
    clients = len(tokens)
    # Starts a little ahead, so every thread is waiting for its first slot when the clock starts.
    start = time.perf_counter() + 0.5
    until = start + seconds
    # Client n's timetable is offset by n / (clients x rate): the sends of all clients evenly spaced.
    threads = [
        Client(port, tokens[n], slugs, n, start + (n / (clients * rate) if rate else 0), until, rate, tag)
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kinds: dict[str, int] = {}
    for t in threads:
        for k, v in t.error_kinds.items():
            kinds[k] = kinds.get(k, 0) + v
    return Phase(
        name="bounded" if rate else "closed loop",
        clients=clients,
        rate=rate,
        # A timetable's last answer may come before its window ends: the rate is over the window.
        seconds=max(time.perf_counter(), until) - start,
        latencies=[x for t in threads for x in t.latencies],
        sent=sum(t.sent for t in threads),
        errors=sum(t.errors for t in threads),
        late=sum(t.late for t in threads),
        kinds=kinds,
    )


def _print_phase(phase: Phase) -> None:
    print(f"sent {phase.sent}, stored {phase.stored}, errors {phase.errors} {phase.kinds or ''}".rstrip())
    print(f"POST p50 {phase.p50:.0f} ms, p95 {phase.p95:.0f} ms (target p95 ≤ {TARGET_P95_MS} ms)")
    if phase.rate:
        print(
            f"{phase.per_second:.1f} POST/s answered of {phase.clients * phase.rate:.0f} offered; "
            f"{phase.late} of {phase.sent} sends missed their slot by more than {LATE_MS} ms "
            "(the wait is in their latency)"
        )
    else:
        print(f"{phase.per_second:.1f} POST/s answered (closed loop: the capacity)")


def _side_by_side(phases: list[Phase]) -> None:
    def label(p: Phase) -> str:
        return f"bounded, {p.clients} x {p.rate:g}/s" if p.rate else f"closed loop, {p.clients} clients"

    rows = [
        ("", [label(p) for p in phases]),
        ("seconds", [f"{p.seconds:.1f}" for p in phases]),
        ("POST/s offered", [f"{p.clients * p.rate:.0f}" if p.rate else "as answered" for p in phases]),
        ("POST/s answered", [f"{p.per_second:.1f}" for p in phases]),
        ("sent / stored", [f"{p.sent} / {p.stored}" for p in phases]),
        ("errors", [str(p.errors) for p in phases]),
        ("POST p50", [f"{p.p50:.0f} ms" for p in phases]),
        ("POST p95", [f"{p.p95:.0f} ms" for p in phases]),
        (f"p95 ≤ {TARGET_P95_MS} ms", ["met" if p.p95 <= TARGET_P95_MS else "not met" for p in phases]),
    ]
    width = max(len(c) for _, cells in rows for c in cells) + 3
    for name, cells in rows:
        print(f"{name:<18}" + "".join(f"{c:<{width}}" for c in cells).rstrip())


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _stop(proc: subprocess.Popen | None) -> None:
    """Stop a process this script started (and its children: gunicorn's and celery's workers)."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 clients, 20 s per phase")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--seconds", type=float, help="of the bounded phase (default 60; --quick 20)")
    parser.add_argument(
        "--rate", type=float, default=2.0, help="posts a second per client in the bounded phase (0: closed loop)"
    )
    parser.add_argument(
        "--saturation-seconds",
        type=float,
        help="of the closed-loop phase after it (default 20, at most --seconds; 0: none)",
    )
    parser.add_argument("--max-wait", type=float, default=1800, help="seconds to wait for the work after the load")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=19,
        help="CPU priority of the worker's session (0: the web's; default 19, as the stack's cpu_shares)",
    )
    args = parser.parse_args()
    if args.rate < 0:
        parser.error("--rate must be 0 (closed loop) or more")
    clients = args.clients or (20 if args.quick else 50)
    seconds = args.seconds or (20.0 if args.quick else 60.0)
    saturation = min(20.0, seconds) if args.saturation_seconds is None else args.saturation_seconds
    if not args.rate:
        saturation = 0.0  # the first phase is the closed loop already
    signal.signal(signal.SIGTERM, lambda signum, frame: (_ for _ in ()).throw(SystemExit(128 + signum)))

    ensure_database(DATABASE_URL)
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import F, Max, Sum
    from rest_framework.authtoken.models import Token

    from insights.models import RegroupRequest
    from interviews.models import ExtractionStatus, Interview, Segment, Workspace

    call_command("migrate", verbosity=0, interactive=False)
    tag = uuid.uuid4().hex[:8]
    workspace = Workspace.objects.create(name=f"load-{tag}")
    queue = os.environ["CELERY_QUEUE"]
    users = []
    web = worker = None
    try:
        # Each phase posts into segments of its own: the bounded phase's counts, extraction and
        # regroups are its own, whatever the saturation phase leaves queued.
        bounded_segments = [
            Segment.objects.create(workspace=workspace, name=f"Load {s}", slug=f"load-{tag}-{s}")
            for s in range(SEGMENTS)
        ]
        saturation_segments = [
            Segment.objects.create(workspace=workspace, name=f"Saturation {s}", slug=f"load-{tag}-sat-{s}")
            for s in range(SEGMENTS)
        ]
        tokens = []
        for n in range(clients):  # one account per client, as a team's PMs would post
            user = get_user_model().objects.create_user(f"load-{tag}-{n}")
            users.append(user.pk)
            workspace.members.add(user)
            tokens.append(Token.objects.create(user=user).key)
        # The worker's warnings and failures (a regroup that gave up, say) are kept for a look after.
        worker_log = Path(tempfile.gettempdir()) / f"{queue}-worker.log"
        print(f"worker log: {worker_log}")
        worker = subprocess.Popen(
            [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--concurrency=1", "--loglevel=WARNING",
             "-Q", f"{queue},{queue}.regroup", "-n", f"{queue}@%h", "--logfile", str(worker_log)],
            cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        # Extraction is background work and a POST is a person waiting, so the worker yields the CPU to
        # the web, as docker-compose.yml's cpu_shares do in a deployment. Linux groups CPU time by
        # session (autogroup): the worker runs in a session of its own, so its nice value would only
        # rank it against itself; its session's weight is what sets it behind the web.
        autogroup = Path(f"/proc/{worker.pid}/autogroup")
        if args.worker_nice and autogroup.exists():
            autogroup.write_text(str(args.worker_nice))
        print(f"worker session: {autogroup.read_text().strip() if autogroup.exists() else 'no autogroup'}")
        port = _free_port()
        web = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2",
             "--threads", "8", "--log-level", "warning"],
            cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_http(port, web)
        _warm_up(port, tokens[0])

        if args.rate:
            how = f"each {args.rate:g} posts/s on a timetable ({clients * args.rate:g} POST/s offered)"
        else:
            how = "in a closed loop (each posts again on its answer)"
        print(
            f"load: {clients} clients {how} for {seconds:.0f} s on 127.0.0.1:{port}; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        bounded = _run_phase(port, tokens, [s.slug for s in bounded_segments], seconds, args.rate, "b")
        load_end = time.monotonic()
        ours = Interview.objects.filter(segment__in=bounded_segments)
        bounded.stored = ours.count()
        _print_phase(bounded)

        extracted_after = regrouped_after = None
        deadline = load_end + args.max_wait
        while time.monotonic() < deadline:
            waiting = ours.exclude(status__in=[ExtractionStatus.DONE, ExtractionStatus.FAILED]).count()
            if waiting == 0 and extracted_after is None:
                extracted_after = time.monotonic() - load_end
            if extracted_after is not None:
                last = ours.values("segment_id").annotate(last=Max("updated_at"))
                stale = 0
                for row in last:
                    req = RegroupRequest.objects.filter(segment_id=row["segment_id"]).first()
                    if req is None or req.regrouped_at is None or req.regrouped_at < req.requested_at:
                        stale += 1
                if stale == 0:
                    regrouped_after = time.monotonic() - load_end
                    break
            time.sleep(1)
        work = (
            ours.exclude(extraction_finished_at=None).aggregate(
                s=Sum(F("extraction_finished_at") - F("extraction_started_at"))
            )["s"]
            or timedelta()
        )
        failed = ours.filter(status=ExtractionStatus.FAILED).count()
        x = f"{extracted_after:.1f}" if extracted_after is not None else f"> {args.max_wait:.0f} (not all)"
        r = f"{regrouped_after:.1f} s" if regrouped_after is not None else f"not within {args.max_wait:.0f} s"
        print(f"extraction work alone {work.total_seconds():.1f} s (target: done within 2x that); failed {failed}")
        print(f"all extracted {x} s after the load; all segments regrouped {r} after the load")

        phases = [bounded]
        if saturation:
            print(
                f"saturation: {clients} clients in a closed loop (each posts again on its answer) for "
                f"{saturation:.0f} s; load average {os.getloadavg()[0]:.2f}"
            )
            closed = _run_phase(port, tokens, [s.slug for s in saturation_segments], saturation, 0, "s")
            closed.stored = Interview.objects.filter(segment__in=saturation_segments).count()
            _print_phase(closed)
            print("(its extraction is not waited for: the capacity is the POSTs')")
            phases.append(closed)
        print()
        _side_by_side(phases)
        print()
        print(f"load average {os.getloadavg()[0]:.2f}")
        print(
            f"load: {bounded.sent} sent, {bounded.stored} stored, {bounded.errors} errors, "
            f"POST p95 {bounded.p95:.0f} ms, all extracted after {x} s"
        )
    finally:
        _stop(web)
        _stop(worker)
        drop_queues(REDIS_URL, queue)  # the saturation phase's tasks are never all run
        from django.contrib.auth import get_user_model as users_model

        Interview.objects.filter(segment__workspace=workspace).delete()
        workspace.delete()
        users_model().objects.filter(pk__in=users).delete()


if __name__ == "__main__":
    main()
