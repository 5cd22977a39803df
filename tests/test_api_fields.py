"""The API's model serializers build their fields from the model once per class, not per request."""

from rest_framework import serializers

from config.api_fields import _copy_field
from interviews.api import InterviewSerializer, ParticipantSerializer


def test_the_fields_are_built_once_per_class(monkeypatch):
    built = []
    real = serializers.ModelSerializer.get_fields

    def counting(self):
        built.append(type(self).__name__)
        return real(self)

    monkeypatch.setattr(serializers.ModelSerializer, "get_fields", counting)
    monkeypatch.delattr(InterviewSerializer, "_built_fields", raising=False)
    monkeypatch.delattr(ParticipantSerializer, "_built_fields", raising=False)
    for _ in range(3):
        interview = InterviewSerializer()
        assert "answers" in interview.fields and "name" in interview.fields["participant"].fields
    assert built == ["InterviewSerializer", "ParticipantSerializer"]


def test_each_serializer_has_its_own_fields_bound_to_it():
    first, second = InterviewSerializer(), InterviewSerializer()
    assert first.fields["notes"] is not second.fields["notes"]
    assert first.fields["notes"].parent is first and second.fields["notes"].parent is second
    nested = first.fields["participant"]
    assert nested is not second.fields["participant"] and nested.parent is first
    assert nested.fields["name"] is not ParticipantSerializer().fields["name"]


def test_validation_of_one_request_does_not_leak_into_the_next():
    bad = InterviewSerializer(data={"segment": "s", "answers": {"nope": "x"}, "notes": 5})
    assert not bad.is_valid()
    assert set(bad.errors) == {"answers", "notes"}
    good = InterviewSerializer(data={"segment": "s", "answers": {"risk": "Fines."}})
    assert good.is_valid(), good.errors
    assert good.validated_data["answers"] == {"risk": "Fines."} and good.validated_data["notes"] == ""


def test_binding_a_copy_leaves_the_class_fields_unbound():
    # Plain fields are copied shallow: binding one serializer's must not bind the class's own,
    # and a dict's child is bound under the copy that holds it.
    first = InterviewSerializer()
    answers = first.fields["answers"]
    assert answers.child.parent is answers and answers.parent is first
    assert all(f.parent is None and f.field_name is None for f in InterviewSerializer._built_fields.values())


def test_a_mutable_default_is_never_shared_between_copies():
    field = serializers.JSONField(default={"risk": []})
    assert _copy_field(field).default is not field.default
    assert _copy_field(field).default == field.default


def test_a_whole_number_field_takes_only_a_json_integer():
    # The schema says integer: DRF alone would take 0.0 and "3" (and True, as 1).
    from interviews.api import SegmentSerializer

    for wrong in (0.0, "3", True, 2.5):
        bad = SegmentSerializer(data={"name": "Dentists", "team_size_min": wrong})
        assert not bad.is_valid()
        assert bad.errors["team_size_min"] == ["A valid integer is required."], wrong
    assert SegmentSerializer().fields["team_size_min"].run_validation(3) == 3
