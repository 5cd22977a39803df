"""/healthz: can this process reach what it needs? For the orchestrator and `make stack`.

Public and cheap (no session, no template): 200 when the database and the broker answer, 503 with
the part that failed otherwise. It says which part, never the error's text (no hosts or URLs leak).
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure is "down"; the log has the details
        logger.exception("healthz: database unreachable")
        return "unavailable"
    return "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"  # no broker to reach: tasks run inside the request (DEBUG or by name)
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception:  # likewise
        logger.exception("healthz: broker unreachable")
        return "unavailable"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "broker": _broker()}
    healthy = "unavailable" not in checks.values()
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
