"""Import raw issue text files: a thin shell around ``issues.importing.do_import_issue``.

Each file is imported on its own, atomically; a file that fails is reported as one line
``path: reason`` on stderr and the others still go in. The exit status is 1 if any failed.

With ``--publish`` the import and the publication stand or fall together: an issue whose
items still carry unreviewed flags is not imported at all, unless ``--override-flags
--reason "…"`` says why it may go out anyway; the history records the override, made by
the command line and the operating-system user, like a chief editor's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import glob
import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from desk.workflow import TransitionRefused, publish_imported
from issues.importer import ParseError, to_json
from issues.importing import ImportRefused, ImportResult, Refusal, do_import_issue
from issues.models import Publication

GLOB_CHARS = set("*?[")
# How to go on after a refusal, on the command line.
HINTS = {
    Refusal.CHANGED_FILE: "；要重新导入请加 --replace",
    Refusal.UNKNOWN_PUBLICATION: "，或加 --publication 指定",
}


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


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "未知"


class Command(BaseCommand):
    help = (
        "Import raw issue text (files, folders of *.txt, or globs), each file atomically. "
        "Same file again: unchanged; changed file: needs --replace."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="一个 .txt 文件、一个装有这类文件的文件夹，或一个通配模式"
        )
        parser.add_argument("--publication", metavar="SLUG", help="导入到哪份报纸（默认：报头所署的报纸）")
        parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="没有报头的文件所属的出版日期")
        parser.add_argument("--dry-run", action="store_true", help="只解析并报告，不写入数据库")
        parser.add_argument("--json", action="store_true", help="把解析结果以 JSON 输出到标准输出（日志写到标准错误）")
        parser.add_argument("--replace", action="store_true", help="文件有改动时重新导入该期")
        parser.add_argument("--publish", action="store_true", help="导入后发布该期")
        parser.add_argument(
            "--override-flags",
            action="store_true",
            help="与 --publish 同用：稿件有未审标记也发布（须写 --reason）",
        )
        parser.add_argument("--reason", default="", metavar="TEXT", help="忽略未审标记的理由（记入历史）")

    def handle(self, *args: object, **options: object) -> None:
        if options["override_flags"] and not options["publish"]:
            raise CommandError("--override-flags 只能与 --publish 同用")
        if options["override_flags"] and not str(options["reason"]).strip():
            raise CommandError('--override-flags 须写明理由：--reason "为何可以发布有标记的稿件"')
        publication = self._publication(options["publication"])
        paths, missing = expand_paths(options["paths"])
        if not paths:
            raise CommandError("; ".join(f"{arg}: {reason}" for arg, reason in missing) or "没有可导入的文件")
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
                result, published = self._import(path, publication, options)
            except TransitionRefused as exc:
                reason = f'{exc}；未导入。确需发布请加 --override-flags --reason "理由"'
                failures.append(f"{path}: {reason}")
                self._clear_progress()
                self.stderr.write(failures[-1])
                continue
            except (ParseError, ImportRefused, OSError) as exc:
                reason = f"cannot read the file ({exc.strerror})" if isinstance(exc, OSError) else str(exc)
                reason += HINTS.get(getattr(exc, "reason", None), "")
                failures.append(f"{path}: {reason}")
                self._clear_progress()
                self.stderr.write(failures[-1])
                continue
            self._clear_progress()
            counts[result.status] = counts.get(result.status, 0) + 1
            self._report(result)
            if published:
                self.log.write("  已发布" + ("（已忽略未审标记）" if options["override_flags"] else ""))
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

    def _import(self, path: Path, publication: Publication | None, options: dict) -> tuple[ImportResult, bool]:
        """Import one file and, with --publish, publish it through the workflow: one transaction."""
        with transaction.atomic():
            result = do_import_issue(
                path.read_bytes(),
                source_name=path.name,
                publication=publication,
                date=options["date"],
                replace=bool(options["replace"]),
                dry_run=bool(options["dry_run"]),
            )
            published = False
            if options["publish"] and result.issue is not None:
                published = publish_imported(
                    result.issue,
                    None,
                    override=bool(options["override_flags"]),
                    reason=str(options["reason"]),
                    actor=f"命令行导入（操作系统用户 {os_user()}）",
                )
        return result, published

    def _publication(self, slug: object) -> Publication | None:
        if not slug:
            return None
        try:
            return Publication.objects.get(slug=slug)
        except Publication.DoesNotExist:
            known = ", ".join(Publication.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"没有这份报纸：{slug!r}（已有：{known}）") from None

    def _report(self, result: ImportResult) -> None:
        self.log.write(result.summary())
        for warning in result.parse.warnings:
            self.log.write(f"  警告：{warning.chinese()}")
        self.log.write(f"  未归属的文本块：{len(result.parse.unassigned)}")

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
