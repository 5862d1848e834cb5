from django.db import migrations

from opstap.network.catalogue import DEFAULT_OFFERS


def add_default_catalogue(apps, schema_editor):
    """Give every existing centre the default support catalogue (only the codes it lacks)."""
    Centre = apps.get_model("core", "Centre")
    SupportOffer = apps.get_model("network", "SupportOffer")
    for centre in Centre.objects.all():
        existing = set(
            SupportOffer.objects.filter(centre=centre).values_list("code", flat=True)
        )
        SupportOffer.objects.bulk_create(
            SupportOffer(centre=centre, code=code, kind=kind, name_nl=nl, name_fr=fr, name_en=en)
            for code, kind, nl, fr, en in DEFAULT_OFFERS
            if code not in existing
        )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_default_catalogue, migrations.RunPython.noop)]
