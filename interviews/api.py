"""REST API for capture. Thin: serializers validate shape, services do the writes, selectors scope reads."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.api_fields import SlugFilter, StrictCharField, StrictModelSerializer
from interviews import selectors, services
from interviews.auth import request_user
from interviews.models import PARTICIPANT_FIELDS, ExtractionStatus, Interview, Participant, Segment, UsageType
from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT_KEYS


def _as_drf_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


class SegmentSerializer(StrictModelSerializer):
    workspace = serializers.CharField(source="workspace.name", read_only=True)
    interview_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Segment
        fields = [
            "id", "workspace", "name", "slug", "description", "industry",
            "team_size_min", "team_size_max", "arr_min", "arr_max",
            "hourly_cost", "weeks_per_year", "target_interviews",
            "target_our_product_pct", "target_competitor_pct", "target_nothing_pct",
            "interview_count", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at"]
        # Uniqueness is per workspace and checked in validate(); the model constraint is the backstop.
        validators: list[Any] = []


class SegmentViewSet(viewsets.ModelViewSet):
    serializer_class = SegmentSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Segment]:
        return selectors.segment_list(user=self.request.user)

    def get_object(self) -> Segment:
        return selectors.segment_get(user=self.request.user, slug=self.kwargs["slug"])

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        workspace = selectors.workspaces_for_user(user=self.request.user).order_by("id").first()
        if workspace is None:
            raise ValidationError({"workspace": "You are not a member of any workspace; ask an admin to add you."})
        data = dict(serializer.validated_data)
        if Segment.objects.filter(workspace=workspace, slug=data.get("slug")).exists():
            raise ValidationError({"slug": f"A segment with slug '{data.get('slug')}' already exists."})
        try:
            segment = services.segment_create(workspace=workspace, **data)
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from exc
        # Read back through the selector, which counts the interviews: the 201 carries `interview_count`
        # like every other segment the API returns (the schema says it is always there).
        serializer.instance = selectors.segment_list(user=self.request.user).get(pk=segment.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        segment = serializer.instance
        assert segment is not None  # an update always has its instance
        for name, value in serializer.validated_data.items():
            setattr(segment, name, value)
        try:
            segment.full_clean()
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from exc
        segment.save()


class ParticipantSerializer(StrictModelSerializer):
    class Meta:
        model = Participant
        fields = [*PARTICIPANT_FIELDS, "display_name"]
        # Every field may be left out: an anonymised interview has no name ("Participant N").
        extra_kwargs = {
            "name": {"required": False, "allow_blank": True},
            "competitor": {"required": False, "allow_blank": True},
        }

    display_name = serializers.CharField(read_only=True)


@extend_schema_field(
    {
        "type": "object",
        "properties": {key: {"type": "string", "maxLength": MAX_ANSWER_CHARS} for key in SCRIPT_KEYS},
        "additionalProperties": False,
    }
)
class AnswersField(serializers.DictField):
    """Answers keyed by script question; unknown keys are named in the error."""

    child = StrictCharField(allow_blank=True, max_length=MAX_ANSWER_CHARS)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(SCRIPT_KEYS))
            if unknown:
                raise ValidationError(
                    f"Unknown script key(s): {', '.join(unknown)}. Valid keys are: {', '.join(SCRIPT_KEYS)}."
                )
        return super().to_internal_value(data)


class InterviewSerializer(StrictModelSerializer):
    segment = serializers.SlugField(source="segment.slug")
    participant = ParticipantSerializer(required=False)
    answers = AnswersField()
    notes = StrictCharField(allow_blank=True, required=False, default="", max_length=MAX_NOTES_CHARS)
    id = StrictCharField(source="external_id", required=False, allow_blank=True, default="")

    class Meta:
        model = Interview
        fields = [
            "pk", "id", "segment", "participant", "interviewed_on", "answers", "notes",
            "status", "status_error", "extraction_started_at", "extraction_finished_at",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "pk", "status", "status_error", "extraction_started_at", "extraction_finished_at",
            "created_at", "updated_at",
        ]  # fmt: skip


class InterviewFilter(filters.FilterSet):
    segment = SlugFilter(field_name="segment__slug")
    status = filters.ChoiceFilter(choices=ExtractionStatus.choices)
    usage = filters.ChoiceFilter(field_name="participant__usage", choices=UsageType.choices)

    class Meta:
        model = Interview
        fields = ["segment", "status", "usage"]


class InterviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InterviewSerializer
    filterset_class = InterviewFilter

    def get_queryset(self) -> QuerySet[Interview]:
        return selectors.interview_list(user=self.request.user)

    def _segment(self, slug: str) -> Segment:
        segment = selectors.segment_for_writing(user=self.request.user, slug=slug)
        if segment is None:
            raise ValidationError({"segment": f"Unknown segment '{slug}'. Create it first or check the slug."})
        return segment

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        segment = self._segment(data["segment"]["slug"])
        try:
            interview = services.interview_log(
                segment=segment,
                participant_data=data.get("participant", {}),
                answers=data["answers"],
                notes=data.get("notes", ""),
                interviewer=request_user(request),
                interviewed_on=data.get("interviewed_on"),
                external_id=data.get("external_id", ""),
            )
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from exc
        # The body is the saved interview through the serializer that validated the request (as DRF's
        # own create does): a second serializer would build all its fields again for the same output.
        serializer.instance = interview
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        interview = self.get_object()
        serializer = self.get_serializer(interview, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            interview = services.interview_update(
                interview=interview,
                answers=data.get("answers"),
                notes=data.get("notes") if "notes" in request.data else None,
                interviewed_on=data.get("interviewed_on"),
            )
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from exc
        serializer.instance = interview
        return Response(serializer.data)

    def perform_destroy(self, instance: Interview) -> None:
        services.interview_delete(interview=instance)
