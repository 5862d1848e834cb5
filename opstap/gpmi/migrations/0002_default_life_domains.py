from django.db import migrations


def add_defaults(apps, schema_editor):
    """Existing centres get the default tree of life domains (new ones get it on creation)."""
    from opstap.gpmi.defaults import DEFAULT_DOMAINS

    Centre = apps.get_model("core", "Centre")
    LifeDomain = apps.get_model("gpmi", "LifeDomain")
    Priority = apps.get_model("gpmi", "Priority")
    for centre in Centre.objects.all():
        have = set(LifeDomain.objects.filter(centre=centre).values_list("code", flat=True))
        for position, (code, nl, fr, en, priorities) in enumerate(DEFAULT_DOMAINS, start=1):
            if code in have:
                continue
            domain = LifeDomain.objects.create(
                centre=centre,
                code=code,
                label_nl=nl,
                label_fr=fr,
                label_en=en,
                position=position * 10,
            )
            Priority.objects.bulk_create(
                Priority(
                    domain=domain,
                    code=p_code,
                    label_nl=p_nl,
                    label_fr=p_fr,
                    label_en=p_en,
                    position=index * 10,
                )
                for index, (p_code, p_nl, p_fr, p_en) in enumerate(priorities, start=1)
            )


class Migration(migrations.Migration):
    dependencies = [("gpmi", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
