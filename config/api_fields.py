"""Fields and filters the API shares: inputs taken as the schema states them, nothing coerced.

DRF's CharField turns a number into text (`"industry": 5` became "5") and its IntegerField takes
5.0 and "5", which the schema, saying string or integer, does not allow: a client sending the
wrong type gets a 400 that says so. A query filter
naming a slug with a NUL character in it names nothing, rather than failing the request as if
the parameter were malformed (a NUL is valid text in a URL, never in a slug).
"""

import copy
from typing import Any, ClassVar

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# The largest id a database column holds (a signed 64-bit integer; SQLite fails on more with an error).
MAX_ID = 2**63 - 1


class StrictIntegerField(serializers.IntegerField):
    """A whole number as JSON writes one: DRF also takes 5.0 and "5", which the schema's integer
    does not allow; a client sending them gets a 400 that says so. (A bool is an int in Python.)"""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(StrictIntegerField):
    """A row id: 1 to MAX_ID, as the schema says; an id past it names no row and is a 400, not a 500."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class _TextOnly:
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")  # type: ignore[attr-defined]  # a CharField's: "Not a valid string."
        # The schema's maxLength is of what was sent; DRF measures after trimming the outer spaces.
        max_length = getattr(self, "max_length", None)
        if max_length is not None and len(data) > max_length:
            self.fail("max_length", max_length=max_length)  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictCharField(_TextOnly, serializers.CharField):
    pass


class StrictSlugField(_TextOnly, serializers.SlugField):
    pass


class StrictModelSerializer(serializers.ModelSerializer):
    """Model text fields as text only; the fields built from the model once per class.

    DRF builds every field again from the model's metadata for each serializer instance: twice per
    POST /api/interviews/ (the interview and its nested participant), 7% of the request's Python
    calls. They depend on the class alone (its Meta and declared fields, never the request or the
    instance), so they are built on first use and each instance gets its own copies, as DRF copies
    the declared fields. A subclass whose fields depend on the context must not inherit this.

    The copies are shallow where that is the same field to bind (see _copy_field): DRF's deep copy
    builds each field again from its arguments, and was 7% of a POST's CPU.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        **{
            field: StrictIntegerField
            for field in (
                models.IntegerField,
                models.SmallIntegerField,
                models.BigIntegerField,
                models.PositiveIntegerField,
                models.PositiveSmallIntegerField,
                models.PositiveBigIntegerField,
            )
        },
    }
    _built_fields: ClassVar[dict[str, serializers.Field]]

    def get_fields(self) -> dict[str, serializers.Field]:
        cls = type(self)
        built = cls.__dict__.get("_built_fields")  # this class's own, never a parent's
        if built is None:
            built = super().get_fields()
            cls._built_fields = built  # two threads building at once build the same fields
        return {name: _copy_field(field) for name, field in built.items()}


# Defaults a shallow copy may share: nothing can change them in place.
_IMMUTABLE = (type(None), str, int, float, bool, bytes, tuple, frozenset)


def _copy_field(field: serializers.Field) -> serializers.Field:
    """A field of its own for one serializer instance, as DRF's deep copy gives.

    bind() only assigns attributes (name, parent, source), so a shallow copy of a field that holds
    no other field binds without touching the original; its validators and messages, shared, are
    only read. A field holding fields (a nested serializer, a list's or dict's child, a relation's)
    is copied deep, so its children are bound under the copy; so is one with a mutable default,
    which a request could change in place.
    """
    if (
        isinstance(field, serializers.BaseSerializer)
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
        or not (field.default is serializers.empty or callable(field.default) or isinstance(field.default, _IMMUTABLE))
    ):
        return copy.deepcopy(field)
    return copy.copy(field)


class _AnyText(forms.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class SlugFilter(filters.CharFilter):
    """A slug to filter by: one no row can have (a NUL in it) lists nothing."""

    field_class = _AnyText

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value and "\x00" in value:
            return qs.none()
        return super().filter(qs, value)


@extend_schema_field({"type": "integer"})
class IdFilter(filters.NumberFilter):
    """A row id: whole numbers only, and one no row can have (past 64 bits) lists nothing."""

    field_class = forms.IntegerField

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value is not None and not -(2**63) <= value < 2**63:
            return qs.none()
        return super().filter(qs, value)
