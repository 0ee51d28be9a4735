"""Restore an archive written by export_archive onto an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from issues.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = "Restore PATH (.tar.gz from export_archive) onto an empty database, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            counts = import_archive(path)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {path}: " + ", ".join(f"{n} {label}" for label, n in counts.items() if n))
