"""An editor's process for tests/reader/test_workers.py: the desk's writes, on the database
that DATABASE_URL names, one command per line on stdin, "ok ..." on stdout after each commit.

    prepare             migrate, import the sample issue and publish it
    retract             unpublish it (desk.workflow)
    publish             publish it again
    headline TEXT       correct the headline of item 1/2 (a plain editorial save)
"""

from __future__ import annotations

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.core.management import call_command  # noqa: E402 - after django.setup()

from articles.models import Article  # noqa: E402
from desk import workflow  # noqa: E402
from issues.importing import do_import_issue  # noqa: E402
from issues.models import Issue  # noqa: E402
from tests.conftest import SAMPLE  # noqa: E402


def issue() -> Issue:
    return Issue.objects.get(date="2022-03-25")


def run(command: str, argument: str) -> str:
    if command == "prepare":
        call_command("migrate", verbosity=0)
        imported = do_import_issue(SAMPLE.read_bytes(), source_name=SAMPLE.name).issue
        workflow.do_publish_issue(imported, None, actor="测试", reason="测试数据", override=True)
    elif command == "retract":
        workflow.do_retract_issue(issue(), None, actor="测试")
    elif command == "publish":
        workflow.do_publish_issue(issue(), None, actor="测试", reason="测试数据", override=True)
    elif command == "headline":
        article = Article.objects.get(page__issue=issue(), page__number=1, position=2)
        article.headline = argument
        article.save()
    else:
        raise SystemExit(f"unknown command {command!r}")
    return "ok " + command


def main() -> None:
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        print(run(command, argument), flush=True)


if __name__ == "__main__":
    main()
