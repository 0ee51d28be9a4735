from django.db import migrations


def add_publication(apps, schema_editor):
    Publication = apps.get_model("issues", "Publication")
    Publication.objects.get_or_create(
        slug="workers-daily",
        defaults={"name": "工人日报", "name_en": "Workers' Daily", "aliases": ["WORKERS' DAILY", "WORKERS DAILY"]},
    )


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]

    operations = [migrations.RunPython(add_publication, migrations.RunPython.noop)]
