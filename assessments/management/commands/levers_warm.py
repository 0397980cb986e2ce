"""Compute the levers of every assessment's current evaluation into the shared cache."""

from django.core.management.base import BaseCommand

from assessments.levers_cache import levers_warm
from assessments.models import Assessment

BATCH = 500


class Command(BaseCommand):
    help = (
        "Compute the levers of every assessment's current evaluation, in every language, into "
        "the levers cache (those already there are skipped). Run it after a deployment that "
        "changes the engine: the cache's keys name the engine's code, so it starts empty."
    )

    def handle(self, *args, **options) -> None:
        ids = list(
            Assessment.objects.filter(current_evaluation__isnull=False)
            .order_by("current_evaluation_id")
            .values_list("current_evaluation_id", flat=True)
        )
        computed = sum(
            levers_warm(evaluation_ids=ids[start : start + BATCH])
            for start in range(0, len(ids), BATCH)
        )
        self.stdout.write(
            self.style.SUCCESS(f"{len(ids)} evaluations: {computed} levers entries computed.")
        )
