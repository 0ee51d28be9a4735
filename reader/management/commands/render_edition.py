"""Render published issues into the rendered edition (after a deploy or a bulk load)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from issues.models import Issue
from reader import edition


class Command(BaseCommand):
    help = (
        "Render the public pages of published issues into the rendered edition: the given dates, "
        "or with --stale every issue with a page not rendered by this deployment or since its last change."
    )

    def add_arguments(self, parser):
        parser.add_argument("dates", nargs="*", metavar="YYYY-MM-DD")
        parser.add_argument("--stale", action="store_true", help="every published issue whose pages need rendering")

    def handle(self, *args, dates: list[str], stale: bool, **options):
        if bool(dates) == stale:
            raise CommandError("give issue dates or --stale")
        if stale:
            ids = list(edition.stale_issues().values_list("pk", flat=True))
        else:
            try:
                days = [dt.date.fromisoformat(d) for d in dates]
            except ValueError as exc:
                raise CommandError(f"not a date: {exc}") from None
            ids = list(Issue.objects.visible().filter(date__in=days).values_list("pk", flat=True))
            if not ids:
                raise CommandError("no published issue on those dates")
        total = 0
        for start in range(0, len(ids), 50):
            total += edition.render_issues(ids[start : start + 50])
            self.stdout.write(f"{min(start + 50, len(ids))}/{len(ids)} issues, {total} pages")
        self.stdout.write(f"rendered {total} pages of {len(ids)} issues")
