"""Load: interviews posted to the API by many clients at once, then the time until the work is done.

    .venv/bin/python bench/load.py [--quick] [--clients N] [--seconds S]

Starts gunicorn (the app) and one Celery worker (concurrency 1) against the local PostgreSQL and
Redis, on private queues, with the database `sift_load` (created and migrated when missing) and a
throw-away workspace named load-*; then N clients (default 50; `--quick` 20) post interviews to
`/api/interviews/` on loopback for S seconds (default 60; `--quick` 20), each waiting for its answer
before the next (closed loop, bounded by the time). It prints how many were sent, stored and failed,
POST p50/p95, then waits (at most `--max-wait` seconds) until every stored interview is extracted
and every segment regrouped after its last interview, and prints those times beside the extraction
work alone (the sum of the interviews' extraction times: with one worker, the least the queue can
take). Ends with the line `load: S sent, T stored, E errors, POST p95 P ms, all extracted after X s`.
The processes it started are stopped and the workspace deleted also after an error or Ctrl-C.
The worker's session runs at CPU priority `--worker-nice` (default 19), behind the web, as the
stack's cpu_shares set it in a deployment. Traffic goes to 127.0.0.1 only. Targets (issue 14):
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
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from production import ANSWERS, configure, ensure_database  # noqa: E402  (bench/, beside this file)

DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sift_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
configure(database_url=DATABASE_URL, redis_url=REDIS_URL, queue=f"load-{uuid.uuid4().hex[:8]}")

import django  # noqa: E402

SEGMENTS = 3
PROXY = {"X-Forwarded-Proto": "https"}


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
    def __init__(self, port: int, token: str, slugs: list[str], until: float, n: int) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.slugs, self.until, self.n = port, token, slugs, until, n
        self.latencies: list[float] = []
        self.sent = self.errors = 0
        self.error_kinds: dict[str, int] = {}

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        i = 0
        while time.monotonic() < self.until:
            i += 1
            answers = {
                k: v.format(h=1 + (i + self.n) % 8, p=50 * (1 + i % 6)) for k, v in ANSWERS[(i + self.n) % 2].items()
            }
            body = json.dumps(
                {"segment": self.slugs[(i + self.n) % len(self.slugs)], "id": f"c{self.n}-{i}", "answers": answers}
            )
            headers = {**PROXY, "Authorization": f"Token {self.token}", "Content-Type": "application/json"}
            self.sent += 1
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/interviews/", body, headers)
                response = conn.getresponse()
                response.read()
                ok, kind = response.status == 201, str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                ok, kind = False, type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.latencies.append((time.perf_counter() - t0) * 1000)
            if not ok:
                self.errors += 1
                self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
        conn.close()


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
    parser.add_argument("--quick", action="store_true", help="20 clients for 20 s")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--max-wait", type=float, default=1800, help="seconds to wait for the work after the load")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=19,
        help="CPU priority of the worker's session (0: the web's; default 19, as the stack's cpu_shares)",
    )
    args = parser.parse_args()
    clients = args.clients or (20 if args.quick else 50)
    seconds = args.seconds or (20.0 if args.quick else 60.0)
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
    users = []
    web = worker = None
    try:
        slugs = []
        for s in range(SEGMENTS):
            slugs.append(Segment.objects.create(workspace=workspace, name=f"Load {s}", slug=f"load-{tag}-{s}").slug)
        tokens = []
        for n in range(clients):  # one account per client, as a team's PMs would post
            user = get_user_model().objects.create_user(f"load-{tag}-{n}")
            users.append(user.pk)
            workspace.members.add(user)
            tokens.append(Token.objects.create(user=user).key)
        queue = os.environ["CELERY_QUEUE"]
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
        print(f"load: {clients} clients for {seconds:.0f} s on 127.0.0.1:{port}; load average {os.getloadavg()[0]:.2f}")
        until = time.monotonic() + seconds
        threads = [Client(port, tokens[n], slugs, until, n) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        load_end = time.monotonic()
        latencies = [x for t in threads for x in t.latencies]
        sent = sum(t.sent for t in threads)
        errors = sum(t.errors for t in threads)
        kinds: dict[str, int] = {}
        for t in threads:
            for k, v in t.error_kinds.items():
                kinds[k] = kinds.get(k, 0) + v
        ours = Interview.objects.filter(segment__workspace=workspace)
        stored = ours.count()
        p50, p95 = statistics.median(latencies) if latencies else 0.0, _percentile(latencies, 95)
        print(f"sent {sent}, stored {stored}, errors {errors} {kinds or ''}".rstrip())
        print(f"POST p50 {p50:.0f} ms, p95 {p95:.0f} ms (target p95 ≤ 200 ms)")

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
        print(f"load average {os.getloadavg()[0]:.2f}")
        print(f"load: {sent} sent, {stored} stored, {errors} errors, POST p95 {p95:.0f} ms, all extracted after {x} s")
    finally:
        _stop(web)
        _stop(worker)
        from django.contrib.auth import get_user_model as users_model

        Interview.objects.filter(segment__workspace=workspace).delete()
        workspace.delete()
        users_model().objects.filter(pk__in=users).delete()


if __name__ == "__main__":
    main()
