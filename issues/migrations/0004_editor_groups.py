"""The desk's two groups: Editors correct items and upload photos; Chief editors also
publish, unpublish, delete and override unreviewed flags."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = {
    "issues": ["view_publication", "view_issue", "change_issue", "view_page", "change_page"],
    "articles": [
        "view_article",
        "change_article",
        "add_article",
        "view_photo",
        "change_photo",
        "add_photo",
        "view_credit",
        "change_credit",
        "add_credit",
        "delete_credit",
        "view_person",
        "change_person",
        "add_person",
    ],
}
CHIEF_EXTRA = {
    "issues": ["add_issue", "delete_issue", "publish_issue", "override_flags", "add_page", "delete_page"],
    "articles": ["delete_article", "delete_photo", "delete_person"],
}


def add_groups(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(spec):
        found = []
        for app, codenames in spec.items():
            found += list(Permission.objects.filter(content_type__app_label=app, codename__in=codenames))
        return found

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(perms(EDITORS))
    chiefs, _ = Group.objects.get_or_create(name="Chief editors")
    chiefs.permissions.set(perms(EDITORS) + perms(CHIEF_EXTRA))


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0003_issue_permissions"),
        ("articles", "0003_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
