"""REST endpoint for the pain-point matrix: `/api/segments/{slug}/matrix/?format=json|csv|md`."""

from collections.abc import Iterable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from insights.exports import FORMATS, export_segment
from insights.views import MatrixFilterForm, streaming_export
from interviews.selectors import segment_get


class JsonErrorsNegotiation(DefaultContentNegotiation):
    """Ignore `?format=`: here it picks the export, not a DRF renderer.

    DRF reads `?format=` (URL_FORMAT_OVERRIDE) during content negotiation, before the view runs,
    and answers 404 for `csv` or `md` since no renderer has that name. The view streams the export
    itself, so only errors (401, 403, 404, 400) go through a renderer, and they are JSON.
    """

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        renderer = next((r for r in renderers if isinstance(r, JSONRenderer)), renderers[0])
        return renderer, renderer.media_type


class SegmentMatrixView(APIView):
    content_negotiation_class = JsonErrorsNegotiation
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Pain-point matrix of a segment",
        parameters=[
            OpenApiParameter("format", str, enum=list(FORMATS), default="json"),
            OpenApiParameter("usage", str, enum=["our_product", "competitor", "nothing"]),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("mentions", bool, description="every mention instead of the matrix"),
        ],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): str, (200, "text/markdown"): str},
    )
    def get(self, request: Request, slug: str, **kwargs: Any) -> Any:
        segment = segment_get(user=request.user, slug=slug)  # 404 outside the user's workspaces
        fmt = request.query_params.get("format") or "json"
        if fmt not in FORMATS:
            raise ValidationError({"format": f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}."})
        form = MatrixFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        mentions = request.query_params.get("mentions") in ("1", "true")
        export = export_segment(segment=segment, fmt=fmt, filters=form.filters(), mentions=mentions)
        return streaming_export(export, attachment=fmt != "json")
