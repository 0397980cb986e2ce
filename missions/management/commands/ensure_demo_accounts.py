"""Create the demo accounts and print them (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from missions.demo import demo_accounts_ensure


class Command(BaseCommand):
    help = "Create or reset one demo account per role and print the credentials (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts have known passwords: refused with DEBUG off.")
        self.stdout.write("Demo accounts (username / password):")
        for account in demo_accounts_ensure():
            self.stdout.write(
                f"  {account.username:<14} {account.password:<20} {account.description}"
            )
