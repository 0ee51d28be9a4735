"""Backup and restore: the whole archive as one portable .tar.gz.

The archive holds ``data.json`` (every row of the newsroom apps, editors' corrections and
their history, users and groups, serialised with natural keys for content types and
permissions so it loads into any database), ``manifest.json`` and the media files. Restoring
needs an empty database and writes everything in one transaction.
"""

from __future__ import annotations

import io
import json
import tarfile
import time
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction

FORMAT = "newsroom-archive/1"
APPS = ("auth", "issues", "articles", "reversion")
# Permissions are created by migrations on every database; import jobs are transient work;
# the rendered edition is derived (`render_edition --stale` rebuilds it after a restore), and
# the site revision belongs to the database that serves (the restore's own saves move it).
SKIP = {"auth.permission", "issues.importjob", "issues.editionpage", "issues.publicrevision"}
# Rows that migrations seed (the default publication, the editors' groups): an empty
# database has them, and the archive's own copies replace them.
SEEDED = {"issues.publication", "auth.group"}


class ArchiveError(Exception):
    """An archive that cannot be written or restored; the message says why."""


def archived_models() -> list:
    models = [
        model
        for label in APPS
        if apps.is_installed(f"django.contrib.{label}") or label in {c.label for c in apps.get_app_configs()}
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in SKIP
    ]
    return serializers.sort_dependencies([(None, models)], allow_cycles=True)


def export_archive(path: Path) -> dict[str, int]:
    """Write the archive to ``path``; returns row counts per model."""
    counts: dict[str, int] = {}
    objects = []
    for model in archived_models():
        rows = list(model._default_manager.order_by("pk"))
        counts[model._meta.label] = len(rows)
        objects += rows
    data = serializers.serialize("json", objects, use_natural_foreign_keys=True, indent=None)
    manifest = {"format": FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "counts": counts}
    with tarfile.open(path, "w:gz") as tar:
        for name, payload in (
            ("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1)),
            ("data.json", data),
        ):
            _add(tar, name, payload.encode("utf-8"))
        for name in sorted(_stored_files(default_storage)):
            with default_storage.open(name, "rb") as fh:
                _add(tar, f"media/{name}", fh.read())
    return counts


def _add(tar: tarfile.TarFile, name: str, raw: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(raw), int(time.time())
    tar.addfile(info, io.BytesIO(raw))


def _stored_files(storage, folder: str = ""):
    """Every file in the media storage (local disk or S3 alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _stored_files(storage, f"{folder}/{sub}" if folder else sub)


def import_archive(path: Path) -> dict[str, int]:
    """Restore an archive onto an empty database; returns row counts per model."""
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise ArchiveError(f"{path}: not a newsroom archive ({exc})") from None
    with tar:
        try:
            manifest = json.loads(tar.extractfile("manifest.json").read())
            data = tar.extractfile("data.json").read().decode("utf-8")
        except (KeyError, AttributeError, ValueError) as exc:
            raise ArchiveError(f"{path}: not a newsroom archive ({exc})") from None
        if manifest.get("format") != FORMAT:
            raise ArchiveError(f"{path}: unknown archive format {manifest.get('format')!r}")
        models = archived_models()
        occupied = [m._meta.label for m in models if m._meta.label_lower not in SEEDED and m._default_manager.exists()]
        if occupied:
            raise ArchiveError(f"the database is not empty ({', '.join(occupied)}): restore needs an empty one")
        counts: dict[str, int] = {}
        with transaction.atomic(), connection.constraint_checks_disabled():
            for model in models:
                if model._meta.label_lower in SEEDED:
                    model._default_manager.all().delete()
            for obj in serializers.deserialize("json", data, handle_forward_references=True):
                obj.save()
                label = obj.object._meta.label
                counts[label] = counts.get(label, 0) + 1
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
        for member in tar.getmembers():
            name = member.name.removeprefix("media/")
            if not member.name.startswith("media/") or not member.isfile():
                continue
            parts = PurePosixPath(name).parts
            if not parts or name.startswith("/") or ".." in parts:
                raise ArchiveError(f"{path}: unsafe media path {member.name!r}")
            if default_storage.exists(name):
                default_storage.delete(name)
            default_storage.save(name, ContentFile(tar.extractfile(member).read()))
    return counts
