"""Check the audit trail's hash chain (QUALITY.md §8); the restore drill runs it against the
restored database."""

from django.core.management.base import BaseCommand, CommandError

from accounts.services import audit_verify


class Command(BaseCommand):
    help = "Check the audit chain (changed, missing or re-linked rows); exit 1 on a problem."

    def handle(self, *args, **options):
        problems = audit_verify()
        for problem in problems:
            self.stdout.write(f"MISMATCH audit {problem}")
        if problems:
            raise CommandError(f"{len(problems)} audit chain problem(s)")
        self.stdout.write("Audit chain verified.")
