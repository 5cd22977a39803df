"""docker-compose.yml runs the whole stack and passes on the README's variables (issue 14, item 13)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = ("web", "worker", "beat", "flower")


def readme_variables() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_every_part_of_the_stack_is_there_with_a_health_check():
    assert set(COMPOSE["services"]) == {"web", "worker", "beat", "flower", "postgres", "redis"}
    for name, service in COMPOSE["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert "/healthz" in str(COMPOSE["services"]["web"]["healthcheck"]["test"])
    assert "gunicorn" in COMPOSE["services"]["web"]["command"]


def test_the_worker_serves_the_regroup_queue_too():
    command = COMPOSE["services"]["worker"]["command"]
    assert "-Q celery,celery.regroup" in command


def test_the_worker_yields_the_cpu_to_the_web():
    # Docker's default weight is 1024: a busy worker must not slow the requests people wait on.
    services = COMPOSE["services"]
    assert services["worker"].get("cpu_shares", 1024) < services["web"].get("cpu_shares", 1024)


def test_data_lives_in_named_volumes():
    named = set(COMPOSE["volumes"])
    for service, volume in (("postgres", "pgdata"), ("redis", "redisdata"), ("beat", "beat")):
        mounts = COMPOSE["services"][service]["volumes"]
        assert any(mount.split(":")[0] == volume for mount in mounts) and volume in named


def test_the_app_services_get_every_variable_the_readme_lists():
    # In-process tasks make no sense beside a Redis service; every other variable is passed on.
    expected = readme_variables() - {"SIFT_TASKS_IN_PROCESS"}
    assert len(expected) > 15
    for name in APP_SERVICES:
        environment = set(COMPOSE["services"][name]["environment"])
        assert expected <= environment, f"{name} lacks {sorted(expected - environment)}"
        assert COMPOSE["services"][name]["depends_on"]["postgres"]["condition"] == "service_healthy"
