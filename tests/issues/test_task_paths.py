"""Tasks queued before the desk/reader layout name their old paths; the migration points them
at the new ones, and the worker then runs them."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from reader.edition import render_edition

migration = importlib.import_module("issues.migrations.0008_task_paths")


def test_a_task_queued_under_its_old_path_runs_after_the_migration(db, monkeypatch, sample_issue):
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    result = render_edition.enqueue([sample_issue.pk])
    DBTaskResult.objects.filter(pk=result.id).update(task_path="issues.tasks.render_edition")

    migration.forwards(apps, None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.task_path == "reader.edition.render_edition"
    assert row.status == "SUCCESSFUL"


def test_every_moved_path_names_a_task():
    for new in migration.MOVED.values():
        module, name = new.rsplit(".", 1)
        assert hasattr(importlib.import_module(module), name), new
