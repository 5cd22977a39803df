"""Transcript upload: files in, speakers shown, the PM picks the interviewee, one interview per file."""

from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviews.models import Interview
from tests.factories import SegmentFactory, WorkspaceFactory

DATA = Path(__file__).parent / "data"
VTT = (DATA / "call_2026-01-12.vtt").read_bytes()
TXT = (
    b"Interviewer: What's broken?\nPriya: Month-end close. It takes two days every month.\n"
    b"Interviewer: And today?\nPriya: A spreadsheet we all fear.\n"
)
URL = reverse("interviews:transcript_upload")


def upload(web, segment, *files):
    return web.post(URL, {"segment": segment.pk, "transcripts": [SimpleUploadedFile(n, b) for n, b in files]})


def confirm_data(response, **overrides):
    """Step 2 as the page sends it: every block's fields with their initial values, plus overrides."""
    data = {"step": "confirm", "segment": response.context["segment"].pk, "count": len(response.context["blocks"])}
    for block in response.context["blocks"]:
        for name, field in block.fields.items():
            value = block.initial.get(name, field.initial)
            if value not in (None, False):
                data[block.add_prefix(name)] = value
    data.update(overrides)
    return data


def test_the_interview_form_offers_a_transcript_upload(web, segment):
    html = web.get(reverse("interviews:interview_create") + f"?segment={segment.slug}").content.decode()
    assert 'id="transcript-upload-form"' in html and 'enctype="multipart/form-data"' in html
    assert 'accept=".txt,.md,.vtt,.srt,.docx"' in html
    assert 'name="transcripts" id="id_transcripts" accept=".txt,.md,.vtt,.srt,.docx">' in html  # one file here


def test_the_segment_page_takes_several_files(web, segment):
    html = web.get(segment.get_absolute_url()).content.decode()
    assert 'id="transcript-upload-form"' in html and " multiple>" in html


def test_speakers_are_listed_with_a_line_each_and_the_guess_ticked(web, segment):
    response = upload(web, segment, ("call_2026-01-12.vtt", VTT))
    assert response.status_code == 200 and Interview.objects.count() == 0  # nothing saved yet
    html = response.content.decode()
    assert "2 speakers found" in html
    assert "Sam Lee" in html and "Thanks for joining. What does a typical day look like?" in html
    assert 'value="Dana Ortiz" data-name="Dana Ortiz" checked' in html
    block = response.context["blocks"][0]
    # Name and date from the file (VTT voice tag, the date in the file name), company from its NOTE.
    assert block.initial["participant_name"] == "Dana Ortiz"
    assert block.initial["interviewed_on"] == date(2026, 1, 12)
    assert block.initial["participant_company"] == "Ledgerline"


def test_confirming_saves_one_interview_with_only_the_interviewees_words(
    web, segment, django_capture_on_commit_callbacks
):
    response = upload(web, segment, ("call_2026-01-12.vtt", VTT))
    with django_capture_on_commit_callbacks(execute=True):
        saved = web.post(URL, confirm_data(response))
    interview = Interview.objects.get()
    assert saved.status_code == 302 and saved["Location"] == interview.get_absolute_url()
    assert interview.participant.name == "Dana Ortiz" and interview.interviewed_on == date(2026, 1, 12)
    assert interview.notes.count("Interviewee:") == 2 and "Interviewee: Thanks" not in interview.notes
    assert interview.status == "done"
    quotes = " ".join(interview.mentions.values_list("quote", flat=True))
    assert quotes and "typical day" not in quotes  # the interviewer's question is never a mention


def test_the_pm_can_pick_the_other_speaker(web, segment):
    response = upload(web, segment, ("call.vtt", VTT))
    web.post(URL, confirm_data(response, **{"t0-interviewee": "Sam Lee", "t0-participant_name": "Sam Lee"}))
    interview = Interview.objects.get()
    assert interview.participant.name == "Sam Lee"
    assert interview.notes.startswith("Interviewee: Thanks for joining")


def test_several_files_make_one_interview_each(web, segment):
    response = upload(web, segment, ("dana.vtt", VTT), ("priya.txt", TXT))
    assert len(response.context["blocks"]) == 2
    assert response.context["blocks"][1].initial["interviewee"] == "Priya"
    saved = web.post(URL, confirm_data(response))
    assert saved.status_code == 302 and saved["Location"] == segment.get_absolute_url()
    assert sorted(Interview.objects.values_list("participant__name", flat=True)) == ["Dana Ortiz", "Priya"]


def test_one_bad_block_saves_nothing_and_says_where(web, segment):
    response = upload(web, segment, ("dana.vtt", VTT), ("priya.txt", TXT))
    again = web.post(URL, confirm_data(response, **{"t1-participant_usage": "competitor"}))
    assert again.status_code == 200
    assert "Name the competitor they use." in again.content.decode()
    assert Interview.objects.count() == 0


def test_an_unreadable_file_is_named_and_the_others_go_on(web, segment):
    response = upload(web, segment, ("dana.vtt", VTT), ("scan.pdf", b"%PDF-1.4"))
    assert len(response.context["blocks"]) == 1
    assert "scan.pdf: unknown file type .pdf" in response.content.decode()
    only_bad = upload(web, segment, ("scan.pdf", b"%PDF-1.4"))
    assert "unknown file type .pdf" in " ".join(only_bad.context["form"].errors["transcripts"])


def test_no_file_is_a_clear_message(web, segment):
    response = web.post(URL, {"segment": segment.pk})
    assert "Choose one or more transcript files." in response.content.decode()


def test_the_same_transcript_uploaded_again_is_flagged_then_can_be_added(web, segment):
    web.post(URL, confirm_data(upload(web, segment, ("dana.vtt", VTT))))
    response = upload(web, segment, ("dana-again.vtt", VTT))
    flagged = web.post(URL, confirm_data(response))
    assert flagged.status_code == 200 and "likely a duplicate" in flagged.content.decode()
    assert Interview.objects.count() == 1
    web.post(URL, confirm_data(response, **{"t0-add_duplicate": "on"}))
    assert Interview.objects.count() == 2


def test_anonymous_upload_is_participant_n(web, segment):
    response = upload(
        web, segment, ("x.txt", b"Interviewer: Why?\nInterviewee: Because it breaks.\nInterviewer: Ok?\n")
    )
    assert response.context["blocks"][0].initial["participant_name"] == ""
    web.post(URL, confirm_data(response))
    assert Interview.objects.get().participant.display_name.startswith("Participant ")


def test_another_workspaces_segment_is_refused(web, segment):
    foreign = SegmentFactory(workspace=WorkspaceFactory())
    response = upload(web, foreign, ("dana.vtt", VTT))
    assert "segment" in response.context["form"].errors
    first = upload(web, segment, ("dana.vtt", VTT))
    web.post(URL, confirm_data(first, segment=foreign.pk))
    assert Interview.objects.count() == 0


def test_a_tampered_or_missing_transcript_is_refused(web, segment):
    response = upload(web, segment, ("dana.vtt", VTT))
    again = web.post(URL, confirm_data(response, **{"t0-turns": "not json"}))
    assert "upload the file again" in again.content.decode()
    assert Interview.objects.count() == 0
