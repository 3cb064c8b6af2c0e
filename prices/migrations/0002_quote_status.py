from django.db import migrations, models


def existing_quotes_were_accepted(apps, schema_editor):
    # Quotes stored before agreement existed were accepted as current prices: they stay so.
    apps.get_model("prices", "Quote").objects.update(status="confirmed", status_note="stored before agreement checks")


class Migration(migrations.Migration):
    dependencies = [
        ("prices", "0001_coins_quotes_source_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="status",
            field=models.CharField(
                choices=[("confirmed", "confirmed"), ("unconfirmed", "unconfirmed"), ("refused", "refused")],
                db_index=True,
                default="unconfirmed",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="status_note",
            field=models.CharField(blank=True, max_length=300, verbose_name="status note"),
        ),
        migrations.RunPython(existing_quotes_were_accepted, migrations.RunPython.noop),
    ]
