"""Write the whole archive (rows, history, media) to one portable .tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand

from issues.archive import export_archive


class Command(BaseCommand):
    help = "Back up every issue, item, correction, history entry and media file to PATH (.tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        counts = export_archive(path)
        self.stdout.write(f"wrote {path}: " + ", ".join(f"{n} {label}" for label, n in counts.items() if n))
