import pytest
from django.contrib.auth.models import Permission

from insights.models import Mention, ReviewStatus, Theme
from insights.themes import themes_assign
from tests.factories import InterviewFactory, SegmentFactory, WorkspaceFactory

CHANGELIST = "/admin/insights/mention/"


def make_pain(interview, key="manual-reporting"):
    quote = interview.whats_broken[:20]
    m = Mention.objects.create(
        interview=interview,
        kind="pain",
        field="whats_broken",
        start=0,
        end=len(quote),
        quote=quote,
        proposed_theme_key=key,
        severity="medium",
    )
    themes_assign(segment=interview.segment, mentions=[m])
    return m


@pytest.fixture
def reviewer(user, workspace):
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="insights",
            codename__in=["view_mention", "change_mention", "view_theme", "change_theme"],
        )
    )
    return user


def test_queue_shows_quote_in_its_sentence_and_only_own_workspace(client, reviewer, segment):
    mine = make_pain(InterviewFactory(segment=segment))
    theirs = make_pain(InterviewFactory(segment=SegmentFactory(workspace=WorkspaceFactory())))
    client.force_login(reviewer)
    html = client.get(CHANGELIST, {"review_status": "unreviewed"}).content.decode()
    assert f"<mark>{mine.quote}</mark>" in html
    assert f"/{theirs.pk}/change/" not in html
    assert client.get(f"{CHANGELIST}{theirs.pk}/change/").status_code in (302, 404)


def test_bulk_accept_and_reject_record_the_reviewer(client, reviewer, segment):
    a, b = make_pain(InterviewFactory(segment=segment)), make_pain(InterviewFactory(segment=segment))
    client.force_login(reviewer)
    client.post(CHANGELIST, {"action": "accept", "_selected_action": [a.pk]})
    client.post(CHANGELIST, {"action": "reject", "_selected_action": [b.pk]})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.review_status, a.reviewed_by) == (ReviewStatus.ACCEPTED, reviewer)
    assert b.review_status == ReviewStatus.REJECTED


def test_bulk_action_cannot_touch_another_workspace(client, reviewer):
    theirs = make_pain(InterviewFactory(segment=SegmentFactory(workspace=WorkspaceFactory())))
    client.force_login(reviewer)
    client.post(CHANGELIST, {"action": "reject", "_selected_action": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.review_status == ReviewStatus.UNREVIEWED


def test_staff_without_change_permission_cannot_review(client, segment, user):
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_mention"))
    m = make_pain(InterviewFactory(segment=segment))
    client.force_login(user)
    client.post(CHANGELIST, {"action": "accept", "_selected_action": [m.pk]})
    m.refresh_from_db()
    assert m.review_status == ReviewStatus.UNREVIEWED


def test_set_severity_action_marks_edit(client, reviewer, segment):
    m = make_pain(InterviewFactory(segment=segment))
    client.force_login(reviewer)
    client.post(CHANGELIST, {"action": "set_severity_very_high", "_selected_action": [m.pk]})
    m.refresh_from_db()
    assert (m.severity, m.review_status) == ("very_high", ReviewStatus.EDITED)


def test_move_action_splits_into_a_new_theme(client, reviewer, segment):
    m = make_pain(InterviewFactory(segment=segment))
    client.force_login(reviewer)
    response = client.post(CHANGELIST, {"action": "move_to_theme", "_selected_action": [m.pk]})
    assert response.status_code == 200 and b"new_theme_name" in response.content
    client.post(
        CHANGELIST,
        {"action": "move_to_theme", "_selected_action": [m.pk], "apply": "1", "new_theme_name": "Investor reporting"},
    )
    m.refresh_from_db()
    assert m.theme.name == "Investor reporting" and m.review_status == ReviewStatus.EDITED


def test_merge_themes_action(client, reviewer, segment):
    a = make_pain(InterviewFactory(segment=segment), key="manual-reporting")
    b = make_pain(InterviewFactory(segment=segment), key="board-reporting")
    client.force_login(reviewer)
    client.post(
        "/admin/insights/theme/",
        {"action": "merge", "_selected_action": [a.theme_id, b.theme_id], "apply": "1", "target": a.theme_id},
    )
    b.refresh_from_db()
    assert b.theme_id == a.theme_id
    merged_away = Theme.objects.get(key="board-reporting")
    assert merged_away.merged_into_id == a.theme_id
    assert merged_away.reviewed_by == reviewer and Theme.objects.get(pk=a.theme_id).reviewed_by == reviewer


def test_rename_in_admin_is_kept_as_reviewers(client, reviewer, segment):
    theme = make_pain(InterviewFactory(segment=segment)).theme
    client.force_login(reviewer)
    client.post(f"/admin/insights/theme/{theme.pk}/change/", {"name": "Board pack by hand"})
    theme.refresh_from_db()
    assert theme.name == "Board pack by hand" and theme.renamed_by_reviewer
    assert theme.reviewed_by == reviewer and theme.reviewed_at is not None
    # Shown on the theme's page, not editable there.
    page = client.get(f"/admin/insights/theme/{theme.pk}/change/")
    assert reviewer.username in page.content.decode()
    assert {"reviewed_by", "reviewed_at"} <= set(page.context["adminform"].readonly_fields)
    assert not {"reviewed_by", "reviewed_at"} & set(page.context["adminform"].form.fields)


def test_non_staff_member_gets_no_admin(client, segment, user):
    make_pain(InterviewFactory(segment=segment))
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 302


def test_synonym_added_in_admin_records_the_reviewer(client, reviewer, segment, django_capture_on_commit_callbacks):
    theme = make_pain(InterviewFactory(segment=segment)).theme
    reviewer.user_permissions.add(*Permission.objects.filter(codename__endswith="_themesynonym"))
    client.force_login(reviewer)
    form = {
        "name": theme.name,
        "synonyms-TOTAL_FORMS": "1",
        "synonyms-INITIAL_FORMS": "0",
        "synonyms-0-phrase": "board pack",
        "synonyms-0-theme": theme.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/insights/theme/{theme.pk}/change/", form)
    assert response.status_code == 302, response.context and response.context["errors"]
    theme.refresh_from_db()
    assert list(theme.synonyms.values_list("phrase", flat=True)) == ["board pack"]
    assert theme.reviewed_by == reviewer and theme.reviewed_at is not None


# --- Reviewing fast: one row at a time, by key, from the matrix; pain and workaround themes apart ---


def test_each_row_of_the_queue_accepts_or_rejects_without_the_bulk_menu(client, reviewer, segment):
    a, b = make_pain(InterviewFactory(segment=segment)), make_pain(InterviewFactory(segment=segment))
    client.force_login(reviewer)
    page = f"{CHANGELIST}?review_status__exact=unreviewed"
    html = client.get(page).content.decode()
    accept = f"/admin/insights/mention/{a.pk}/review/accepted/?next="
    assert accept in html and f"/admin/insights/mention/{b.pk}/review/rejected/?next=" in html
    assert 'formmethod="post"' in html and "review_queue.js" in html and 'id="review-keys"' in html
    back = client.post(f"/admin/insights/mention/{a.pk}/review/accepted/?next={page.replace('?', '%3F')}")
    assert back.status_code == 302 and back["Location"] == page  # the same filtered queue
    client.post(f"/admin/insights/mention/{b.pk}/review/rejected/")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.review_status, a.reviewed_by) == (ReviewStatus.ACCEPTED, reviewer)
    assert (b.review_status, b.reviewed_by) == (ReviewStatus.REJECTED, reviewer)


def test_one_row_review_refuses_a_get_an_unknown_status_another_workspace_and_an_outside_next(
    client, reviewer, segment
):
    mine = make_pain(InterviewFactory(segment=segment))
    theirs = make_pain(InterviewFactory(segment=SegmentFactory(workspace=WorkspaceFactory())))
    client.force_login(reviewer)
    assert client.get(f"{CHANGELIST}{mine.pk}/review/accepted/").status_code == 405
    assert client.post(f"{CHANGELIST}{mine.pk}/review/edited/").status_code == 400
    assert client.post(f"{CHANGELIST}{theirs.pk}/review/accepted/").status_code == 404
    back = client.post(f"{CHANGELIST}{mine.pk}/review/accepted/?next=https://evil.example/")
    assert back["Location"] == CHANGELIST
    theirs.refresh_from_db()
    assert theirs.review_status == ReviewStatus.UNREVIEWED


def test_without_the_change_permission_there_are_no_row_buttons_and_no_review(client, segment, user):
    m = make_pain(InterviewFactory(segment=segment))
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(content_type__app_label="insights", codename="view_mention"))
    client.force_login(user)
    assert "/review/accepted/" not in client.get(CHANGELIST).content.decode()
    assert client.post(f"{CHANGELIST}{m.pk}/review/accepted/").status_code == 403
    m.refresh_from_db()
    assert m.review_status == ReviewStatus.UNREVIEWED


def test_pain_and_workaround_themes_are_filtered_apart(client, reviewer, segment):
    pain = make_pain(InterviewFactory(segment=segment), key="reporting")
    sheet = Theme.objects.create(segment=segment, kind="workaround", key="sheets", name="Spreadsheets")
    work = Mention.objects.create(
        interview=pain.interview, kind="workaround", field="current_solution", start=0, end=5, quote="Sprea",
        theme=sheet,
    )  # fmt: skip
    client.force_login(reviewer)
    html = client.get(CHANGELIST).content.decode()
    pains = html.split("By pain theme")[1].split("By workaround theme")[0]
    workarounds = html.split("By workaround theme")[1].split("</ul>")[0]
    assert pain.theme.name in pains and "Spreadsheets" not in pains
    assert "Spreadsheets" in workarounds and pain.theme.name not in workarounds
    listed = client.get(CHANGELIST, {"workaround_theme": sheet.pk}).content.decode()
    assert f"/{work.pk}/change/" in listed and f"/{pain.pk}/change/" not in listed


def test_review_this_row_opens_the_queue_on_the_mentions_behind_a_matrix_row(client, reviewer, segment):
    from django.urls import reverse

    from insights.matrix import evidence_ids, segment_matrix

    interview = InterviewFactory(segment=segment)
    pain = make_pain(interview, key="reporting")
    other = make_pain(InterviewFactory(segment=segment), key="billing")
    time = Mention.objects.create(
        interview=interview, kind="time", field="time_spent", start=0, end=5, quote="About", hours_per_week=4,
        about_key="reporting",
    )  # fmt: skip
    client.force_login(reviewer)
    row = next(r for r in segment_matrix(segment=segment).rows if r.key == "reporting")
    matrix = client.get(reverse("insights:matrix", args=[segment.slug])).content.decode()
    link = f"/admin/insights/mention/?matrix_row={row.theme_id}&amp;review_status__exact=unreviewed"
    assert link in matrix and "Review this row" in matrix
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert evidence_ids(segment=segment, theme_id=row.theme_id) == {pain.pk, time.pk}
    assert f"/{pain.pk}/change/" in listed and f"/{time.pk}/change/" in listed
    assert f"/{other.pk}/change/" not in listed
    # Another workspace's theme id shows nothing, not its mentions.
    foreign = make_pain(InterviewFactory(segment=SegmentFactory(workspace=WorkspaceFactory())), key="x")
    assert f"/{foreign.pk}/change/" not in client.get(CHANGELIST, {"matrix_row": foreign.theme_id}).content.decode()


def test_a_member_without_review_rights_sees_no_review_link_on_the_matrix(web, segment):
    from django.urls import reverse

    make_pain(InterviewFactory(segment=segment))
    assert "Review this row" not in web.get(reverse("insights:matrix", args=[segment.slug])).content.decode()


def test_a_staff_pm_with_the_permission_sees_no_review_link_until_they_are_a_reviewer(client, reviewer, segment):
    from django.urls import reverse

    from interviews.models import Membership, Role

    make_pain(InterviewFactory(segment=segment))
    Membership.objects.filter(user=reviewer).update(role=Role.PM)
    client.force_login(reviewer)
    url = reverse("insights:matrix", args=[segment.slug])
    assert "Review this row" not in client.get(url).content.decode()
    Membership.objects.filter(user=reviewer).update(role=Role.REVIEWER)
    assert "Review this row" in client.get(url).content.decode()
