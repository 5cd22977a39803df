"""Real services: Redis and a real `celery worker` process. CI always has them; locally they are optional."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/0")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def redis_url() -> str:
    if not _reachable(REDIS_URL):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have Redis at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL} (CI always runs this)")
    return REDIS_URL


def _database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    if s["ENGINE"].endswith("postgresql"):
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    pytest.skip(f"no worker URL for {s['ENGINE']}")


@pytest.fixture
def celery_worker_process(transactional_db, redis_url):
    """A real worker on a private queue, pointed at the test database; the app publishes to that queue."""
    from config.celery import app

    queue = f"sift-test-{os.getpid()}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=_database_url(),
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,  # tasks the worker itself enqueues (regrouping) stay on the private queue
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency=1",
            "--pool=prefork",
            "-Q",
            f"{queue},{queue}.regroup",  # extraction and its own regroup queue (config.celery.route_task)
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "broker_transport", "task_default_queue")}
    app.conf.update(
        task_always_eager=False,
        broker_url=redis_url,
        broker_transport="config.broker:Transport",  # as settings picks for a redis:// REDIS_URL
        task_default_queue=queue,
    )
    _drop_cached_connections(app)
    try:
        yield worker
    finally:
        app.conf.update(saved)
        _drop_cached_connections(app)
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        print(output[-5000:])


def _drop_cached_connections(app) -> None:
    # Earlier in-process tests may have built connection pools for the memory broker; Celery
    # caches them on the app, so a changed broker_url alone would still publish to memory.
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(predicate, timeout: float = 90.0, interval: float = 0.3) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
