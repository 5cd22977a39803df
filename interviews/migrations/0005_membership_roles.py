"""Workspace members get a role (issue 14, item 11). Every existing member becomes an admin, so
nobody loses what they could do before; new members start as PMs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_members(apps, schema_editor):
    Workspace = apps.get_model("interviews", "Workspace")
    Membership = apps.get_model("interviews", "Membership")
    through = Workspace.members.through
    Membership.objects.bulk_create(
        [
            Membership(workspace_id=row.workspace_id, user_id=row.user_id, role="admin")
            for row in through.objects.all()
        ]
    )


def copy_members_back(apps, schema_editor):
    Workspace = apps.get_model("interviews", "Workspace")
    Membership = apps.get_model("interviews", "Membership")
    through = Workspace.members.through
    through.objects.bulk_create(
        [through(workspace_id=m.workspace_id, user_id=m.user_id) for m in Membership.objects.all()]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0004_interview_extraction_task_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("pm", "PM: logs and edits interviews"),
                            ("reviewer", "Reviewer: also reviews mentions and themes"),
                            ("admin", "Admin: also manages members"),
                        ],
                        default="pm",
                        max_length=10,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="interviews.workspace",
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("workspace", "user"), name="one_membership_per_user")]
            },
        ),
        # The old many-to-many's rows are copied before its table goes.
        migrations.RunPython(copy_members, copy_members_back),
        migrations.RemoveField(model_name="workspace", name="members"),
        migrations.AddField(
            model_name="workspace",
            name="members",
            field=models.ManyToManyField(
                blank=True, related_name="workspaces", through="interviews.Membership", to=settings.AUTH_USER_MODEL
            ),
        ),
    ]
