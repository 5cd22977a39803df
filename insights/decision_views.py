"""The playbook's decision pages: when to stop interviewing, what to charge, which segment to pick,
the PRD draft. Thin: selectors read, `insights.decisions` decides, `insights.charts` draws."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from insights import charts, decision_selectors, services
from insights.decision_forms import AssessmentForm
from insights.matrix import segment_matrix
from insights.prd import prd_markdown
from interviews.auth import request_user
from interviews.selectors import segment_get, segment_list


@login_required
def saturation(request: HttpRequest, slug: str) -> HttpResponse:
    """When to stop interviewing. Requested by htmx (the segment page), only the chart and the mix card."""
    segment = segment_get(user=request.user, slug=slug)
    sat = decision_selectors.segment_saturation(segment=segment)
    context = {
        "segment": segment,
        "saturation": sat,
        "chart": charts.saturation_chart(sat),
        "mix": decision_selectors.segment_mix(segment=segment),
        "rows": list(zip(sat.interviews, sat.new_themes_per_interview, sat.cumulative, strict=True)),
    }
    if request.headers.get("HX-Request"):
        return render(request, "insights/_saturation.html", context)
    context["groups"] = decision_selectors.matrices_by_usage(segment=segment)
    return render(request, "insights/saturation.html", context)


@login_required
def pricing(request: HttpRequest, slug: str) -> HttpResponse:
    """What to charge: the WTP distribution, its breakdowns and the suggested price tiers."""
    segment = segment_get(user=request.user, slug=slug)
    data = decision_selectors.segment_pricing(segment=segment)
    return render(
        request,
        "insights/pricing.html",
        {"segment": segment, "pricing": data, "chart": charts.wtp_chart(data.points, data.spread, data.currency)},
    )


@login_required
def prd(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The PRD draft as a Markdown download: the text `export_insights --format prd` prints."""
    segment = segment_get(user=request.user, slug=slug)
    response = StreamingHttpResponse(prd_markdown(segment=segment), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{segment.slug}-prd.md"'
    return response


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    """Which segment to pick: two or more segments' numbers, the PM's answers beside them, matrices aligned."""
    chosen = request.GET.getlist("segment")
    context: dict[str, Any] = {
        "all_segments": segment_list(user=request.user),
        "chosen": chosen,
        "summaries": [],
        "rows": [],
        "error": "",
    }
    status = 200
    try:
        segments = decision_selectors.segments_to_compare(user=request.user, slugs=chosen)
    except decision_selectors.CompareError as exc:
        context["error"], status = str(exc), 400
    else:
        if len(segments) == 1:
            context["error"], status = "Pick at least two segments to compare (segment: one more).", 400
        elif segments:
            context["summaries"], context["rows"] = decision_selectors.segment_comparison(segments=segments)
    return render(request, "insights/compare.html", context, status=status)


@login_required
def assessment(request: HttpRequest, slug: str) -> HttpResponse:
    """The PM's answers about a segment (size, the four filters, the saturation window)."""
    segment = segment_get(user=request.user, slug=slug)
    current = decision_selectors.assessment_of(segment=segment)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = AssessmentForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.assessment_save(segment=segment, user=request_user(request), data=form.cleaned_data)
        return redirect(next_url or f"{reverse('insights:compare')}?segment={segment.slug}")
    top = segment_matrix(segment=segment).rows
    must_have = decision_selectors.top_pain_recurrence(segment=segment, row=top[0] if top else None)
    return render(
        request,
        "insights/assessment_form.html",
        {"segment": segment, "form": form, "next": next_url, "must_have": must_have},
        status=400 if form.errors else 200,
    )
