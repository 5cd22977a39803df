"""The playbook's decision pages: when to stop interviewing, what to charge, which segment to pick,
the PRD draft. Thin: selectors read, `insights.decisions` decides, `insights.charts` draws."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from insights import charts, decision_selectors
from interviews.selectors import segment_get


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
