"""Load the first Help Centre questions and answers; staff edit them in the admin afterwards."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "help_articles.json"


def fill(apps, schema_editor):
    HelpArticle = apps.get_model("support", "HelpArticle")
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    HelpArticle.objects.bulk_create(
        HelpArticle(order=position, **row) for position, row in enumerate(rows)
    )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
