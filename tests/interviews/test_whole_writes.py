"""One write, one transaction; bad input is a `line N: ...` message or a 400 and changes nothing."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from interviews import services
from interviews.models import Interview, Participant, Segment

ANSWERS = {"whats_broken": "Chasing receipts every Friday.", "time_spent": "2 hours a week"}


def post(segment, **overrides):
    data = {"segment": segment.slug, "id": "api-1", "participant": {"name": "Ana"}, "answers": ANSWERS, "notes": ""}
    return data | overrides


def test_a_duplicate_id_is_a_400_and_leaves_no_orphan_participant(api, segment):
    assert api.post("/api/interviews/", post(segment), format="json").status_code == 201
    response = api.post("/api/interviews/", post(segment, participant={"name": "Ben"}), format="json")
    assert response.status_code == 400
    assert "already exists in this segment" in str(response.json()["id"])
    assert list(Participant.objects.values_list("name", flat=True)) == ["Ana"]
    assert Interview.objects.count() == 1


def test_the_api_refuses_an_interview_with_no_answers_and_no_notes(api, segment):
    response = api.post("/api/interviews/", post(segment, answers={}, notes="  "), format="json")
    assert response.status_code == 400
    assert "nothing to analyse" in str(response.json())
    assert not Participant.objects.exists() and not Interview.objects.exists()


def test_logging_an_interview_writes_both_rows_or_neither(segment):
    services.interview_log(segment=segment, participant_data={"name": "Ana"}, answers=ANSWERS, external_id="x")
    with pytest.raises(ValidationError):
        services.interview_log(segment=segment, participant_data={"name": "Ben"}, answers=ANSWERS, external_id="x")
    assert Participant.objects.count() == 1


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(**fields):
    data = {"id": "i-1", "participant": {"name": "Maya"}, "answers": ANSWERS} | fields
    return json.dumps(data) + "\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.jsonl", jsonl(answers="painful"), "line 1: answers must be an object keyed by script question"),
        ("a.jsonl", jsonl(notes="before\x00after"), "line 1: notes contains a NUL character"),
        ("a.jsonl", jsonl(participant={"name": "Ma\x00ya"}), "line 1: participant.name contains a NUL character"),
        ("call.vtt", "00:00:01.000 --> 00:00:02.000\nMaya: hi\n", "not a WebVTT file"),
    ],
)
def test_bad_files_get_a_message_not_a_traceback(tmp_path, name, text, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.").replace("(", r"\(")):
        call_command("import_interviews", str(write(tmp_path, name, text)), "--segment", "new")
    assert not Segment.objects.exists() and not Interview.objects.exists()


@pytest.mark.django_db
def test_a_failed_import_leaves_no_new_segment_behind(tmp_path, monkeypatch):
    # The file parses, then a model check refuses its second row (as PostgreSQL's integer range
    # refuses a team size of 10**12): nothing of the import may stay, not even the new segment.
    real = services.participant_create

    def refuse_second(**fields):
        if fields["name"] == "Ben":
            raise ValidationError({"team_size": "Ensure this value is less than or equal to 2147483647."})
        return real(**fields)

    monkeypatch.setattr(services, "participant_create", refuse_second)
    path = write(tmp_path, "a.jsonl", jsonl() + jsonl(id="i-2", participant={"name": "Ben"}, notes="Ben too."))
    with pytest.raises(CommandError, match="line 2: team_size"):
        call_command("import_interviews", str(path), "--segment", "brand-new")
    assert not Segment.objects.filter(slug="brand-new").exists()
    assert not Participant.objects.exists() and not Interview.objects.exists()
