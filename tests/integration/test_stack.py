"""`make stack` starts docker-compose.yml's processes on this machine: an interview posted to its
gunicorn is extracted by its worker, flower answers, and Ctrl-C (SIGTERM) stops every process."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.integration.conftest import REDIS_URL, _reachable, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.skipif(shutil.which("make") is None, reason="needs make")]

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("STACK_POSTGRES_FOR_TESTS", "postgres://postgres@127.0.0.1:5432")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


def _post_json(url: str, body: dict, **headers: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {"error": exc.read().decode()[:2000]}


@pytest.fixture
def stack_env():
    parsed = urlparse(POSTGRES)
    if not _reachable(f"redis://{urlparse(REDIS_URL).netloc}") or not _reachable_pg(parsed):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have PostgreSQL and Redis on 127.0.0.1")
        pytest.skip("needs the local PostgreSQL and Redis (CI always runs this)")
    name = f"sift_stack_test_{os.getpid()}"
    port, flower = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        STACK_DATABASE_URL=f"{POSTGRES}/{name}",
        STACK_REDIS_URL=REDIS_URL,
        STACK_PORT=str(port),
        STACK_FLOWER_PORT=str(flower),
        CELERY_QUEUE=f"sift-stack-test-{os.getpid()}",  # a private queue: no other worker takes its tasks
        DJANGO_SECRET_KEY="stack-test-" + "x" * 50,
        SIFT_REGROUP_DEBOUNCE="0.5",
    )
    yield env, port, flower
    _drop_database(name)


def _reachable_pg(parsed) -> bool:
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), timeout=1).close()
    except OSError:
        return False
    return True


def _drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(env: dict, code: str) -> str:
    run_env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "false"}
    run_env.update(DATABASE_URL=env["STACK_DATABASE_URL"], REDIS_URL=env["STACK_REDIS_URL"])
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=run_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


SET_UP = """
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from interviews.models import Segment, Workspace
user = User.objects.create_user("stack-pm", password="not-used-here-0")
ws = Workspace.objects.create(name="Stack test")
ws.members.add(user)
Segment.objects.create(workspace=ws, name="Finance leads", slug="finance-leads")
print(Token.objects.create(user=user).key)
"""


def test_make_stack_runs_web_worker_beat_and_flower_and_stops_them_all(stack_env):
    env, port, flower = stack_env
    stack = subprocess.Popen(
        ["make", "--no-print-directory", "stack"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    up = threading.Event()

    def drain() -> None:
        # Read everything the stack prints, all the time: a full pipe would block its processes.
        for line in stack.stdout:
            lines.append(line)
            if "stack: up" in line:
                up.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()

    base = f"http://127.0.0.1:{port}"
    try:
        assert up.wait(180), "".join(lines[-80:])
        started = "".join(lines)
        for name in ("web", "worker", "beat", "flower"):
            assert f"stack: {name} started" in started
        status, body = _get(f"{base}/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok", "broker": "ok"})
        assert wait_for(lambda: _get(f"http://127.0.0.1:{flower}/")[0] == 200, timeout=60)

        token = _manage(env, SET_UP)
        auth = {"Authorization": f"Token {token}"}
        status, created = _post_json(
            f"{base}/api/interviews/",
            {
                "segment": "finance-leads",
                "participant": {"name": "Rosa", "usage": "nothing"},
                "answers": {
                    "whats_broken": "Month-end reconciliation is a nightmare and we keep missing errors.",
                    "time_spent": "About 6 hours a week.",
                },
            },
            **auth,
        )
        assert status == 201, created
        url = f"{base}/api/interviews/{created['pk']}/"

        def extracted() -> bool:
            code, body = _get(url, **auth)
            return code == 200 and json.loads(body)["status"] == "done"

        assert wait_for(extracted, timeout=180), "".join(lines[-80:])
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait()
        reader.join(timeout=10)
    output = "".join(lines)
    assert "stack: stopped" in output, output[-5000:]
    assert "did not stop" not in output
    assert _get(f"{base}/healthz")[0] == 0  # gunicorn is gone
    assert _get(f"http://127.0.0.1:{flower}/")[0] == 0  # and flower
