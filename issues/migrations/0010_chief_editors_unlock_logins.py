"""Chief editors may lift a colleague's login lockout at the desk (desk/admin/accounts.py),
which deletes django-axes' access attempts of that username and address."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

UNLOCK = ("axes", "delete_accessattempt")


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make axes' now.
    app_config = apps.get_app_config("axes")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    chiefs, _ = Group.objects.get_or_create(name="Chief editors")
    chiefs.permissions.add(Permission.objects.get(content_type__app_label=UNLOCK[0], codename=UNLOCK[1]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for chiefs in Group.objects.filter(name="Chief editors"):
        chiefs.permissions.remove(*Permission.objects.filter(content_type__app_label=UNLOCK[0], codename=UNLOCK[1]))


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0009_public_revision"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
