import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from interviews.models import Interview, Participant, Segment, Workspace
from interviews.script import MAX_ANSWER_CHARS, MAX_NOTES_CHARS, SCRIPT_KEYS
from tests.factories import UserFactory, WorkspaceFactory

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
    path = write(tmp_path, "a.jsonl", line(), line(id="i-2", notes="Another call."))
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
@pytest.mark.parametrize("participant", [{"name": ""}, {"company": "Ledgerline"}, None])
def test_anonymous_participants_import_and_show_as_participant_n(tmp_path, participant):
    """The whole file used to be rejected: "participant.name is required"."""
    data = json.loads(line(participant=participant))
    if participant is None:
        del data["participant"]
    call_command("import_interviews", str(write(tmp_path, "a.jsonl", json.dumps(data))), "--segment", "s")
    interview = Interview.objects.get()
    assert interview.participant.name == ""
    assert str(interview.participant).startswith(f"Participant {interview.participant.pk}")


@pytest.mark.django_db
def test_csv_without_a_name_column_imports_anonymous_interviews(tmp_path):
    path = write(tmp_path, "a.csv", "id,participant_role,whats_broken", "c-1,Ops,Payouts never reconcile.")
    call_command("import_interviews", str(path), "--segment", "s")
    assert Interview.objects.get().participant.display_name.startswith("Participant ")


@pytest.mark.django_db
def test_the_same_transcript_under_a_new_id_is_flagged_not_added(tmp_path):
    call_command("import_interviews", str(write(tmp_path, "a.jsonl", line())), "--segment", "s")
    # The same words again, re-spaced and re-cased, under another id: a likely duplicate.
    again = json.loads(line(id="i-9"))
    again["answers"]["whats_broken"] = "  reconciling payouts   BY HAND takes forever."
    path = write(tmp_path, "b.jsonl", json.dumps(again))
    with pytest.raises(CommandError, match=r"line 1: duplicate: likely a duplicate: interview i-1 \(Maya Okafor\)"):
        call_command("import_interviews", str(path), "--segment", "s")
    assert Interview.objects.count() == 1
    call_command("import_interviews", str(path), "--segment", "s", "--allow-duplicates")
    assert Interview.objects.count() == 2


@pytest.mark.django_db
def test_two_lines_with_the_same_text_in_one_file_are_flagged(tmp_path):
    path = write(tmp_path, "a.jsonl", line(), line(id="i-2"))
    with pytest.raises(CommandError, match="line 2: duplicate: likely a duplicate: interview i-1"):
        call_command("import_interviews", str(path), "--segment", "s")
    assert not Interview.objects.exists()


@pytest.mark.django_db
def test_a_transcript_file_imported_again_under_another_name_is_flagged(tmp_path):
    text = "Interviewer: What is broken?\nDana: Reconciling payouts by hand, every week.\n"
    (tmp_path / "dana.txt").write_text(text)
    (tmp_path / "dana-copy.txt").write_text(text)
    call_command("import_interviews", str(tmp_path / "dana.txt"), "--segment", "s")
    with pytest.raises(CommandError, match="likely a duplicate: interview dana"):
        call_command("import_interviews", str(tmp_path / "dana-copy.txt"), "--segment", "s")
    assert Interview.objects.count() == 1


@pytest.mark.django_db
def test_without_workspace_the_only_workspace_is_used_and_its_member_sees_the_segment(tmp_path, web, workspace):
    """It used to create a 'default' workspace nobody belonged to: the PM's segment page was a 404."""
    call_command("import_interviews", str(write(tmp_path, "a.jsonl", line())), "--segment", "new")
    segment = Segment.objects.get(slug="new")
    assert segment.workspace == workspace
    assert Workspace.objects.count() == 1
    assert web.get(f"/segments/{segment.slug}/").status_code == 200


@pytest.mark.django_db
def test_without_workspace_several_workspaces_are_refused_by_name(tmp_path):
    WorkspaceFactory(name="Acme")
    WorkspaceFactory(name="Birch")
    with pytest.raises(CommandError) as error:
        call_command("import_interviews", str(write(tmp_path, "a.jsonl", line())), "--segment", "new")
    assert "--workspace" in str(error.value) and "'Acme', 'Birch'" in str(error.value)
    assert not Segment.objects.exists() and not Interview.objects.exists()
    assert Workspace.objects.count() == 2


@pytest.mark.django_db
def test_an_unknown_workspace_name_is_refused_not_created(tmp_path):
    WorkspaceFactory(name="Acme")
    with pytest.raises(CommandError, match="no workspace named 'Acmee'; pass --workspace with one of: 'Acme'"):
        call_command(
            "import_interviews", str(write(tmp_path, "a.jsonl", line())), "--segment", "s", "--workspace", "Acmee"
        )
    assert list(Workspace.objects.values_list("name", flat=True)) == ["Acme"]


@pytest.mark.django_db
def test_an_empty_install_gets_a_workspace_with_its_superusers(tmp_path, capsys):
    admin = UserFactory(is_superuser=True, is_staff=True)
    UserFactory()  # not a superuser: not added
    call_command("import_interviews", str(write(tmp_path, "a.jsonl", line())), "--segment", "s")
    workspace = Workspace.objects.get()
    assert list(workspace.members.all()) == [admin]
    assert f"created workspace 'default'; members: {admin.username}" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_refused_import_leaves_no_workspace_behind(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_interviews", str(write(tmp_path, "a.jsonl", line(), line())), "--segment", "s")
    assert not Workspace.objects.exists() and not Segment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        (
            line(answers={"favourite_colour": "blue"}),
            "line 2: unknown script key(s) favourite_colour; valid keys: " + ", ".join(SCRIPT_KEYS),
        ),
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
    path = write(tmp_path, "bad.jsonl", line(), bad, line(id="i-3", notes="Third."))
    with pytest.raises(CommandError) as err:
        call_command("import_interviews", str(path), "--segment", "s")
    assert message in str(err.value)
    assert Interview.objects.count() == 0
    assert Segment.objects.count() == 0


@pytest.mark.django_db
def test_skip_invalid_imports_good_lines_and_lists_bad_ones(tmp_path, capsys):
    path = write(tmp_path, "bad.jsonl", line(), "{oops", line(id="i-3", notes="Third."))
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
