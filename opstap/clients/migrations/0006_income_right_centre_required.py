"""Every income right has its centre (filled by 0005, in a transaction of its own first)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clients", "0005_income_right_centre")]

    operations = [
        migrations.AlterField(
            model_name="incomeright",
            name="centre",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.centre",
            ),
        ),
        migrations.AddIndex(
            model_name="incomeright",
            index=models.Index(fields=["centre", "start_date"], name="right_centre_start"),
        ),
    ]
