"""Changes to items readers already see wait as revisions (desk/revisions.py): both desk
groups see them, chief editors publish them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": ["view_articlerevision"],
    "Chief editors": ["view_articlerevision", "publish_revision"],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_revision"),
        ("issues", "0004_editor_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
