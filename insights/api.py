"""REST API for synthesis: the pain-point matrix, the review queue (mentions) and themes."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_fields import MAX_ID, IdField, IdFilter, SlugFilter, StrictCharField
from insights import review
from insights.exports import FORMATS, SelectionError, export_segment, query_selection
from insights.models import Mention, MentionKind, ReviewStatus, Severity, Theme, WtpPeriod
from insights.selectors import mention_list, theme_list
from insights.views import MatrixFilterForm, streaming_export
from interviews.auth import request_user
from interviews.models import Membership, Role, UsageType, roles_at_least
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
            OpenApiParameter(
                "mentions", bool, description="every mention instead of the matrix (1/true/yes/on, 0/false/no/off)"
            ),
            OpenApiParameter(
                "theme",
                int,
                description="with mentions (CSV, md): only the mentions behind the matrix row of this pain theme id",
            ),
            OpenApiParameter(
                "kind",
                str,
                enum=list(MentionKind.values),
                description="with mentions (CSV, md): only this kind; with theme, the row's evidence cell "
                "(pain, time, risk, workaround, wtp)",
            ),
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
        try:
            mentions, selection = query_selection(segment=segment, params=request.query_params, fmt=fmt)
        except SelectionError as exc:
            raise ValidationError({exc.param: [exc.message]}) from exc
        export = export_segment(
            segment=segment, fmt=fmt, filters=form.filters(), mentions=mentions, selection=selection
        )
        return streaming_export(export, attachment=fmt != "json")


# --- Review: the machine proposes, people decide ------------------------------------------------


class ReviewPermission(BasePermission):
    """Reads for any signed-in member; writes (review decisions) for reviewers and admins.

    A member's role, not a model permission, says who reviews: a PM's token reads the queue but
    cannot reject a mention or rename a theme. Here only "a reviewer somewhere" is checked, for a
    quick, clear 403; the review services check the role in the rows' own workspace. Which
    workspaces a user sees stays the querysets' job, so someone else's mention is still a 404.
    """

    message = "Reviewing mentions and themes needs the reviewer role; ask one of your workspace's admins."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False  # DRF turns this into a 401
        if request.method in SAFE_METHODS or request.user.is_superuser:
            return True
        return Membership.objects.filter(user=request.user, role__in=roles_at_least(Role.REVIEWER)).exists()


class MentionSerializer(serializers.ModelSerializer):
    interview = serializers.CharField(source="interview.display_id", read_only=True)
    segment = serializers.CharField(source="interview.segment.slug", read_only=True)
    theme_name = serializers.CharField(source="theme.name", read_only=True, default=None, allow_null=True)
    source = serializers.SerializerMethodField()  # type: ignore[assignment]  # DRF allows the name
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, default=None, allow_null=True)
    # Blank when not said (a pain without a severity, a WTP without a period): the schema lists "" too.
    severity = serializers.ChoiceField(choices=Severity.choices, allow_blank=True, read_only=True)
    wtp_period = serializers.ChoiceField(choices=WtpPeriod.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Mention
        fields = [
            "id",
            "segment",
            "interview",
            "kind",
            "field",
            "start",
            "end",
            "quote",
            "quote_missing",
            "theme",
            "theme_name",
            "proposed_theme_key",
            "severity",
            "hours_per_week",
            "wtp_min",
            "wtp_max",
            "wtp_period",
            "currency",
            "risk_amount",
            "refused",
            "source",
            "review_status",
            "reviewed_by",
            "reviewed_at",
            "extractor_version",
        ]
        read_only_fields = fields

    def get_source(self, obj: Mention) -> str:
        return "machine" if obj.review_status == ReviewStatus.UNREVIEWED else "reviewer"


class MentionEditSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    start = serializers.IntegerField(min_value=0, max_value=MAX_ID, required=False)
    end = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    theme = IdField(required=False, help_text="id of a theme of the same kind and segment")


class ReviewDecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(child=IdField(), allow_empty=False, max_length=1000)
    status = serializers.ChoiceField(choices=[ReviewStatus.ACCEPTED, ReviewStatus.REJECTED])


class MentionFilter(filters.FilterSet):
    segment = SlugFilter(field_name="interview__segment__slug")
    # An id, like `segment` a slug: one that names no theme of yours lists nothing (it was a 400).
    theme = IdFilter(field_name="theme_id")
    usage = filters.ChoiceFilter(field_name="interview__participant__usage", choices=UsageType.choices)

    class Meta:
        model = Mention
        fields = ["segment", "kind", "review_status", "theme", "severity", "usage"]


def _drf_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


class MentionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The review queue. Edits go through `PATCH`, decisions through `review`."""

    serializer_class = MentionSerializer
    filterset_class = MentionFilter
    permission_classes = [ReviewPermission]

    def get_queryset(self) -> QuerySet[Mention]:
        return mention_list(user=self.request.user).order_by("interview_id", "field", "start")

    @extend_schema(request=MentionEditSerializer, responses=MentionSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        mention = self.get_object()
        edit = MentionEditSerializer(data=request.data)
        edit.is_valid(raise_exception=True)
        data = dict(edit.validated_data)
        if "theme" in data:
            theme = theme_list(user=request.user).filter(pk=data["theme"]).first()
            if theme is None:
                raise ValidationError({"theme": f"No theme {data['theme']} in your workspaces."})
            data["theme"] = theme
        try:
            review.mention_edit(mention=mention, user=request_user(request), **data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        return Response(MentionSerializer(mention).data)

    @extend_schema(request=ReviewDecisionSerializer, responses={200: OpenApiTypes.OBJECT})
    # `format`: the router also routes `review.json` (and `merge.json`, `split.json`) and hands the
    # suffix over as a keyword; without the parameter those URLs were a TypeError, a 500.
    @action(detail=False, methods=["post"])
    def review(self, request: Request, format: str | None = None) -> Response:
        """Accept or reject one or many mentions: `{"ids": [1, 2], "status": "accepted"}`."""
        decision = ReviewDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        ids = decision.validated_data["ids"]
        mentions = list(self.get_queryset().filter(pk__in=ids))
        missing = sorted(set(ids) - {m.pk for m in mentions})
        if missing:
            raise ValidationError({"ids": f"Not found in your workspaces: {', '.join(map(str, missing))}."})
        count = review.mentions_set_status(
            mentions=mentions, user=request_user(request), status=decision.validated_data["status"]
        )
        return Response({"updated": count})


class ThemeSerializer(serializers.ModelSerializer):
    segment = serializers.CharField(source="segment.slug", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Theme
        fields = [
            "id",
            "segment",
            "kind",
            "key",
            "name",
            "merged_into",
            "renamed_by_reviewer",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = fields


class ThemeRenameSerializer(serializers.Serializer):
    # Optional, as for any PATCH (and as the schema's PatchedThemeRename says): without it nothing changes.
    name = StrictCharField(max_length=200, required=False)


class ThemeMergeSerializer(serializers.Serializer):
    sources = serializers.ListField(child=IdField(), allow_empty=False)


class ThemeSplitSerializer(serializers.Serializer):
    mentions = serializers.ListField(child=IdField(), allow_empty=False)
    name = StrictCharField(max_length=200)


class ThemeFilter(filters.FilterSet):
    segment = SlugFilter(field_name="segment__slug")

    class Meta:
        model = Theme
        fields = ["segment", "kind"]


class ThemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Themes per segment. Rename with `PATCH {"name"}`, merge and split with the actions."""

    serializer_class = ThemeSerializer
    filterset_class = ThemeFilter
    permission_classes = [ReviewPermission]

    def get_queryset(self) -> QuerySet[Theme]:
        return theme_list(user=self.request.user).filter(merged_into=None).order_by("segment_id", "kind", "name")

    @extend_schema(request=ThemeRenameSerializer, responses=ThemeSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        theme = self.get_object()
        body = ThemeRenameSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if "name" not in body.validated_data:
            return Response(ThemeSerializer(theme).data)
        try:
            review.theme_rename(theme=theme, user=request_user(request), name=body.validated_data["name"])
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        return Response(ThemeSerializer(theme).data)

    @extend_schema(request=ThemeMergeSerializer, responses=ThemeSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Fold the `sources` themes into this one."""
        target = self.get_object()
        body = ThemeMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sources = list(self.get_queryset().filter(pk__in=body.validated_data["sources"]))
        if len(sources) != len(set(body.validated_data["sources"])):
            raise ValidationError({"sources": "Some themes are not in your workspaces (or already merged)."})
        try:
            review.themes_merge(target=target, sources=sources, user=request_user(request))
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        return Response(ThemeSerializer(target).data)

    @extend_schema(request=ThemeSplitSerializer, responses={201: ThemeSerializer})  # a new theme: 201
    @action(detail=False, methods=["post"])
    def split(self, request: Request, format: str | None = None) -> Response:
        """Move the given mentions into a new theme named `name`."""
        body = ThemeSplitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = body.validated_data["mentions"]
        mentions = list(mention_list(user=request.user).filter(pk__in=ids))
        if len(mentions) != len(set(ids)):
            raise ValidationError({"mentions": "Some mentions are not in your workspaces."})
        try:
            theme = review.theme_split(mentions=mentions, user=request_user(request), name=body.validated_data["name"])
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        return Response(ThemeSerializer(theme).data, status=201)
