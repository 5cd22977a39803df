import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from interviews.models import Interview, Participant, Segment
from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT_KEYS

DATA = Path(__file__).parent / "data"


def line(**overrides):
    data = {
        "id": "i-1",
        "participant": {
            "name": "Maya Okafor",
            "company": "Ledgerline",
            "role": "Ops",
            "team_size": 7,
            "usage": "nothing",
        },
        "answers": {"whats_broken": "Reconciling payouts by hand takes forever.", "time_spent": "3 hours a week"},
        "notes": "Keen.",
    }
    data.update(overrides)
    return json.dumps(data)


def write(tmp_path, name, *lines):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_jsonl_import_creates_segment_workspace_and_interviews(tmp_path):
    path = write(tmp_path, "a.jsonl", line(), line(id="i-2"))
    call_command("import_interviews", str(path), "--segment", "fintech")
    segment = Segment.objects.get(slug="fintech")
    assert segment.workspace.name == "default"
    assert sorted(segment.interviews.values_list("external_id", flat=True)) == ["i-1", "i-2"]
    interview = segment.interviews.get(external_id="i-1")
    assert interview.whats_broken.startswith("Reconciling payouts")
    assert interview.participant.team_size == 7


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(tmp_path):
    call_command("import_interviews", str(write(tmp_path, "a.jsonl", line())), "--segment", "s")
    changed = line(answers={"whats_broken": "Now it is onboarding that hurts."})
    call_command("import_interviews", str(write(tmp_path, "b.jsonl", changed)), "--segment", "s")
    assert Interview.objects.count() == 1
    assert Participant.objects.count() == 1
    assert Interview.objects.get().whats_broken == "Now it is onboarding that hurts."


@pytest.mark.django_db
def test_workspace_option_picks_the_workspace(tmp_path):
    call_command("import_interviews", str(write(tmp_path, "a.jsonl", line())), "--segment", "s", "--workspace", "Acme")
    assert Segment.objects.get().workspace.name == "Acme"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        (
            line(answers={"favourite_colour": "blue"}),
            "line 2: unknown script key(s) favourite_colour; valid keys: " + ", ".join(SCRIPT_KEYS),
        ),
        (line(participant={"name": ""}), "line 2: participant.name is required"),
        (line(participant={"name": "A", "usage": "sometimes"}), "line 2: participant.usage 'sometimes'"),
        (line(id=""), "line 2: id is required"),
        (
            line(answers={"risk": "x" * (MAX_ANSWER_CHARS + 1)}),
            f"line 2: risk is {MAX_ANSWER_CHARS + 1:,} characters; the limit is {MAX_ANSWER_CHARS:,}",
        ),
        (line(notes="x" * (MAX_NOTES_CHARS + 1)), f"the limit is {MAX_NOTES_CHARS:,}"),
        (line(answers={}, notes=""), "line 2: no answers and no notes"),
        (line(interviewed_on="last tuesday"), "line 2: interviewed_on 'last tuesday' is not a date"),
        ("[1, 2]", "line 2: each line must be a JSON object"),
        (line(id="i-1"), "line 2: id 'i-1' repeats line 1"),
    ],
)
def test_bad_line_aborts_whole_file_with_its_line_number(tmp_path, bad, message):
    path = write(tmp_path, "bad.jsonl", line(), bad, line(id="i-3"))
    with pytest.raises(CommandError) as err:
        call_command("import_interviews", str(path), "--segment", "s")
    assert message in str(err.value)
    assert Interview.objects.count() == 0
    assert Segment.objects.count() == 0


@pytest.mark.django_db
def test_skip_invalid_imports_good_lines_and_lists_bad_ones(tmp_path, capsys):
    path = write(tmp_path, "bad.jsonl", line(), "{oops", line(id="i-3"))
    call_command("import_interviews", str(path), "--segment", "s", "--skip-invalid")
    out = capsys.readouterr().out
    assert "imported 2 interview(s)" in out
    assert "line 2: not valid JSON" in out
    assert sorted(Interview.objects.values_list("external_id", flat=True)) == ["i-1", "i-3"]


@pytest.mark.django_db
def test_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(line(notes="cafe").replace("cafe", "caf\u00e9").encode("latin-1"))
    with pytest.raises(CommandError, match=r"not UTF-8 \(byte 0xe9"):
        call_command("import_interviews", str(path), "--segment", "s")
    assert Interview.objects.count() == 0


@pytest.mark.django_db
def test_unknown_file_type_and_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"unknown file type \.xlsx"):
        call_command("import_interviews", str(write(tmp_path, "a.xlsx", "x")), "--segment", "s")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_interviews", str(tmp_path / "missing.jsonl"), "--segment", "s")


@pytest.mark.django_db
def test_csv_import_with_one_column_per_field(tmp_path):
    header = "id,participant_name,participant_usage,participant_team_size,whats_broken,willingness_to_pay,notes"
    rows = [
        'c-1,Ana,competitor,5,"Too many tools, honestly",$100/month,',
        "c-2,Ben,nothing,,Onboarding is slow,,met at a meetup",
    ]
    call_command("import_interviews", str(write(tmp_path, "a.csv", header, *rows)), "--segment", "s")
    ana = Interview.objects.get(external_id="c-1")
    assert ana.whats_broken == "Too many tools, honestly"
    assert ana.participant.usage == "competitor"
    assert Interview.objects.get(external_id="c-2").notes == "met at a meetup"


@pytest.mark.django_db
def test_csv_unknown_column_lists_valid_ones(tmp_path):
    path = write(tmp_path, "a.csv", "id,participant_name,mood", "c-1,Ana,happy")
    with pytest.raises(CommandError, match="unknown column\\(s\\) mood; valid columns: id, interviewed_on"):
        call_command("import_interviews", str(path), "--segment", "s")


@pytest.mark.django_db
def test_csv_bad_team_size_names_line(tmp_path):
    path = write(tmp_path, "a.csv", "id,participant_name,participant_team_size,risk", "c-1,Ana,lots,fines")
    with pytest.raises(CommandError, match=r"line 2: participant\.team_size must be a whole number"):
        call_command("import_interviews", str(path), "--segment", "s")


@pytest.mark.django_db
def test_transcript_file_becomes_one_interview_with_notes(tmp_path):
    path = tmp_path / "call_with_dana.txt"
    path.write_text("Interviewer: How do you track it?\nDana: A spreadsheet, and it breaks every month.\n")
    call_command("import_interviews", str(path), "--segment", "s")
    interview = Interview.objects.get()
    assert interview.external_id == "call_with_dana"
    assert "A spreadsheet" in interview.notes


@pytest.mark.django_db
def test_srt_transcript_keeps_only_the_spoken_text(tmp_path):
    path = tmp_path / "call.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nWe reconcile by hand.\n\n2\n00:00:05,000 --> 00:00:07,000\nIt takes hours.\n"
    )
    call_command("import_interviews", str(path), "--segment", "s")
    assert Interview.objects.get().notes == "We reconcile by hand.\nIt takes hours."


@pytest.mark.django_db
def test_shipped_eval_sample_round_trips(tmp_path, capsys):
    """A line in the evaluation format (with its gold labels) imports and exports by its id."""
    sample = (DATA / "eval_sample.jsonl").read_text()
    path = tmp_path / "eval.jsonl"
    path.write_text(sample)
    call_command("import_interviews", str(path), "--segment", "small-fintech-teams")
    originals = [json.loads(x) for x in sample.splitlines() if x.strip()]
    for original in originals:
        interview = Interview.objects.get(external_id=original["id"])
        assert interview.answers == {k: original["answers"].get(k, "") for k in SCRIPT_KEYS}
        assert interview.notes == original["notes"]
        assert interview.participant.name == original["participant"]["name"]
    capsys.readouterr()
    call_command("export_insights", "--segment", "small-fintech-teams", "--mentions", "--format", "json")
    exported = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in exported["interviews"]] == [o["id"] for o in originals]
