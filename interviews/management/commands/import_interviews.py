import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from interviews import services
from interviews.importers import ImportFileError, parse_file
from interviews.models import ExtractionStatus, Interview, Segment
from interviews.signals import interviews_import_settled


class Command(BaseCommand):
    help = "Import interviews from JSONL, CSV or a transcript file (.txt .md .vtt .srt .docx) into a segment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--segment", required=True, help="segment slug; created if missing")
        parser.add_argument(
            "--workspace",
            default=None,
            help="workspace name; may be left out when there is only one (an empty install gets one named "
            f"{services.DEFAULT_WORKSPACE_NAME!r}, its superusers as members)",
        )
        parser.add_argument("--skip-invalid", action="store_true", help="import the good lines, list the bad ones")
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="add a new id even when its text is already in the segment (refused as a likely duplicate otherwise)",
        )
        parser.add_argument("--wait", action="store_true", help="wait until extraction of every interview ends")
        parser.add_argument("--timeout", type=int, default=900, help="seconds --wait waits at most")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            parsed = parse_file(path)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if parsed.errors and not options["skip_invalid"]:
            raise CommandError(
                "nothing imported; fix these lines (or pass --skip-invalid):\n" + "\n".join(parsed.errors)
            )
        # One transaction: a refused import leaves no new workspace or segment behind.
        with transaction.atomic():
            try:
                workspace, new_workspace = services.workspace_for_import(name=options["workspace"])
            except services.WorkspaceChoiceError as exc:
                raise CommandError(f"nothing imported: {exc}") from exc
            try:
                segment, created = services.segment_get_or_create(workspace=workspace, slug=options["segment"])
            except ValidationError as exc:
                raise CommandError(f"nothing imported; --segment: {' '.join(exc.messages)}") from exc
            try:
                imported, errors = services.interviews_import(
                    segment=segment,
                    rows=parsed.rows,
                    skip_invalid=options["skip_invalid"],
                    allow_duplicates=options["allow_duplicates"],
                )
            except services.ImportAborted as exc:
                raise CommandError("nothing imported; fix these lines:\n" + "\n".join(exc.errors)) from exc
        skipped = parsed.errors + errors
        self.stdout.write(
            f"imported {len(imported)} interview(s) into {segment.slug}"
            + (" (new segment)" if created else "")
            + (f"; skipped {len(skipped)} invalid line(s):" if skipped else "")
        )
        for error in skipped:
            self.stdout.write(f"  {error}")
        if new_workspace:
            members = ", ".join(u.get_username() for u in workspace.members.all())
            self.stdout.write(
                f"created workspace {workspace.name!r}; members: {members}"
                if members
                else f"created workspace {workspace.name!r}, which has no members yet: "
                "add the team to it in the admin (Workspaces) so they see the segment"
            )
        if options["wait"]:
            self._wait([i.pk for i in imported], options["timeout"])
            interviews_import_settled.send(sender=Segment, segment_id=segment.pk)

    def _wait(self, ids: list[int], timeout: int) -> None:
        deadline = time.monotonic() + timeout
        unfinished = [ExtractionStatus.PENDING, ExtractionStatus.RUNNING]
        while Interview.objects.filter(pk__in=ids, status__in=unfinished).exists():
            if time.monotonic() > deadline:
                raise CommandError(f"extraction still running after {timeout}s; is a worker up?")
            time.sleep(0.5)
        done = Interview.objects.filter(pk__in=ids, status=ExtractionStatus.DONE).count()
        failed = Interview.objects.filter(pk__in=ids, status=ExtractionStatus.FAILED).count()
        self.stdout.write(f"extraction: {done} done, {failed} failed")
