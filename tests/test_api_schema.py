"""The API answers as its OpenAPI schema says (issue 14, item 14), checked by schemathesis.

Every operation of `/api/schema/` is called with generated requests, valid ones and invalid ones,
on a workspace with a segment, an interview, themes and mentions, so detail routes reach real rows
as well as missing ones. Each request runs in a savepoint that is rolled back: a generated DELETE of
the segment leaves the next request its data. No 5xx, and no response that the schema does not
describe (status code, content type, headers, body).
"""

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from insights.models import MentionKind, Severity
from tests.factories import InterviewFactory, SegmentFactory, UserFactory, WorkspaceFactory
from tests.insights.factories import MentionFactory, ThemeFactory

# Examples per operation and generation mode: 21 documented operations x 2 modes x 50 is about 2,100 requests.
EXAMPLES = 50
MIN_REQUESTS = 2000


# Bodies and parameters the schema allows can still break a rule it cannot state; a 400 that names the
# rule is then the right answer, so on these operations "schema-valid request rejected" is not checked
# (every other check is, and a 400 must still be a documented JSON error).
RULES_BEYOND_THE_SCHEMA = {
    "POST /api/segments/": "a unique slug; the target mix adds up to 100; minimums under maximums; cost >= 0",
    "PUT /api/segments/{slug}/": "the target mix adds up to 100; minimums under maximums; cost >= 0",
    "PATCH /api/segments/{slug}/": "the target mix adds up to 100; minimums under maximums; cost >= 0",
    "GET /api/segments/{slug}/matrix/": "theme and kind only with mentions=1 in CSV or md; a theme of the segment",
    "POST /api/interviews/": "the segment is one of your workspaces'; an answer or notes",
    "PUT /api/interviews/{id}/": "an answer or notes",
    "PATCH /api/interviews/{id}/": "an answer or notes",
    "PATCH /api/mentions/{id}/": "the span inside its answer; a theme of the same segment and kind",
    "POST /api/mentions/review/": "ids of mentions in your workspaces",
    "POST /api/themes/{id}/merge/": "sources are themes of the same segment and kind in your workspaces",
    "POST /api/themes/split/": "mentions of one theme in your workspaces",
    "PATCH /api/themes/{id}/": "a name no other theme of the segment has",
}


@pytest.fixture
def rows(db) -> dict[str, Any]:
    user = UserFactory(is_superuser=True)  # every write permission: the checks are about shape, not roles
    ws = WorkspaceFactory()
    ws.members.add(user)
    segment = SegmentFactory(workspace=ws, slug="fleet")
    interview = InterviewFactory(segment=segment)
    pain = ThemeFactory(segment=segment, key="reporting")
    other = ThemeFactory(segment=segment, key="compliance")
    mention = MentionFactory(interview=interview, theme=pain, severity=Severity.HIGH, hours_per_week=3)
    MentionFactory(interview=interview, theme=other)
    MentionFactory(interview=interview, kind=MentionKind.WTP, wtp_min=100, wtp_max=100, wtp_period="month")
    return {
        "auth": {"Authorization": f"Token {Token.objects.create(user=user).key}"},
        # The real rows a path parameter can name, beside the generated ones that name nothing.
        "path": {"slug": segment.slug, "id": str(interview.pk), "mention": str(mention.pk), "theme": str(pain.pk)},
    }


def _real_path(operation: Any, rows: dict[str, Any]) -> dict[str, str] | None:
    names = [p.name for p in operation.path_parameters]
    if not names:
        return None
    path = operation.path
    values = {"slug": rows["path"]["slug"]}
    if "id" in names:
        key = "mention" if path.startswith("/api/mentions/") else "theme" if path.startswith("/api/themes/") else "id"
        values["id"] = rows["path"][key]
    return {n: values[n] for n in names if n in values}


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, as schemathesis calls it in-process, on the test's own database connection.

    The handler closes the connection at each request's start and end; Django's test client switches
    that off for its requests, and so does this (the test's transaction holds the rows).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _fuzz(operation: Any, mode: GenerationMode, rows: dict[str, Any], failures: list[str]) -> int:
    """EXAMPLES generated requests to one operation, each in a rolled-back savepoint; returns how many were sent."""
    strategy = operation.as_strategy(generation_mode=mode)
    real = _real_path(operation, rows)
    if real:
        strategy = st.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters=real))
    excluded = [positive_data_acceptance] if operation.label in RULES_BEYOND_THE_SCHEMA else []
    sent = 0

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def run(case: Any) -> None:
        nonlocal sent
        # The throttles' counters start afresh: thousands of requests a minute are this test's, not a client's.
        cache.clear()
        with transaction.atomic():
            response = case.call(headers=rows["auth"])
            sent += 1
            try:
                case.validate_response(response, headers=rows["auth"], excluded_checks=excluded)
            except (AssertionError, BaseExceptionGroup) as exc:  # collected: every failing operation
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
            transaction.set_rollback(True)

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (no body, no parameters): the positive run covers it
        assert mode == GenerationMode.NEGATIVE, operation.label
    return sent


@pytest.mark.django_db
def test_api_answers_as_its_schema_says(rows, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    failures: list[str] = []
    sent = sum(
        _fuzz(result.ok(), mode, rows, failures)
        for result in schema.get_all_operations()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    )
    if failures and (report := os.environ.get("SCHEMA_REPORT")):
        Path(report).write_text("\n\n".join(failures))
    assert not failures, "\n\n".join(failures)
    assert sent >= MIN_REQUESTS


# The three findings of the issue, each on its own (fast, and named when they come back).


def test_a_created_segment_carries_its_interview_count(api, workspace):
    response = api.post("/api/segments/", {"name": "Fleet", "slug": "fleet"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["interview_count"] == 0


def test_every_operation_documents_its_errors(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "429"} <= codes, (method, path, codes)
            if "{" in path:
                assert "404" in codes, (method, path, codes)
            if method in ("post", "put", "patch"):
                assert "400" in codes, (method, path, codes)


@pytest.mark.parametrize(
    "path", ["/api/mentions/review.json", "/api/themes/split.json", "/api/themes/{theme}/merge.json"]
)
def test_format_suffix_routes_of_the_actions_answer(api, user, segment, path):
    user.is_superuser = True
    user.save()
    theme = ThemeFactory(segment=segment)
    response = api.post(path.format(theme=theme.pk), {}, format="json")
    assert response.status_code == 400  # the body is missing: a message, not a 500
