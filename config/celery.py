import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("sift")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REGROUP_TASK = "insights.tasks.regroup_segment"


def regroup_queue() -> str:
    """The regroup queue is named after the default queue, so a private default queue (a test, a
    bench) keeps its regroups private too."""
    return f"{app.conf.task_default_queue}.regroup"


def route_task(name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **_kw: Any) -> dict | None:
    if name == REGROUP_TASK:
        return {"queue": regroup_queue()}
    return None


@worker_process_init.connect
def warm_nlp(**_kwargs: object) -> None:
    # Load the spaCy pipeline once per worker process, before the first task, so the first
    # interview does not pay the load time: the very copy the tasks use. Web processes never load it.
    from insights.services import nlp_load

    nlp_load()
