"""`make stack`: docker-compose.yml's processes without Docker, against the local PostgreSQL and Redis.

web (gunicorn), worker (extraction and regroup queues), beat (the sweep) and flower, with DEBUG
off as in production but over plain HTTP on 127.0.0.1. The database is created if it is missing,
then migrated. The stack is up when /healthz answers 200; this prints "stack: up" then. Ctrl-C
(or SIGTERM) stops every process; if one of them dies, the others are stopped and this exits 1.

Environment (all optional): STACK_DATABASE_URL (postgres://postgres@127.0.0.1:5432/sift_stack),
STACK_REDIS_URL (redis://127.0.0.1:6379/0), STACK_PORT (8000), STACK_FLOWER_PORT (5555),
CELERY_QUEUE (celery) and DJANGO_SECRET_KEY (else the checkout's .env supplies it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DATABASE_URL=os.environ.get("STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sift_stack"),
        REDIS_URL=os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/0"),
        # Production settings, but the local stack speaks plain HTTP: no redirect, no secure-only cookies.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SESSION_COOKIE_SECURE="false",
        DJANGO_CSRF_COOKIE_SECURE="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("CELERY_QUEUE", "celery")
    return env


def _create_database(url: str) -> None:
    """CREATE DATABASE when it is missing (the compose file's postgres service does this itself)."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg

    name = parsed.path.lstrip("/")
    server = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')  # a name from our own setting, quoted
            print(f"stack: created database {name}", flush=True)


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def processes(env: dict[str, str]) -> dict[str, list[str]]:
    port, flower_port, queue = (
        os.environ.get("STACK_PORT", "8000"),
        os.environ.get("STACK_FLOWER_PORT", "5555"),
        env["CELERY_QUEUE"],
    )
    celery = [str(BIN / "celery"), "-A", "config"]
    return {
        "web": [str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--access-logfile", "-"],
        # Extraction and its own regroup queue (config.celery.route_task), as in docker-compose.yml.
        "worker": [*celery, "worker", "-Q", f"{queue},{queue}.regroup", "--concurrency=1", "--loglevel=info"],
        "beat": [*celery, "beat", "--loglevel=info", "-s", str(beat_schedule(port))],
        "flower": [*celery, "flower", f"--port={flower_port}", "--address=127.0.0.1"],
    }


def beat_schedule(port: str) -> Path:
    # Beat's record of when each periodic task last ran: per stack (port), outside the checkout.
    return Path(tempfile.gettempdir()) / f"sift-stack-beat-{port}"


def _healthy(port: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _behind_the_web(pid: int) -> None:
    """Extraction is background work and a request is a person waiting: the worker's session gets
    the lowest CPU weight, as docker-compose.yml's cpu_shares. Linux weighs CPU by session
    (autogroup), so the worker's own nice value would only rank it against itself."""
    try:
        Path(f"/proc/{pid}/autogroup").write_text("19")
    except OSError:
        print("stack: the worker runs at the web's CPU priority (no autogroup here)", flush=True)


def main() -> int:
    env = _env()
    _create_database(env["DATABASE_URL"])
    _manage(env, "migrate", "--noinput")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    running: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for name, command in processes(env).items():
        # Each in its own process group, so stopping one never signals this script or another.
        running[name] = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        print(f"stack: {name} started (pid {running[name].pid})", flush=True)
        if name == "worker":
            _behind_the_web(running[name].pid)
    port = os.environ.get("STACK_PORT", "8000")
    up = False
    failed = ""
    while not stopping:
        failed = next((name for name, proc in running.items() if proc.poll() is not None), "")
        if failed:
            print(f"stack: {failed} exited ({running[failed].returncode}); stopping the others", flush=True)
            break
        if not up and _healthy(port):
            up = True
            print(
                f"stack: up — http://127.0.0.1:{port}/ (flower on :{os.environ.get('STACK_FLOWER_PORT', '5555')})",
                flush=True,
            )
        time.sleep(0.5)
    for proc in running.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for name, proc in running.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"stack: {name} did not stop, killing it", flush=True)
            proc.kill()
            proc.wait()
    for leftover in beat_schedule(port).parent.glob(beat_schedule(port).name + "*"):
        leftover.unlink(missing_ok=True)
    print("stack: stopped", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
