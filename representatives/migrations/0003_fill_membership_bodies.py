"""Load the 15 regulators of workflow.md §1. Staff correct them in the admin.

No regulator publishes the format of its membership numbers, so every pattern is a permissive
guess (only the CICC's "R" + 6 digits is well attested); each row's source_note says so.
"""

from django.db import migrations

PERMISSIVE = r"^[A-Z0-9][A-Z0-9-]{2,19}$"
PERMISSIVE_HINT_EN = "3 to 20 letters, digits or hyphens, as on the body's public register"
PERMISSIVE_HINT_FR = "De 3 à 20 lettres, chiffres ou traits d'union, comme au tableau public de l'ordre"
UNCERTAIN = (
    "Format not published by the body (uncertain): permissive pattern. "
    "Check the ID against the body's public register before verifying."
)
UNCERTAIN_FR_NAME = " The French name is a usual rendering, not an official one (uncertain)."

BODIES = [
    # code, name_en, name_fr, types, pattern, hint_en, hint_fr, note
    (
        "cicc",
        "College of Immigration and Citizenship Consultants",
        "Collège des consultants en immigration et en citoyenneté",
        ["consultant"],
        r"^R[0-9]{6}$",
        "R followed by 6 digits, for example R123456",
        "R suivi de 6 chiffres, par exemple R123456",
        "RCIC numbers are shown as R + 6 digits on the College's public register "
        "(uncertain: the format is not formally published).",
    ),
    ("lsbc", "Law Society of British Columbia", "Barreau de la Colombie-Britannique", ["lawyer"]),
    ("lsa", "Law Society of Alberta", "Barreau de l'Alberta", ["lawyer"]),
    ("lss", "Law Society of Saskatchewan", "Barreau de la Saskatchewan", ["lawyer"]),
    ("lsm", "Law Society of Manitoba", "Barreau du Manitoba", ["lawyer"]),
    ("lso", "Law Society of Ontario", "Barreau de l'Ontario", ["lawyer", "paralegal"]),
    ("bdq", "Barreau du Québec", "Barreau du Québec", ["lawyer"]),
    ("cnq", "Chambre des notaires du Québec", "Chambre des notaires du Québec", ["notary"]),
    ("lsnb", "Law Society of New Brunswick", "Barreau du Nouveau-Brunswick", ["lawyer"]),
    ("nsbs", "Nova Scotia Barristers' Society", "Nova Scotia Barristers' Society", ["lawyer"]),
    (
        "lspei",
        "Law Society of Prince Edward Island",
        "Barreau de l'Île-du-Prince-Édouard",
        ["lawyer"],
    ),
    (
        "lsnl",
        "Law Society of Newfoundland and Labrador",
        "Barreau de Terre-Neuve-et-Labrador",
        ["lawyer"],
    ),
    ("lsy", "Law Society of Yukon", "Barreau du Yukon", ["lawyer"]),
    (
        "lsnt",
        "Law Society of the Northwest Territories",
        "Barreau des Territoires du Nord-Ouest",
        ["lawyer"],
    ),
    ("lsnu", "Law Society of Nunavut", "Barreau du Nunavut", ["lawyer"]),
]
OFFICIAL_FRENCH_NAMES = {"cicc", "lso", "bdq", "cnq", "lsnb", "nsbs"}


def fill(apps, schema_editor):
    MembershipBody = apps.get_model("representatives", "MembershipBody")
    for order, row in enumerate(BODIES, start=1):
        code, name_en, name_fr, types = row[:4]
        if len(row) > 4:
            pattern, hint_en, hint_fr, note = row[4:]
        else:
            pattern, hint_en, hint_fr, note = (
                PERMISSIVE,
                PERMISSIVE_HINT_EN,
                PERMISSIVE_HINT_FR,
                UNCERTAIN,
            )
        if code not in OFFICIAL_FRENCH_NAMES:
            note += UNCERTAIN_FR_NAME
        MembershipBody.objects.update_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_fr": name_fr,
                "representative_types": types,
                "membership_id_pattern": pattern,
                "pattern_hint_en": hint_en,
                "pattern_hint_fr": hint_fr,
                "source_note": note,
                "is_active": True,
                "sort_order": order,
            },
        )


def empty(apps, schema_editor):
    MembershipBody = apps.get_model("representatives", "MembershipBody")
    Representative = apps.get_model("representatives", "Representative")
    used = Representative.objects.exclude(membership_body=None).values("membership_body")
    MembershipBody.objects.filter(code__in=[row[0] for row in BODIES]).exclude(
        pk__in=used
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("representatives", "0002_membershipbody_representativeevent_and_more")]

    operations = [migrations.RunPython(fill, empty)]
