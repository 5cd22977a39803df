import re

import pytest
from django.urls import reverse

from interviews.models import Interview
from interviews.script import MAX_ANSWER_CHARS, SCRIPT
from tests.factories import InterviewFactory, SegmentFactory, WorkspaceFactory


def form_data(segment, **overrides):
    data = {
        "segment": segment.pk,
        "participant_name": "Dana",
        "participant_usage": "nothing",
        "whats_broken": "Reporting eats my Mondays.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["interviews:home", "interviews:interview_create"])
def test_login_required(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_form_shows_every_script_question_with_help(web, segment):
    html = web.get(reverse("interviews:interview_create")).content.decode()
    for question in SCRIPT:
        assert question.help_text in html
        assert f'name="{question.key}"' in html


def test_log_interview_redirects_to_its_page(web, segment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = web.post(reverse("interviews:interview_create"), form_data(segment))
    interview = Interview.objects.get()
    assert response.status_code == 302 and response["Location"] == interview.get_absolute_url()
    assert len(callbacks) == 1
    page = web.get(interview.get_absolute_url()).content.decode()
    assert "Reporting eats my Mondays." in page and "Pending" in page


def test_empty_required_fields_show_inline_errors(web, segment):
    response = web.post(reverse("interviews:interview_create"), {"segment": segment.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert "participant_usage" in form.errors
    assert "participant_name" not in form.errors  # anonymous interviews are fine
    assert "nothing to analyse" in str(form.non_field_errors())
    assert Interview.objects.count() == 0


def test_an_interview_without_a_name_saves_and_shows_participant_n(web, segment):
    response = web.post(reverse("interviews:interview_create"), form_data(segment, participant_name=""))
    interview = Interview.objects.get()
    assert response.status_code == 302
    label = f"Participant {interview.participant.pk}"
    assert interview.participant.name == "" and interview.participant.display_name == label
    assert f"<h1>{label}</h1>" in web.get(interview.get_absolute_url()).content.decode()
    assert label in web.get(segment.get_absolute_url()).content.decode()


def test_overlong_answer_error_sits_next_to_the_field(web, segment):
    response = web.post(reverse("interviews:interview_create"), form_data(segment, risk="x" * (MAX_ANSWER_CHARS + 1)))
    assert response.status_code == 200
    assert "20000" in str(response.context["form"].errors["risk"])
    assert Interview.objects.count() == 0


def test_long_answers_have_a_counter_not_a_maxlength_the_browser_would_cut_a_paste_at(web, segment):
    html = web.get(reverse("interviews:interview_create")).content.decode()
    areas = re.findall(r"<textarea[^>]*>", html)
    assert len(areas) == 9 and not [a for a in areas if "maxlength" in a]  # every question, and the notes
    assert sum(f'data-max-chars="{MAX_ANSWER_CHARS}"' in a for a in areas) == 8
    assert 'data-max-chars="' in areas[-1] and "js/char_counter.js" in html
    # Past the limit the server says so beside the field and gives the whole answer back, uncut.
    long = "x" * (MAX_ANSWER_CHARS + 5)
    html = web.post(reverse("interviews:interview_create"), form_data(segment, risk=long)).content.decode()
    assert f"at most {MAX_ANSWER_CHARS} characters (it has {MAX_ANSWER_CHARS + 5})" in html
    assert f">\n{long}</textarea>" in html


def test_other_workspace_segment_cannot_be_chosen(web, segment):
    foreign = SegmentFactory(workspace=WorkspaceFactory())
    response = web.post(reverse("interviews:interview_create"), form_data(foreign))
    assert "segment" in response.context["form"].errors
    assert Interview.objects.count() == 0


def test_html_in_answers_is_escaped_on_every_page(web, segment):
    evil = "<script>alert(1)</script><b>bold</b>"
    interview = InterviewFactory(segment=segment, whats_broken=evil, notes=evil)
    interview.participant.name = evil
    interview.participant.save()
    for url in (interview.get_absolute_url(), segment.get_absolute_url(), reverse("interviews:home")):
        html = web.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in web.get(interview.get_absolute_url()).content.decode()


def test_segment_page_shows_progress_and_mix(web, segment):
    InterviewFactory.create_batch(2, segment=segment, participant__usage="competitor")
    InterviewFactory(segment=segment, participant__usage="our_product")
    response = web.get(segment.get_absolute_url())
    progress = response.context["progress"]
    assert progress["total"] == 3 and progress["target"] == 15
    mix = {row["usage"]: (row["count"], row["target"]) for row in progress["mix"]}
    assert mix == {"our_product": (1, 5), "competitor": (2, 5), "nothing": (0, 5)}
    assert "3/15" in response.content.decode()


def test_other_workspace_pages_are_404(web):
    foreign = InterviewFactory(segment=SegmentFactory(workspace=WorkspaceFactory()))
    assert web.get(foreign.get_absolute_url()).status_code == 404
    assert web.get(foreign.segment.get_absolute_url()).status_code == 404


def test_admin_lists_only_own_workspace_for_staff(client, user, segment):
    user.is_staff = True
    user.save()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_interview", "view_segment"]))
    mine = InterviewFactory(segment=segment)
    foreign = InterviewFactory(segment=SegmentFactory(workspace=WorkspaceFactory()))
    client.force_login(user)
    html = client.get("/admin/interviews/interview/").content.decode()
    assert mine.external_id in html and foreign.external_id not in html
    assert client.get(f"/admin/interviews/interview/{foreign.pk}/change/").status_code in (302, 404)
