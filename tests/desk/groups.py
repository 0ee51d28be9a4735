"""The desk groups as the data migrations grant them, for transactional (browser) tests.

A transactional test starts after others flushed the tables, the groups the data migrations
made included (and only the flush's own signal remakes the permission rows, so
serialized_rollback, which skips it, would starve later tests). Each such test puts the
groups back with ``restore_desk_groups`` instead of its own copy of the grants.
"""

from __future__ import annotations

import importlib

from django.contrib.auth.models import Group, Permission, User

EDITORS = importlib.import_module("issues.migrations.0004_editor_groups")
FLAGS = importlib.import_module("articles.migrations.0006_flag_permissions")
REVISIONS = importlib.import_module("articles.migrations.0009_revision_permissions")
UNLOCK = importlib.import_module("issues.migrations.0010_chief_editors_unlock_logins")


def _specs() -> dict[str, list[dict[str, list[str]]]]:
    specs = {"Editors": [dict(EDITORS.EDITORS)], "Chief editors": [dict(EDITORS.EDITORS), EDITORS.CHIEF_EXTRA]}
    for name in specs:
        specs[name].append({"articles": FLAGS.FLAG_PERMISSIONS + REVISIONS.GRANTS[name]})
    specs["Chief editors"].append({UNLOCK.UNLOCK[0]: [UNLOCK.UNLOCK[1]]})
    return specs


def restore_desk_groups() -> dict[str, Group]:
    """Editors and Chief editors with every permission the data migrations give them."""
    groups = {}
    for name, parts in _specs().items():
        group = Group.objects.get_or_create(name=name)[0]
        group.permissions.set(
            [
                permission
                for spec in parts
                for app, codenames in spec.items()
                for permission in Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
            ]
        )
        groups[name] = group
    return groups


def desk_accounts(*pairs: tuple[str, str]) -> dict[str, User]:
    """Staff accounts ``name`` (password ``pw-<name>-123``) in the restored desk groups."""
    groups = restore_desk_groups()
    users = {}
    for name, group in pairs:
        users[name] = User.objects.create_user(name, password=f"pw-{name}-123", is_staff=True)  # noqa: S106
        users[name].groups.add(groups[group])
    return users
