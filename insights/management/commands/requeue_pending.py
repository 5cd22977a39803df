from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from insights.tasks import requeue_stuck


class Command(BaseCommand):
    help = (
        "Queue extraction of interviews left pending (their task was lost, e.g. the broker was down at save) "
        "or claimed by a worker that died, and regroups asked for but never run. What celery beat does on "
        "its own every SIFT_SWEEP_EVERY seconds; run it where there is no beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=settings.SIFT_REQUEUE_AFTER,
            metavar="SECONDS",
            help="only interviews pending for at least this long (default SIFT_REQUEUE_AFTER, %(default)s s); "
            "0 after a broker outage",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = requeue_stuck(older_than_seconds=options["older_than"])
        unsent = counts["interviews_found"] - counts["interviews"]
        if unsent:
            raise CommandError(
                f"{unsent} of {counts['interviews_found']} interview(s) could not be queued: the broker is "
                "unreachable (check REDIS_URL and that Redis is up), then run this again"
            )
        self.stdout.write(
            f"queued {counts['interviews']} interview(s) for extraction and {counts['regroups']} segment regroup(s)"
        )
