"""Re-check every signature against the current content, and every submission's manifest and
files against storage (QUALITY.md §5, Verification)."""

from django.core.management.base import BaseCommand, CommandError

from applications.signatures import signatures_verify
from applications.submission import submissions_verify


class Command(BaseCommand):
    help = (
        "Verify every signature (seal, chain, snapshot, current content) and every submission's "
        "manifest and files; exit 1 on a mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--application", help="public ID of one application")

    def handle(self, *args, application=None, **options):
        problems = signatures_verify(application_id=application)
        problems += submissions_verify(application_id=application)
        for problem in problems:
            self.stdout.write(
                f"MISMATCH application={problem.application} item={problem.form_key} "
                f"signature={problem.signature_id} check={problem.problem}"
            )
        if problems:
            raise CommandError(f"{len(problems)} signature check(s) failed")
        self.stdout.write("All signatures verified.")
