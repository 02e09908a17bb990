"""Backfill before 0005's constraints: verified rows get a time, rejected rows a reason."""

from django.db import migrations
from django.db.models import F
from django.utils import timezone


def fill(apps, schema_editor):
    Representative = apps.get_model("representatives", "Representative")
    verified = Representative.objects.filter(status="verified", verified_at=None)
    verified.exclude(status_changed_at=None).update(verified_at=F("status_changed_at"))
    verified.filter(status_changed_at=None).update(verified_at=timezone.now())
    Representative.objects.filter(status="rejected", rejection_reason="").update(
        rejection_reason="No reason was recorded."
    )


class Migration(migrations.Migration):
    dependencies = [("representatives", "0003_fill_membership_bodies")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
