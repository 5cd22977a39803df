"""Production settings come from the environment: `check --deploy` is clean under them, and a
deployment without a broker refuses to start instead of running tasks inside web requests."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The real settings module, as a deployment runs it; the checkout's .env (DEBUG on) never
    # overrides what the environment says.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SIFT_", "REDIS_URL"))}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "false", "REDIS_URL": ""})
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def setting(expression: str, **env: str) -> str:
    shown = manage("shell", "-c", f"from django.conf import settings as s; print({expression})", **env)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip().splitlines()[-1]


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "sift.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_check_deploy_is_clean_with_production_settings_from_the_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    for code in ("W004", "W008", "W012", "W016"):  # HSTS, SSL redirect, secure cookies
        assert code not in result.stdout + result.stderr


def test_the_environment_can_turn_https_off_for_a_local_plain_http_run():
    plain_http = {
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
    }
    shown = setting(
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS",
        **PRODUCTION,
        **plain_http,
    )
    assert shown == "False False False 0"


def test_without_a_broker_and_debug_off_it_refuses_to_start_with_a_clear_message():
    result = manage("check", **{**PRODUCTION, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "REDIS_URL must be set when DJANGO_DEBUG is off" in result.stderr
    assert "SIFT_TASKS_IN_PROCESS=true" in result.stderr


def test_in_process_tasks_in_production_only_when_asked_for_by_name():
    asked = {**PRODUCTION, "REDIS_URL": "", "SIFT_TASKS_IN_PROCESS": "true"}
    assert setting("s.CELERY_TASK_ALWAYS_EAGER", **asked) == "True"
    assert setting("s.CELERY_TASK_ALWAYS_EAGER", **PRODUCTION) == "False"
