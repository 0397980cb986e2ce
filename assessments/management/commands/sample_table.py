"""Print (or write into docs/engine.md) the expected answers of the five sample missions."""

from django.core.management.base import BaseCommand

from assessments.sample_table import DOC_PATH, doc_with_table, sample_table_markdown


class Command(BaseCommand):
    help = (
        "Print the sample missions' expected table (function × level as degree / feasible, "
        "lead, humanitarian arrangement) computed from the sample data under the default "
        "rulebook; with --write, put it between the markers of docs/engine.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--write", action="store_true", help="rewrite the table block of docs/engine.md"
        )

    def handle(self, *args, write: bool = False, **options) -> None:
        table = sample_table_markdown()
        if not write:
            self.stdout.write(table, ending="")
            return
        DOC_PATH.write_text(
            doc_with_table(DOC_PATH.read_text(encoding="utf-8"), table), encoding="utf-8"
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote the sample table into {DOC_PATH.name}."))
