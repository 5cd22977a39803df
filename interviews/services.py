"""Writes for capture: segments, participants, interviews. Every entry point (form, API, import) ends here."""

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from interviews.importers import ImportRow
from interviews.models import (
    PARTICIPANT_FIELDS,
    ExtractionStatus,
    Interview,
    Participant,
    Role,
    Segment,
    UsageType,
    Workspace,
)
from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT_KEYS, text_fingerprint
from interviews.signals import interview_text_changed

DEFAULT_WORKSPACE_NAME = "default"


def validate_interview_text(*, answers: dict[str, str], notes: str) -> None:
    """Check the text limits with messages that name the field, the limit and what to do."""
    errors: dict[str, str] = {}
    unknown = sorted(set(answers) - set(SCRIPT_KEYS))
    if unknown:
        errors["answers"] = f"Unknown script key(s): {', '.join(unknown)}. Valid keys are: {', '.join(SCRIPT_KEYS)}."
    for key, value in answers.items():
        if key in SCRIPT_KEYS and len(value or "") > MAX_ANSWER_CHARS:
            errors[key] = (
                f"Answer is {len(value):,} characters; the limit is {MAX_ANSWER_CHARS:,}. "
                "Shorten it, or paste the full transcript into notes."
            )
    if len(notes or "") > MAX_NOTES_CHARS:
        errors["notes"] = (
            f"Notes are {len(notes):,} characters; the limit is {MAX_NOTES_CHARS:,}. "
            "Split the transcript across interviews or trim it."
        )
    if not errors and not any((v or "").strip() for v in answers.values()) and not (notes or "").strip():
        errors["answers"] = "Answer at least one question or paste notes: there is nothing to analyse."
    if errors:
        raise ValidationError(errors)


def workspace_get_or_create(*, name: str = DEFAULT_WORKSPACE_NAME) -> Workspace:
    workspace, _ = Workspace.objects.get_or_create(name=name)
    return workspace


class WorkspaceChoiceError(ValueError):
    """Which workspace an import goes to is ambiguous or unknown; the message says what to pass."""


@transaction.atomic
def workspace_for_import(*, name: str | None) -> tuple[Workspace, bool]:
    """The workspace a command-line import writes to. Returns (workspace, created).

    A segment in a workspace nobody belongs to is invisible on every page, so: a named workspace
    must exist (unless there is none at all yet); without a name the only workspace is used, and
    with several the caller must choose. A workspace is created only on an empty install (the first
    import), with the superusers as its members.
    """
    existing = list(Workspace.objects.order_by("name").values_list("name", flat=True))
    listed = ", ".join(repr(n) for n in existing)
    if name:
        found = Workspace.objects.filter(name=name).first()
        if found is not None:
            return found, False
        if existing:
            raise WorkspaceChoiceError(f"no workspace named {name!r}; pass --workspace with one of: {listed}.")
    elif len(existing) == 1:
        return Workspace.objects.get(name=existing[0]), False
    elif existing:
        raise WorkspaceChoiceError(f"there are {len(existing)} workspaces; pass --workspace with one of: {listed}.")
    workspace = Workspace.objects.create(name=name or DEFAULT_WORKSPACE_NAME)
    workspace.members.add(
        *User.objects.filter(is_superuser=True, is_active=True), through_defaults={"role": Role.ADMIN}
    )
    return workspace, True


@transaction.atomic
def segment_create(*, workspace: Workspace, name: str, slug: str = "", **fields: Any) -> Segment:
    segment = Segment(workspace=workspace, name=name, slug=slug or slugify(name)[:100], **fields)
    segment.full_clean()
    segment.save()
    return segment


@transaction.atomic
def segment_update(*, segment: Segment, **fields: Any) -> Segment:
    """Change a segment's name, criteria, cost figures or interview plan (not its workspace or slug)."""
    for name, value in fields.items():
        if name in ("workspace", "slug", "id", "pk"):
            raise ValueError(f"{name} of a segment does not change")
        setattr(segment, name, value)
    segment.full_clean()
    segment.save()
    return segment


def segment_get_or_create(*, workspace: Workspace, slug: str, name: str = "") -> tuple[Segment, bool]:
    segment = Segment.objects.filter(workspace=workspace, slug=slug).first()
    if segment is not None:
        return segment, False
    return segment_create(workspace=workspace, slug=slug, name=name or slug.replace("-", " ").capitalize()), True


def participant_create(*, workspace_id: int, **fields: Any) -> Participant:
    # The workspace's id, not the row: its segment names it, so no caller needs the row read.
    data = {k: v for k, v in fields.items() if k in PARTICIPANT_FIELDS}
    data["competitor"] = data.get("competitor") or ""
    data["usage"] = data.get("usage") or UsageType.NOTHING
    participant = Participant(workspace_id=workspace_id, **data)
    participant.full_clean(exclude=["workspace"])
    participant.save()
    return participant


def _text_changed(interview: Interview, answers: dict[str, str], notes: str) -> bool:
    if any((getattr(interview, key) or "") != (answers.get(key) or "") for key in SCRIPT_KEYS):
        return True
    return (interview.notes or "") != (notes or "")


def _apply_text(interview: Interview, answers: dict[str, str], notes: str) -> None:
    for key in SCRIPT_KEYS:
        setattr(interview, key, answers.get(key) or "")
    interview.notes = notes or ""
    interview.text_fingerprint = text_fingerprint(answers=answers, notes=notes)


def interview_duplicate_of(*, segment: Segment, answers: dict[str, str], notes: str) -> Interview | None:
    """An interview of the segment with the same text (case and spacing aside), if there is one."""
    fingerprint = text_fingerprint(answers=answers, notes=notes)
    if not fingerprint:
        return None
    return Interview.objects.filter(segment=segment, text_fingerprint=fingerprint).order_by("id").first()


def duplicate_message(duplicate: Interview, *, override: str) -> str:
    return (
        f"likely a duplicate: interview {duplicate.display_id} ({duplicate.participant.display_name}) in this "
        f"segment has the same text. Nothing was added; {override} to add it anyway."
    )


def _announce_text_changed(interview: Interview) -> None:
    interview_text_changed.send(sender=Interview, interview_id=interview.pk, segment_id=interview.segment_id)


@transaction.atomic
def interview_create(
    *,
    segment: Segment,
    participant: Participant,
    answers: dict[str, str],
    notes: str = "",
    interviewer: User | None = None,
    interviewed_on: date | None = None,
    external_id: str = "",
) -> Interview:
    return _interview_create(
        segment=segment,
        participant=participant,
        answers=answers,
        notes=notes,
        interviewer=interviewer,
        interviewed_on=interviewed_on,
        external_id=external_id,
    )


# The related rows an interview is created with are objects the caller holds (a segment read
# through a selector, a participant saved just now, the signed-in user): full_clean() would ask the
# database whether each exists, one query apiece on every save. The segment's external-id
# constraint is checked just before by name, so its generic re-check is skipped with them; the
# constraint itself stays the last word (interview_log turns its IntegrityError into the same message).
_HELD_RELATIONS = ["segment", "participant", "interviewer"]


def _interview_create(
    *,
    segment: Segment,
    participant: Participant,
    answers: dict[str, str],
    notes: str,
    interviewer: User | None,
    interviewed_on: date | None,
    external_id: str,
    check_external_id: bool = True,
) -> Interview:
    """interview_create's work, inside the caller's transaction (interview_log's: no savepoint of its own).

    check_external_id=False leaves a taken id to the constraint: for a caller whose transaction
    turns the IntegrityError into the same message (interview_log), the query would only repeat it.
    """
    validate_interview_text(answers=answers, notes=notes)
    if (
        check_external_id
        and external_id
        and Interview.objects.filter(segment=segment, external_id=external_id).exists()
    ):
        raise ValidationError({"id": _duplicate_id_message(external_id)})
    interview = Interview(
        segment=segment,
        participant=participant,
        interviewer=interviewer,
        interviewed_on=interviewed_on,
        external_id=external_id,
        status=ExtractionStatus.PENDING,
    )
    _apply_text(interview, answers, notes)
    interview.full_clean(exclude=_HELD_RELATIONS)  # clean() still checks the participant's workspace
    interview.save()
    _announce_text_changed(interview)
    return interview


def interview_log(
    *,
    segment: Segment,
    participant_data: dict[str, Any],
    answers: dict[str, str],
    notes: str = "",
    interviewer: User | None = None,
    interviewed_on: date | None = None,
    external_id: str = "",
) -> Interview:
    """A new interview with its new participant, as the form and the API log it: both rows or neither."""
    try:
        with transaction.atomic():
            participant = participant_create(workspace_id=segment.workspace_id, **participant_data)
            return _interview_create(
                segment=segment,
                participant=participant,
                answers=answers,
                notes=notes,
                interviewer=interviewer,
                interviewed_on=interviewed_on,
                external_id=external_id,
                check_external_id=False,
            )
    except IntegrityError:
        # A taken id is found by the constraint (a query first would only race with a concurrent
        # request posting the same new id): the whole transaction is rolled back, participant and
        # all, and the id named as before.
        if external_id and Interview.objects.filter(segment=segment, external_id=external_id).exists():
            raise ValidationError({"id": _duplicate_id_message(external_id)}) from None
        raise


def _duplicate_id_message(external_id: str) -> str:
    return (
        f"An interview with id '{external_id}' already exists in this segment. "
        "Use another id, or update that interview instead."
    )


@transaction.atomic
def interview_from_transcript(
    *,
    segment: Segment,
    participant: dict[str, Any],
    notes: str,
    interviewed_on: date | None = None,
    interviewer: User | None = None,
    allow_duplicate: bool = False,
) -> Interview:
    """An uploaded transcript as a new interview; the same text already in the segment is refused."""
    duplicate = interview_duplicate_of(segment=segment, answers={}, notes=notes)
    if duplicate is not None and not allow_duplicate:
        raise ValidationError({"add_duplicate": duplicate_message(duplicate, override="tick the box")})
    return interview_create(
        segment=segment,
        participant=participant_create(workspace_id=segment.workspace_id, **participant),
        answers={},
        notes=notes,
        interviewer=interviewer,
        interviewed_on=interviewed_on,
    )


@transaction.atomic
def interview_update(
    *,
    interview: Interview,
    answers: dict[str, str] | None = None,
    notes: str | None = None,
    participant: Participant | None = None,
    interviewed_on: date | None = None,
    external_id: str | None = None,
    interviewer: User | None = None,
) -> Interview:
    """Update an interview; when its text changes, extraction runs again."""
    new_answers = interview.answers | (answers or {})
    new_notes = interview.notes if notes is None else notes
    validate_interview_text(answers=new_answers, notes=new_notes)
    changed = _text_changed(interview, new_answers, new_notes)
    _apply_text(interview, new_answers, new_notes)
    if participant is not None:
        interview.participant = participant
    if interviewed_on is not None:
        interview.interviewed_on = interviewed_on
    if external_id is not None:
        interview.external_id = external_id
    if interviewer is not None:
        interview.interviewer = interviewer
    if changed:
        interview.status = ExtractionStatus.PENDING
        interview.status_error = ""
    interview.full_clean()
    interview.save()
    if changed:
        _announce_text_changed(interview)
    return interview


@transaction.atomic
def interview_delete(*, interview: Interview) -> None:
    interview.delete()


def _participant_update(participant: Participant, data: dict[str, Any]) -> None:
    changed = [name for name in PARTICIPANT_FIELDS if getattr(participant, name) != data.get(name)]
    if changed:
        for name in changed:
            setattr(participant, name, data.get(name))
        participant.full_clean(exclude=["workspace"])
        participant.save(update_fields=changed)


def interview_upsert(*, segment: Segment, row: ImportRow, allow_duplicate: bool = False) -> tuple[Interview, bool]:
    """Create the interview with this external id, or update it in place. Returns (interview, created).

    A new id whose text is already in the segment (the same transcript imported again under
    another name) is refused as a likely duplicate unless allow_duplicate.
    """
    existing = (
        Interview.objects.select_related("participant").filter(segment=segment, external_id=row.external_id).first()
    )
    if existing is None:
        duplicate = interview_duplicate_of(segment=segment, answers=row.answers, notes=row.notes)
        if duplicate is not None and not allow_duplicate:
            raise ValidationError({"duplicate": duplicate_message(duplicate, override="pass --allow-duplicates")})
        participant = participant_create(workspace_id=segment.workspace_id, **row.participant)
        interview = interview_create(
            segment=segment,
            participant=participant,
            answers=row.answers,
            notes=row.notes,
            interviewed_on=row.interviewed_on,
            external_id=row.external_id,
        )
        return interview, True
    _participant_update(existing.participant, row.participant)
    interview = interview_update(
        interview=existing, answers=row.answers, notes=row.notes, interviewed_on=row.interviewed_on
    )
    return interview, False


@transaction.atomic
def interviews_import(
    *, segment: Segment, rows: list[ImportRow], skip_invalid: bool = False, allow_duplicates: bool = False
) -> tuple[list[Interview], list[str]]:
    """Import parsed rows in one transaction: all or nothing, unless skip_invalid keeps the good rows."""
    imported: list[Interview] = []
    errors: list[str] = []
    for row in rows:
        try:
            with transaction.atomic():
                imported.append(interview_upsert(segment=segment, row=row, allow_duplicate=allow_duplicates)[0])
        except ValidationError as exc:
            message = "; ".join(
                f"{name}: {' '.join(msgs)}" for name, msgs in getattr(exc, "message_dict", {"": exc.messages}).items()
            )
            errors.append(f"line {row.line}: {message}")
            if not skip_invalid:
                raise ImportAborted(errors) from exc
    return imported, errors


class ImportAborted(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors
