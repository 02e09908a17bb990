"""``make restore-drill``: dump (or take a dump), restore into a scratch database, verify
every signature, submission, stored file and the audit chain there, then drop it
(accounts.restore_drill, docs/operations.md)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from accounts.restore_drill import Drill, DrillError, verify_here


class Command(BaseCommand):
    help = "Restore a dump into a scratch database and verify it; exit 1 on any mismatch."

    def add_arguments(self, parser):
        parser.add_argument("--dump", help="an existing pg_dump -Fc file (default: dump now)")
        parser.add_argument(
            "--media-root", help="the restored private files (default: PRIVATE_MEDIA_ROOT)"
        )
        parser.add_argument("--jobs", type=int, default=1, help="pg_restore parallel jobs")
        parser.add_argument(
            "--keep", action="store_true", help="keep the scratch database for inspection"
        )
        # The drill's child process: check the database this process is configured for.
        parser.add_argument("--verify-here", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, dump=None, media_root=None, jobs=1, keep=False, **options):
        if options["verify_here"]:
            if not verify_here(self.stdout.write):
                raise CommandError("checks failed")
            return
        drill = Drill(dump=dump, media_root=media_root, jobs=jobs, keep=keep)
        try:
            result = drill.run()
        except DrillError as error:
            raise CommandError(f"Restore drill could not run: {error}") from error
        for line in result.summary():
            self.stdout.write(line)
        if keep:
            self.stdout.write(f"Scratch database kept: {result.scratch}")
        if not result.ok:
            raise CommandError("Restore drill failed: " + ", ".join(result.failed_checks))
