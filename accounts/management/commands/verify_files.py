"""Read every stored file back and compare it with the SHA-256 recorded when it was uploaded
(QUALITY.md §6, Backups); the restore drill runs it against the restored database."""

from django.core.management.base import BaseCommand, CommandError

from accounts.files import stored_files_verify


class Command(BaseCommand):
    help = "Check every stored file's bytes against its recorded SHA-256; exit 1 on a mismatch."

    def handle(self, *args, **options):
        checked, problems = stored_files_verify()
        for problem in problems:
            self.stdout.write(f"MISMATCH file={problem.public_id} check={problem.problem}")
        if problems:
            raise CommandError(f"{len(problems)} of {checked} file(s) failed")
        self.stdout.write(f"All {checked} files verified.")
