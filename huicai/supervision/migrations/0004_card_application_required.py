import django.db.models.deletion
from django.db import migrations, models


# Its own migration: on PostgreSQL a column filled in the same transaction cannot then be altered.
class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_fill_card_application"),
    ]

    operations = [
        migrations.AlterField(
            model_name="card",
            name="application",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="supervision_cards",
                to="casework.application",
                verbose_name="申办",
            ),
        ),
    ]
