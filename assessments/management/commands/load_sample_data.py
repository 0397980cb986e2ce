"""Load the reference data and the 2007 sample missions; safe to run any number of times."""

from django.core.management.base import BaseCommand, CommandError

from assessments.sample_data import SampleDataError
from assessments.sample_data_services import sample_data_load
from missions.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the function catalogue, the UN entities and partners, and the five missions of "
        "the 2007 Addis Ababa seminar with one assessment each. Idempotent: a second run "
        "changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="load the functions and entities only, no missions or assessments",
        )

    def handle(self, *args, reference_only: bool = False, **options) -> None:
        load = reference_data_load if reference_only else sample_data_load
        try:
            counts = load(stdout=self.stdout)
        except SampleDataError as exc:
            raise CommandError(f"Sample data is invalid, nothing was loaded: {exc}") from exc
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Loaded {total} rows across {len(counts)} tables."))
