"""Roles (issue 14, item 11): existing members become admins, new ones PMs; a workspace's admins
manage its members in the admin, and a workspace always keeps one."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from interviews.models import Membership, Role
from interviews.selectors import member_may, role_of
from tests.factories import UserFactory, WorkspaceFactory


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_every_existing_member_an_admin():
    executor = MigrationExecutor(connection)
    before = [("interviews", "0004_interview_extraction_task_id")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Workspace, User = old.get_model("interviews", "Workspace"), old.get_model("auth", "User")
    workspace = Workspace.objects.create(name="Before roles")
    users = [User.objects.create(username=f"old-member-{n}") for n in range(2)]
    workspace.members.add(*users)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = Membership.objects.filter(workspace_id=workspace.pk).order_by("user_id")
    assert [(m.user_id, m.role) for m in rows] == [(u.pk, Role.ADMIN) for u in users]


def test_a_new_member_starts_as_a_pm_and_roles_include_the_ones_before(db):
    workspace, user = WorkspaceFactory(), UserFactory()
    workspace.members.add(user)
    assert role_of(user=user, workspace_id=workspace.pk) == Role.PM
    assert member_may(user=user, workspace=workspace, role=Role.PM)
    assert not member_may(user=user, workspace=workspace, role=Role.REVIEWER)
    Membership.objects.filter(user=user).update(role=Role.ADMIN)
    assert member_may(user=user, workspace=workspace, role=Role.REVIEWER)
    assert not member_may(user=user, workspace=WorkspaceFactory(), role=Role.PM)


@pytest.fixture
def team(db):
    workspace = WorkspaceFactory(name="Team")
    perms = Permission.objects.filter(content_type__app_label="interviews")
    people = {}
    for role in (Role.ADMIN, Role.PM):
        person = UserFactory(username=f"team-{role}", is_staff=True)
        person.user_permissions.add(*perms)
        workspace.members.add(person, through_defaults={"role": role})
        people[role] = person
    return workspace, people


def inline_post(workspace, rows):
    data = {
        "name": workspace.name,
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{n}-{key}"] = value
    return data


def current_rows(workspace):
    return [
        {"id": str(m.pk), "workspace": str(workspace.pk), "user": str(m.user_id), "role": m.role}
        for m in workspace.memberships.order_by("pk")
    ]


def test_a_workspace_admin_gives_a_member_a_role(client, team):
    workspace, people = team
    client.force_login(people[Role.ADMIN])
    rows = current_rows(workspace)
    for row in rows:
        if row["user"] == str(people[Role.PM].pk):
            row["role"] = Role.REVIEWER
    response = client.post(f"/admin/interviews/workspace/{workspace.pk}/change/", inline_post(workspace, rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert role_of(user=people[Role.PM], workspace_id=workspace.pk) == Role.REVIEWER


def test_a_pm_cannot_manage_members(client, team):
    workspace, people = team
    client.force_login(people[Role.PM])
    rows = current_rows(workspace)
    for row in rows:
        row["role"] = Role.ADMIN
    response = client.post(f"/admin/interviews/workspace/{workspace.pk}/change/", inline_post(workspace, rows))
    assert response.status_code == 403
    assert role_of(user=people[Role.PM], workspace_id=workspace.pk) == Role.PM


def test_a_workspace_keeps_at_least_one_admin(client, team):
    workspace, people = team
    client.force_login(people[Role.ADMIN])
    rows = current_rows(workspace)
    for row in rows:
        row["role"] = Role.PM
    response = client.post(f"/admin/interviews/workspace/{workspace.pk}/change/", inline_post(workspace, rows))
    assert response.status_code == 200
    assert "A workspace keeps at least one admin" in response.content.decode()
    assert role_of(user=people[Role.ADMIN], workspace_id=workspace.pk) == Role.ADMIN


def test_api_tokens_act_with_their_users_role(db):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from insights.models import ReviewStatus
    from tests.factories import InterviewFactory, SegmentFactory
    from tests.insights.factories import MentionFactory, ThemeFactory

    workspace = WorkspaceFactory()
    segment = SegmentFactory(workspace=workspace)
    mention = MentionFactory(
        interview=InterviewFactory(segment=segment), theme=ThemeFactory(segment=segment), start=0, end=5
    )
    clients = {}
    for role in (Role.PM, Role.REVIEWER):
        user = UserFactory()
        workspace.members.add(user, through_defaults={"role": role})
        clients[role] = APIClient()
        clients[role].credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    body = {"ids": [mention.pk], "status": ReviewStatus.REJECTED}
    refused = clients[Role.PM].post("/api/mentions/review/", body, format="json")
    assert refused.status_code == 403 and "reviewer role" in refused.json()["detail"]
    assert clients[Role.PM].get(f"/api/mentions/{mention.pk}/").status_code == 200  # reading is every member's
    assert clients[Role.REVIEWER].post("/api/mentions/review/", body, format="json").status_code == 200
    mention.refresh_from_db()
    assert mention.review_status == ReviewStatus.REJECTED
