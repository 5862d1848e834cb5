from django.db import migrations


def seed(apps, schema_editor):
    from opstap.trajectories.catalogue import ensure_default_catalogue

    Centre = apps.get_model("core", "Centre")
    TrajectoryType = apps.get_model("trajectories", "TrajectoryType")
    TrajectoryOutcome = apps.get_model("trajectories", "TrajectoryOutcome")
    for centre in Centre.objects.all():
        ensure_default_catalogue(
            centre, type_model=TrajectoryType, outcome_model=TrajectoryOutcome
        )


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
