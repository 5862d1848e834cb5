"""Income rights carry their client's centre (the tenant column), with an index to count them."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE clients_incomeright SET centre_id = (
    SELECT clients_client.centre_id FROM clients_client
    WHERE clients_client.id = clients_incomeright.client_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_name_search_indexes_without_pending_list"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="incomeright",
            name="centre",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.centre",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
