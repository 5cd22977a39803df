import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("sift")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def warm_nlp(**_kwargs: object) -> None:
    # Load the spaCy pipeline once per worker process, before the first task, so the
    # first interview does not pay the load time. Web processes never import it.
    from insights.extraction.pipeline import get_nlp

    get_nlp()
