"""``python manage.py retention_run [--dry-run]``: the daily retention pass by hand."""

from django.core.management.base import BaseCommand

from retention.services import retention_run


class Command(BaseCommand):
    help = "Warn about abandoned drafts and remove those whose warning period is over."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would happen and change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        for line in retention_run(dry_run=dry_run).lines():
            self.stdout.write(line)
