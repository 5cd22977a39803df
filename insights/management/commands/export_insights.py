import os
import sys
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from insights.exports import FORMATS, Filters, SelectionError, export_segment, mention_selection
from insights.prd import prd_markdown
from interviews.models import Segment, UsageType


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date; use YYYY-MM-DD") from exc


def _stdout_to_devnull() -> None:
    """After the reader of our stdout left, point it at /dev/null.

    The interpreter flushes sys.stdout once more on exit; into the closed pipe that prints
    "Exception ignored ... BrokenPipeError" even though the command returned.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


# What the PRD draft does not take: it is about the whole segment, as the pricing and saturation pages.
PRD_REFUSES = ("mentions", "usage", "date_from", "date_to", "theme", "kind")


class Command(BaseCommand):
    help = (
        "Print a segment's insights: the pain-point matrix, or with --mentions every mention. "
        "CSV starts with a UTF-8 BOM, as the page and the API send it, so Excel reads accents right; "
        "--no-bom leaves it out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--segment", required=True, help="segment slug")
        parser.add_argument("--workspace", default=None, help="workspace name, when the slug is in several")
        parser.add_argument(
            "--format",
            choices=(*FORMATS, "prd"),
            default="json",
            help="prd: the segment's PRD draft in Markdown (the whole segment: no filters, no --mentions)",
        )
        parser.add_argument("--mentions", action="store_true", help="every mention instead of the matrix")
        parser.add_argument("--usage", choices=UsageType.values, default=None, help="interviewee type")
        parser.add_argument("--date-from", type=str, default=None, help="interviewed on or after (YYYY-MM-DD)")
        parser.add_argument("--date-to", type=str, default=None, help="interviewed on or before (YYYY-MM-DD)")
        parser.add_argument(
            "--theme",
            default=None,
            help="with --mentions (csv, md): only the mentions behind the matrix row of this pain theme id",
        )
        parser.add_argument(
            "--kind",
            default=None,
            help="with --mentions (csv, md): only mentions of this kind; with --theme, that evidence cell of the row "
            "(pain, time, risk, workaround, wtp)",
        )
        parser.set_defaults(bom=True)
        parser.add_argument(
            "--no-bom", dest="bom", action="store_false", help="CSV without the UTF-8 BOM (for tools that choke on it)"
        )
        # The default now; still accepted so scripts written when it was opt-in keep working.
        parser.add_argument("--bom", dest="bom", action="store_true", help="CSV with the UTF-8 BOM (the default)")

    def handle(self, *args: Any, **options: Any) -> None:
        segments = Segment.objects.filter(slug=options["segment"])
        if options["workspace"]:
            segments = segments.filter(workspace__name=options["workspace"])
        if segments.count() > 1:
            raise CommandError(f"segment {options['segment']!r} exists in several workspaces; pass --workspace")
        segment = segments.first()
        if segment is None:
            raise CommandError(f"no segment with slug {options['segment']!r}")
        if options["format"] == "prd":
            self._prd(segment, options)
            return
        filters = Filters(
            usage=options["usage"],
            date_from=_date(options["date_from"]) if options["date_from"] else None,
            date_to=_date(options["date_to"]) if options["date_to"] else None,
        )
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise CommandError("--date-to is before --date-from")
        try:
            selection = mention_selection(
                segment=segment,
                theme=options["theme"],
                kind=options["kind"],
                mentions=options["mentions"],
                fmt=options["format"],
            )
        except SelectionError as exc:
            raise CommandError(f"--{exc.param}: {exc.message}") from exc
        export = export_segment(
            segment=segment,
            fmt=options["format"],
            filters=filters,
            mentions=options["mentions"],
            bom=options["bom"],
            selection=selection,
        )
        self._write(export.chunks, options, newline=options["format"] == "json")

    def _prd(self, segment: Segment, options: dict[str, Any]) -> None:
        given = [f"--{name.replace('_', '-')}" for name in PRD_REFUSES if options.get(name)]
        if given:
            raise CommandError(
                f"--format prd drafts from the whole segment; leave out {', '.join(given)} "
                "(the matrix formats take them)."
            )
        self._write(prd_markdown(segment=segment), options, newline=False)

    def _write(self, chunks: Iterable[str], options: dict[str, Any], *, newline: bool) -> None:
        try:
            # Chunk by chunk: a large segment is never held in memory as one string.
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            if newline:
                self.stdout.write("")  # the newline the single write used to end with
            self.stdout.flush()  # so a closed pipe shows here, not in the interpreter's last flush
        except BrokenPipeError:
            # `export_insights ... | head`: the reader has what it wanted; stop without a traceback.
            if not options.get("stdout"):  # the process's own stdout, not a stream call_command was given
                _stdout_to_devnull()
