from django.db import migrations, models


def admins_to_roles(apps, schema_editor):
    Centre = apps.get_model("core", "Centre")
    Centre.objects.filter(require_2fa_for_admins=True).update(require_2fa_roles=",admin,")


def roles_to_admins(apps, schema_editor):
    Centre = apps.get_model("core", "Centre")
    Centre.objects.filter(require_2fa_roles__contains=",admin,").update(
        require_2fa_for_admins=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notification"),
    ]

    operations = [
        migrations.AddField(
            model_name="centre",
            name="require_2fa_roles",
            field=models.CharField(
                blank=True,
                default="",
                max_length=200,
                verbose_name="roles that must use a second factor",
            ),
        ),
        migrations.RunPython(admins_to_roles, roles_to_admins),
    ]
