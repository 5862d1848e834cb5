from django.db import migrations


class Migration(migrations.Migration):
    # Apart from 0004 so the data update and the ALTER TABLE run in different transactions.
    dependencies = [
        ("core", "0004_centre_require_2fa_roles"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="centre",
            name="require_2fa_for_admins",
        ),
    ]
