"""Flags travel with their item in history (a revert restores them, and drops those raised
since), so whoever may restore an item needs the rights on its flag rows: both desk groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FLAG_PERMISSIONS = ["view_articleflag", "add_articleflag", "change_articleflag", "delete_articleflag"]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    rows = list(Permission.objects.filter(content_type__app_label="articles", codename__in=FLAG_PERMISSIONS))
    for group in Group.objects.filter(name__in=["Editors", "Chief editors"]):
        group.permissions.add(*rows)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_flag_rows"),
        ("issues", "0004_editor_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
