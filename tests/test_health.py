"""/healthz answers for the database and the broker (issue 14, item 13)."""

import pytest

from tests.integration.conftest import REDIS_URL, _reachable


@pytest.fixture
def broker(settings):
    """Point the Celery app at a broker URL for one test, as a deployment with REDIS_URL would."""
    from config.celery import app

    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url")}

    def use(url: str) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.update(task_always_eager=False, broker_url=url)
        app._pool = None

    yield use
    app.conf.update(saved)
    app._pool = None


def test_healthy_without_a_broker_says_tasks_run_in_process(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}
    assert "no-cache" in response["Cache-Control"]


def test_a_broker_that_does_not_answer_is_a_503_naming_it(client, db, broker):
    broker("redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}
    assert "127.0.0.1" not in response.content.decode()  # which part, never where


def test_a_database_that_does_not_answer_is_a_503_naming_it(client, db, monkeypatch):
    from types import SimpleNamespace

    from django.db import OperationalError

    def down(*_args, **_kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("config.health.connection", SimpleNamespace(cursor=down))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_a_live_redis_broker_is_ok(client, db, broker):
    if not _reachable(REDIS_URL):
        pytest.skip(f"no Redis at {REDIS_URL} (CI always runs this)")
    broker(REDIS_URL)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["broker"] == "ok"


def test_the_probe_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/login/").status_code == 301
