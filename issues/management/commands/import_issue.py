"""Import raw issue text files: a thin shell around ``issues.importing.do_import_issue``.

Each file is imported on its own, atomically; a file that fails is reported as one line
``path: reason`` on stderr and the others still go in. The exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from issues.importer import ParseError, to_json
from issues.importing import ImportRefused, ImportResult, do_import_issue
from issues.models import Publication

GLOB_CHARS = set("*?[")


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: expected YYYY-MM-DD, e.g. 2022-03-25") from None


def expand_paths(args: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named by ``args`` (files, folders of *.txt, globs), in order, without repeats.

    Returns the files and ``(arg, reason)`` for every argument that names nothing.
    """
    files: dict[Path, None] = {}
    missing: list[tuple[str, str]] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not os.access(path, os.R_OK | os.X_OK):
                missing.append((arg, "cannot read the folder (permission denied)"))
            elif not found:
                missing.append((arg, "folder has no *.txt files"))
        elif path.exists():
            found = [path]
        elif GLOB_CHARS & set(arg):
            found = sorted(Path(p) for p in glob.glob(arg) if Path(p).is_file())
            if not found:
                missing.append((arg, "no files match this pattern"))
        else:
            found = []
            missing.append((arg, "no such file or folder"))
        files.update(dict.fromkeys(found))
    return list(files), missing


class Command(BaseCommand):
    help = (
        "Import raw issue text (files, folders of *.txt, or globs), each file atomically. "
        "Same file again: unchanged; changed file: needs --replace."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="a .txt file, a folder of them, or a glob")
        parser.add_argument("--publication", metavar="SLUG", help="publication to import into (default: masthead)")
        parser.add_argument(
            "--date", type=iso_date, metavar="YYYY-MM-DD", help="issue date for a file without masthead"
        )
        parser.add_argument("--dry-run", action="store_true", help="parse and report, write nothing")
        parser.add_argument("--json", action="store_true", help="print the parse as JSON on stdout (logs to stderr)")
        parser.add_argument("--replace", action="store_true", help="re-import an issue whose file changed")
        parser.add_argument("--publish", action="store_true", help="publish the issue after importing it")

    def handle(self, *args: object, **options: object) -> None:
        publication = self._publication(options["publication"])
        paths, missing = expand_paths(options["paths"])
        if not paths:
            raise CommandError("; ".join(f"{arg}: {reason}" for arg, reason in missing) or "no files to import")
        self.as_json = bool(options["json"])
        self.log = self.stderr if self.as_json else self.stdout
        self.progress = self.stderr.isatty()

        failures = [f"{arg}: {reason}" for arg, reason in missing]
        for line in failures:
            self.stderr.write(line)
        documents, counts = [], {}
        for index, path in enumerate(paths, start=1):
            self._show_progress(index, len(paths), path)
            try:
                result = do_import_issue(
                    path.read_bytes(),
                    source_name=path.name,
                    publication=publication,
                    date=options["date"],
                    replace=bool(options["replace"]),
                    publish=bool(options["publish"]),
                    dry_run=bool(options["dry_run"]),
                )
            except (ParseError, ImportRefused, OSError) as exc:
                reason = f"cannot read the file ({exc.strerror})" if isinstance(exc, OSError) else str(exc)
                failures.append(f"{path}: {reason}")
                self._clear_progress()
                self.stderr.write(failures[-1])
                continue
            self._clear_progress()
            counts[result.status] = counts.get(result.status, 0) + 1
            self._report(result)
            if self.as_json:
                documents.append({**to_json(result.parse), "source": str(path)})
        self._clear_progress()

        if self.as_json and documents:
            single = len(options["paths"]) == 1 and Path(options["paths"][0]).is_file()
            payload = documents[0] if single else documents
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        total = len(paths) + len(missing)
        parts = [f"{status.label} {n}" for status, n in counts.items()]
        parts += [f"失败 {len(failures)}"] if failures else []
        self.log.write(f"{total} 个文件：{'，'.join(parts)}")
        if failures:
            # Each failure is already on stderr as one line; CommandError would add another.
            raise SystemExit(1)

    def _publication(self, slug: object) -> Publication | None:
        if not slug:
            return None
        try:
            return Publication.objects.get(slug=slug)
        except Publication.DoesNotExist:
            known = ", ".join(Publication.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"unknown publication {slug!r} (known: {known})") from None

    def _report(self, result: ImportResult) -> None:
        self.log.write(result.summary())
        for warning in result.parse.warnings:
            self.log.write(f"  warning: {warning}")
        self.log.write(f"  unassigned blocks: {len(result.parse.unassigned)}")

    def _show_progress(self, index: int, total: int, path: Path) -> None:
        if self.progress:
            width = 30
            done = width * (index - 1) // total
            bar = "#" * done + "-" * (width - done)
            self.stderr.write(f"\r[{bar}] {index}/{total} {path.name[:40]}", ending="")
            self.stderr.flush()

    def _clear_progress(self) -> None:
        if self.progress:
            self.stderr.write("\r\033[K", ending="")
            self.stderr.flush()
