"""Load the program catalogue (programs, intake, checklists, fees) from applications/data/programs.json.

After this, staff own the data in the admin; the file is the starting point, not the source of truth.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "programs.json"


def fill(apps, schema_editor):
    Program = apps.get_model("applications", "Program")
    ProgramIntake = apps.get_model("applications", "ProgramIntake")
    ChecklistItem = apps.get_model("applications", "ChecklistItem")
    FeeRule = apps.get_model("applications", "FeeRule")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for order, row in enumerate(data["programs"]):
        program = Program.objects.create(
            code=row["code"],
            name_en=row["name_en"],
            name_fr=row["name_fr"],
            category=row["category"],
            guide_number=row["guide_number"] or "",
            guide_title_en=row["guide_title_en"] or "",
            guide_title_fr=row["guide_title_fr"] or "",
            other_guides=row["other_guides"],
            fee_category=row["fee_category"] or "",
            imm5562_required=row["imm5562_required"],
            digital_forms=row["digital_forms"],
            signing_mode=row["signing_mode"],
            allows_dependants=row["allows_dependants"],
            forbidden_provinces=row["forbidden_provinces"],
            required_provinces=row["required_provinces"],
            rprf_exempt=row["rprf_exempt"],
            application_number_prefix=row["application_number_prefix"],
            checks=row["checks"],
            details_fields=row["details_fields"],
            special_rules_en=row["special_rules_en"],
            special_rules_fr=row["special_rules_fr"],
            source_note=row["source_note"],
            order=order,
        )
        intake = row["intake"]
        ProgramIntake.objects.create(
            program=program,
            state=intake["state"],
            opens_at=intake["opens_at"],
            closes_at=intake["closes_at"],
            cap=intake["cap"],
            counts_only_complete=intake["counts_only_complete"],
            note_en=intake["note_en"],
            note_fr=intake["note_fr"],
            source_note=intake["source_note"],
            is_uncertain=intake["uncertain"],
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                program=program,
                code=item["code"],
                kind=item["kind"],
                form_number=item["form_number"] or "",
                name_en=item["name_en"],
                name_fr=item["name_fr"],
                roles=item["roles"],
                requirement=item["requirement"],
                condition_en=item["condition_en"],
                condition_fr=item["condition_fr"],
                wet_signature=item["wet_signature"],
                signers_en=item["signers_en"],
                signers_fr=item["signers_fr"],
                accepted_types=item["accepted_types"],
                note_en=item["note_en"],
                note_fr=item["note_fr"],
                is_uncertain=item["uncertain"],
                order=position,
            )
            for position, item in enumerate(row["checklist"])
        )
    FeeRule.objects.bulk_create(
        FeeRule(
            fee_category=rule["fee_category"],
            role=rule["role"],
            amount=Decimal(rule["amount"]),
            effective_from=rule["effective_from"],
            effective_to=rule["effective_to"],
            source_note=rule["source_note"],
            is_uncertain=rule["uncertain"],
        )
        for rule in data["fee_rules"]
    )


def empty(apps, schema_editor):
    for name in ("FeeRule", "ChecklistItem", "ProgramIntake", "Program"):
        apps.get_model("applications", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(fill, empty)]
