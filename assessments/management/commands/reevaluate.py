"""Recompute stored assessments under a rulebook and report what changes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from assessments.models import Assessment
from assessments.reevaluation import assessments_reevaluate
from integration.exceptions import RulebookStateError
from integration.models import Rulebook
from integration.services import rulebook_default_ensure


class Command(BaseCommand):
    help = (
        "Recompute every evaluated assessment under a rulebook (default: the published one), "
        "print what would change (degrees, barriers, leads), and store the new recommendations "
        "beside the old ones unless --dry-run. Storing under a rulebook that is not published "
        "needs --make-current."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rulebook", metavar="VERSION", help="rulebook version to apply")
        parser.add_argument("--dry-run", action="store_true", help="report only; store nothing")
        parser.add_argument(
            "--make-current",
            action="store_true",
            help="store under a draft or retired rulebook anyway, making its answers current",
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(
        self,
        *args,
        rulebook=None,
        dry_run=False,
        make_current=False,
        no_progress=False,
        **options,
    ) -> None:
        if rulebook:
            try:
                chosen = Rulebook.objects.get(version=rulebook)
            except Rulebook.DoesNotExist as exc:
                known = ", ".join(Rulebook.objects.values_list("version", flat=True)) or "none"
                raise CommandError(f'No rulebook "{rulebook}". Known versions: {known}.') from exc
        else:
            chosen = rulebook_default_ensure()
        total = Assessment.objects.filter(current_evaluation__isnull=False).count()
        try:
            with tqdm(
                total=total, unit="assessment", disable=no_progress, file=self.stderr._out
            ) as bar:
                result = assessments_reevaluate(
                    rulebook=chosen,
                    dry_run=dry_run,
                    make_current=make_current,
                    progress=bar.update,
                )
        except RulebookStateError as exc:
            raise CommandError(
                f"{exc} Publish it first, or run with --dry-run to see what would change, or "
                "with --make-current to store its answers anyway."
            ) from exc
        for change in result.changes:
            self.stdout.write(
                f"{change.mission} assessment {change.assessment_id} · {change.function} · "
                f"{change.level}: {change.before} → {change.after}"
            )
        for failure in result.failed:
            self.stderr.write(
                f"{failure.mission} assessment {failure.assessment_id} not re-evaluated: "
                f"{failure.reason}"
            )
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"Rulebook {chosen.name} {chosen.version}: {result.assessments} assessments "
            f"re-evaluated, {result.changed_assessments} {verb}"
            + (" (dry run: nothing stored)." if dry_run else "; new recommendations stored.")
        )
        if result.failed:
            self.stdout.write(
                f"{len(result.failed)} could not be evaluated and kept their recommendations "
                "(see above)."
            )
        if result.skipped:
            ids = ", ".join(map(str, result.skipped))
            self.stdout.write(
                f"{len(result.skipped)} changed while being re-evaluated and kept their "
                f"recommendations (assessments {ids}); run the command again for them."
            )
