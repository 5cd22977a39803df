import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from insights.selectors import mention_export_rows
from interviews.models import Segment


class Command(BaseCommand):
    help = "Print a segment's insights: the pain-point matrix, or with --mentions every mention."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--segment", required=True, help="segment slug")
        parser.add_argument("--workspace", default=None, help="workspace name, when the slug is in several")
        parser.add_argument("--format", choices=["json", "csv", "md"], default="json")
        parser.add_argument("--mentions", action="store_true", help="every mention instead of the matrix")

    def handle(self, *args: Any, **options: Any) -> None:
        segments = Segment.objects.filter(slug=options["segment"])
        if options["workspace"]:
            segments = segments.filter(workspace__name=options["workspace"])
        if segments.count() > 1:
            raise CommandError(f"segment {options['segment']!r} exists in several workspaces; pass --workspace")
        segment = segments.first()
        if segment is None:
            raise CommandError(f"no segment with slug {options['segment']!r}")
        if options["mentions"] and options["format"] == "json":
            self.stdout.write(json.dumps({"interviews": list(mention_export_rows(segment=segment))}, indent=1))
            return
        raise CommandError("only --mentions --format json is available so far")
