"""IMM 5476 (Use of a Representative) is asked for only when a representative prepares the
application: a self-represented individual gets the slot once they appoint one (issue 10)."""

from django.db import migrations

CODES = ("imm5476", "imm5476_d18")


def forwards(apps, schema_editor):
    ChecklistItem = apps.get_model("applications", "ChecklistItem")
    ChecklistItem.objects.filter(code__in=CODES).update(only_with_representative=True)


def backwards(apps, schema_editor):
    ChecklistItem = apps.get_model("applications", "ChecklistItem")
    ChecklistItem.objects.filter(code__in=CODES).update(only_with_representative=False)


class Migration(migrations.Migration):
    dependencies = [("applications", "0017_representative_appointment")]

    operations = [migrations.RunPython(forwards, backwards)]
