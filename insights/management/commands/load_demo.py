from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from insights import review
from insights.models import Theme
from interviews import services
from interviews.importers import parse_file
from interviews.models import Role

DEMO_FILE = Path(__file__).resolve().parents[3] / "interviews" / "demo" / "demo_segment.jsonl"
DEMO_USER = "demo"
DEMO_PASSWORD = "sift-demo-2026"
# What a reviewer adds after a first look at the machine's themes (admin, Themes, synonym phrases):
# the demo shows the synonym table at work. Without it the machine splits board packs and investor
# updates into small themes of their own (see the README's Insights section).
DEMO_SYNONYMS = {  # theme key: (name, phrases)
    "compliance": (
        "Compliance deadlines and filings",
        ["filing", "filings", "license", "licence", "regulator", "deadline"],
    ),
    "reporting": ("Board and investor reporting", ["board pack", "board deck", "board update", "investor update"]),
    "kyc": ("KYC and onboarding delays", ["KYC", "KYB", "onboarding"]),
    "reconciliation": ("Bank reconciliation", ["reconcile", "recon", "matching", "settlement data"]),
}


class Command(BaseCommand):
    help = "Create the demo login, workspace and segment of 15 interviews. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        parsed = parse_file(DEMO_FILE)
        if parsed.errors:  # the shipped file is ours: a broken one is a bug worth failing loudly on
            raise RuntimeError("demo data is invalid: " + "; ".join(parsed.errors))
        with transaction.atomic():
            user_model = get_user_model()
            user, created = user_model.objects.get_or_create(
                username=DEMO_USER, defaults={"is_staff": True, "is_superuser": True}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            workspace = services.workspace_get_or_create(name="Demo workspace")
            workspace.members.add(user, through_defaults={"role": Role.ADMIN})
            segment, _ = services.segment_get_or_create(workspace=workspace, slug="small-fintech-saas")
            segment.name = "Small fintech SaaS teams"
            segment.description = "Fintech SaaS companies with 3-10 people and $100k-$1M ARR."
            segment.industry = "Fintech SaaS"
            segment.team_size_min, segment.team_size_max = 3, 10
            segment.arr_min, segment.arr_max = 100_000, 1_000_000
            segment.save()
            existing = set(Theme.objects.filter(segment=segment, kind="pain").values_list("key", flat=True))
            for key, (name, phrases) in DEMO_SYNONYMS.items():
                if key not in existing:  # loaded before: whatever reviewers changed since stays
                    # Seeded by this script, not decided by a reviewer: no one to record.
                    review.theme_synonyms_add(segment=segment, user=None, key=key, name=name, phrases=phrases)
            imported, _ = services.interviews_import(segment=segment, rows=parsed.rows)
        self.stdout.write(
            f"Demo segment '{segment.name}' has {len(imported)} interviews.\n"
            f"Log in at http://127.0.0.1:8000/ as {DEMO_USER} / "
            + (DEMO_PASSWORD if created or user.check_password(DEMO_PASSWORD) else "(password changed since)")
        )
