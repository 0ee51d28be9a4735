"""Queued background tasks name their function by path; the tasks moved with the desk/reader
layout, so rows still waiting under the old paths are pointed at the new ones."""

from django.db import migrations

MOVED = {
    "issues.tasks.run_import_job": "desk.jobs.run_import_job",
    "issues.tasks.render_edition": "reader.edition.render_edition",
}


def forwards(apps, schema_editor):
    TaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in MOVED.items():
        TaskResult.objects.filter(task_path=old).update(task_path=new)


def backwards(apps, schema_editor):
    TaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in MOVED.items():
        TaskResult.objects.filter(task_path=new).update(task_path=old)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0007_edition"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
