from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from interviews import selectors, services
from interviews.auth import request_user
from interviews.forms import InterviewForm, SegmentForm
from interviews.script import SCRIPT

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
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)


@login_required
def segment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    segment = selectors.segment_get(user=request.user, slug=slug)
    interviews = selectors.interview_list(user=request.user, segment=segment)
    progress = selectors.segment_progress(segment=segment)
    return render(
        request,
        "interviews/segment_detail.html",
        {"segment": segment, "interviews": interviews, "progress": progress},
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
            participant = services.participant_create(workspace=segment.workspace, **form.participant_data())
            interview = services.interview_create(
                segment=segment,
                participant=participant,
                answers=form.answers(),
                notes=form.cleaned_data.get("notes") or "",
                interviewer=request_user(request),
                interviewed_on=form.cleaned_data.get("interviewed_on"),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect(interview)
    return render(request, "interviews/interview_form.html", {"form": form})


@login_required
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_get(user=request.user, pk=pk)
    from insights.selectors import interview_highlights

    sections = [{"key": q.key, "question": q.question, "text": getattr(interview, q.key)} for q in SCRIPT] + [
        {"key": "notes", "question": "Notes", "text": interview.notes}
    ]
    context = {"interview": interview, **interview_highlights(interview=interview, sections=sections)}
    template = (
        "interviews/_interview_insights.html"
        if request.headers.get("HX-Request")
        else "interviews/interview_detail.html"
    )
    return render(request, template, context)
