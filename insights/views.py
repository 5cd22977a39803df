"""The pain-point matrix page and its downloads. Thin: the form checks filters, selectors read."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from insights.exports import FORMATS, Export, Filters, SelectionError, export_segment, query_selection
from insights.matrix import segment_matrix
from insights.quotes import matrix_quote_contexts
from interviews.models import Role, UsageType
from interviews.selectors import member_may, segment_get


class MatrixFilterForm(forms.Form):
    """GET filters shared by the page, the downloads and the API; bad input becomes a message, never a 500."""

    usage = forms.ChoiceField(label="Interviewee type", required=False, choices=[("", "Everyone"), *UsageType.choices])
    date_from = forms.DateField(
        label="Interviewed from", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )  # fmt: skip
    date_to = forms.DateField(
        label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(usage=data.get("usage") or None, date_from=data.get("date_from"), date_to=data.get("date_to"))

    def error_text(self) -> str:
        return " ".join(f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in self.errors.items())


def _filter_query(request: HttpRequest) -> str:
    return urlencode({k: v for k in ("usage", "date_from", "date_to") if (v := request.GET.get(k))})


@login_required
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    segment = segment_get(user=request.user, slug=slug)
    form = MatrixFilterForm(request.GET)
    # With bad filters the page still shows the whole segment, with the errors beside the fields.
    filters = form.filters() if form.is_valid() else Filters()
    matrix_ = segment_matrix(segment=segment, **vars(filters))
    return render(
        request,
        "insights/matrix.html",
        {
            "segment": segment,
            "form": form,
            "matrix": matrix_,
            # Each quote in its sentence, with who said it: the numbers open onto readable evidence.
            "contexts": matrix_quote_contexts(matrix_),
            "filter_query": _filter_query(request) if form.is_valid() else "",
            "formats": FORMATS,
            "usage_label": dict(UsageType.choices).get(filters.usage or ""),
            # "Review this row" opens the admin's queue: for staff who may review in this workspace.
            "can_review": request.user.is_staff
            and request.user.has_perm("insights.change_mention")
            and member_may(user=request.user, workspace=segment.workspace_id, role=Role.REVIEWER),
        },
    )


@login_required
def matrix_export(request: HttpRequest, slug: str) -> HttpResponseBase:
    segment = segment_get(user=request.user, slug=slug)
    fmt = request.GET.get("format", "csv")
    form = MatrixFilterForm(request.GET)
    if fmt not in FORMATS:
        return bad_request(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if not form.is_valid():
        return bad_request(form.error_text())
    try:
        # theme and kind: the mentions behind one matrix row, or one of its cells (the page's links).
        mentions, selection = query_selection(segment=segment, params=request.GET, fmt=fmt)
    except SelectionError as exc:
        return bad_request(f"{exc.param}: {exc.message}")
    return streaming_export(
        export_segment(segment=segment, fmt=fmt, filters=form.filters(), mentions=mentions, selection=selection)
    )


def bad_request(message: str) -> HttpResponse:
    """A 400 as plain text: the message quotes what was sent (and theme names), which must never run as HTML.

    HttpResponseBadRequest would answer `text/html`, so `?format=<script>…` came back as a script;
    `nosniff` (SecurityMiddleware) keeps browsers from guessing HTML back out of `text/plain`.
    """
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def streaming_export(export: Export, *, attachment: bool = True) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
