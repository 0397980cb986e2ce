"""Recompute stored assessments under a rulebook and report what changes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from assessments.models import Assessment
from assessments.reevaluation import assessments_reevaluate
from integration.models import Rulebook
from integration.services import rulebook_default_ensure


class Command(BaseCommand):
    help = (
        "Recompute every evaluated assessment under a rulebook (default: the published one), "
        "print what would change, and store the new recommendations beside the old ones "
        "unless --dry-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rulebook", metavar="VERSION", help="rulebook version to apply")
        parser.add_argument("--dry-run", action="store_true", help="report only; store nothing")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, rulebook=None, dry_run=False, no_progress=False, **options) -> None:
        if rulebook:
            try:
                chosen = Rulebook.objects.get(version=rulebook)
            except Rulebook.DoesNotExist as exc:
                known = ", ".join(Rulebook.objects.values_list("version", flat=True)) or "none"
                raise CommandError(f'No rulebook "{rulebook}". Known versions: {known}.') from exc
        else:
            chosen = rulebook_default_ensure()
        total = Assessment.objects.filter(current_evaluation__isnull=False).count()
        with tqdm(
            total=total, unit="assessment", disable=no_progress, file=self.stderr._out
        ) as bar:
            result = assessments_reevaluate(rulebook=chosen, dry_run=dry_run, progress=bar.update)
        for change in result.changes:
            self.stdout.write(
                f"{change.mission} assessment {change.assessment_id} · {change.function} · "
                f"{change.level}: {change.before} → {change.after}"
            )
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"Rulebook {chosen.name} {chosen.version}: {result.assessments} assessments "
            f"re-evaluated, {result.changed_assessments} {verb}"
            + (" (dry run: nothing stored)." if dry_run else "; new recommendations stored.")
        )
