from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from interviews import selectors, services
from interviews.auth import request_user
from interviews.forms import (
    InterviewForm,
    SegmentForm,
    TranscriptConfirmForm,
    TranscriptUploadForm,
    transcript_confirm_initial,
)
from interviews.importers import ImportFileError, read_transcript
from interviews.models import Interview
from interviews.script import SCRIPT
from interviews.signals import interview_page_context

PLAYBOOK_STEPS = [
    (1, "Create a segment"),
    (2, "Log or upload interviews"),
    (3, "Review what was found"),
    (4, "Read the matrix"),
]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    segments = list(selectors.segment_overview(user=request.user))
    context = {
        "segments": segments,
        "next_step": selectors.next_step(segments=segments),
        "has_workspace": selectors.workspaces_for_user(user=request.user).exists(),
        "steps": PLAYBOOK_STEPS,
    }
    return render(request, "interviews/home.html", context)


@login_required
def segment_create(request: HttpRequest) -> HttpResponse:
    workspaces = selectors.workspaces_for_user(user=request.user).order_by("name")
    if not workspaces.exists():
        return render(request, "interviews/segment_form.html", {"form": None}, status=403)
    form = SegmentForm(request.POST or None, workspaces=workspaces)
    if request.method == "POST" and form.is_valid():
        try:
            segment = services.segment_create(
                workspace=form.cleaned_data["workspace"], slug=form.cleaned_data["slug"], **form.segment_fields()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect(segment)
    return render(request, "interviews/segment_form.html", {"form": form})


@login_required
def segment_edit(request: HttpRequest, slug: str) -> HttpResponse:
    segment = selectors.segment_get(user=request.user, slug=slug)
    workspaces = selectors.workspaces_for_user(user=request.user)
    form = SegmentForm(request.POST or None, instance=segment, workspaces=workspaces)
    if request.method == "POST" and form.is_valid():
        try:
            # The form's is_valid already set the fields on `segment`; the service checks and saves.
            segment = services.segment_update(segment=segment, **form.segment_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect(segment)
    return render(request, "interviews/segment_form.html", {"form": form, "segment": segment})


def _add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, texts in errors.items():
        form.add_error(field if field in form.fields else None, texts)


@login_required
def segment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    segment = selectors.segment_get(user=request.user, slug=slug)
    interviews = selectors.interview_list(user=request.user, segment=segment)
    progress = selectors.segment_progress(segment=segment)
    return render(
        request,
        "interviews/segment_detail.html",
        {
            "segment": segment,
            "interviews": interviews,
            "progress": progress,
            "upload_form": TranscriptUploadForm(segments=selectors.segment_list(user=request.user)),
        },
    )


@login_required
def interview_create(request: HttpRequest) -> HttpResponse:
    segments = selectors.segment_list(user=request.user)
    initial = {}
    if slug := request.GET.get("segment"):
        initial["segment"] = segments.filter(slug=slug).first()
    form = InterviewForm(request.POST or None, segments=segments, initial=initial)
    if request.method == "POST" and form.is_valid():
        segment = form.cleaned_data["segment"]
        try:
            interview = services.interview_log(
                segment=segment,
                participant_data=form.participant_data(),
                answers=form.answers(),
                notes=form.cleaned_data.get("notes") or "",
                interviewer=request_user(request),
                interviewed_on=form.cleaned_data.get("interviewed_on"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect(interview)
    upload_form = TranscriptUploadForm(segments=segments, initial=initial)
    return render(request, "interviews/interview_form.html", {"form": form, "upload_form": upload_form})


@login_required
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_get(user=request.user, pk=pk)
    sections = [{"key": q.key, "question": q.question, "text": getattr(interview, q.key)} for q in SCRIPT] + [
        {"key": "notes", "question": "Notes", "text": interview.notes}
    ]
    context: dict[str, Any] = {"interview": interview, "sections": sections}
    for _receiver, extra in interview_page_context.send(sender=Interview, interview=interview, sections=sections):
        if isinstance(extra, dict):
            context.update(extra)
    template = (
        "interviews/_interview_insights.html"
        if request.headers.get("HX-Request")
        else "interviews/interview_detail.html"
    )
    return render(request, template, context)


class _RollBack(Exception):
    """Raised inside the upload's transaction when a file has errors: no interview is kept."""


@login_required
def transcript_upload(request: HttpRequest) -> HttpResponse:
    """Transcript files in, one interview each: read the files, let the PM pick each interviewee, save.

    Step 1 (files) renders step 2 (speakers and participant details, one block a file); the files'
    text travels in the page, so nothing is stored until step 2 is sent and every block is valid.
    """
    segments = selectors.segment_list(user=request.user)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _transcript_confirm(request, segments)
    initial = {}
    if slug := request.GET.get("segment"):
        initial["segment"] = segments.filter(slug=slug).first()
    form = TranscriptUploadForm(request.POST or None, request.FILES or None, segments=segments, initial=initial)
    if request.method == "POST" and form.is_valid():
        blocks: list[TranscriptConfirmForm] = []
        unreadable: list[str] = []
        for upload in form.cleaned_data["transcripts"]:
            try:
                transcript = read_transcript(upload.name, upload.read())
            except ImportFileError as exc:
                unreadable.append(f"{upload.name}: {exc}" if not str(exc).startswith(upload.name) else str(exc))
                continue
            blocks.append(
                TranscriptConfirmForm(prefix=f"t{len(blocks)}", initial=transcript_confirm_initial(transcript))
            )
        if blocks:
            return _confirm_page(request, form.cleaned_data["segment"], blocks, unreadable)
        for message in unreadable:
            form.add_error("transcripts", message)
    return render(request, "interviews/transcript_upload.html", {"form": form})


def _confirm_page(
    request: HttpRequest, segment: object, blocks: list[TranscriptConfirmForm], unreadable: list[str]
) -> HttpResponse:
    context = {"segment": segment, "blocks": blocks, "unreadable": unreadable}
    return render(request, "interviews/transcript_confirm.html", context)


def _transcript_confirm(request: HttpRequest, segments: object) -> HttpResponse:
    segment = selectors.segment_list(user=request.user).filter(pk=request.POST.get("segment") or 0).first()
    if segment is None:
        return render(
            request, "interviews/transcript_upload.html", {"form": None, "error": "Choose a segment of yours."}
        )
    try:
        count = int(request.POST.get("count") or 0)
    except ValueError:
        count = 0
    blocks = [TranscriptConfirmForm(request.POST, prefix=f"t{k}") for k in range(min(count, 30))]
    created = []
    try:
        with transaction.atomic():
            failed = False
            for block in blocks:
                if not block.is_valid():
                    failed = True
                    continue
                try:
                    with transaction.atomic():
                        created.append(
                            services.interview_from_transcript(
                                segment=segment,
                                participant=block.participant_data(),
                                notes=block.notes(),
                                interviewed_on=block.cleaned_data.get("interviewed_on"),
                                interviewer=request_user(request),
                                allow_duplicate=block.cleaned_data.get("add_duplicate", False),
                            )
                        )
                except ValidationError as exc:
                    _add_errors(block, exc)
                    failed = True
            if failed or not blocks:
                raise _RollBack
    except _RollBack:
        return _confirm_page(request, segment, blocks, [])
    if len(created) == 1:
        return redirect(created[0])
    messages.success(request, f"Added {len(created)} interviews from transcripts; extraction is running.")
    return redirect(segment)
