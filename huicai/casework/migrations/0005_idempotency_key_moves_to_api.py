"""IdempotencyKey moves into the API toolkit (huicai.api): state only, the table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0004_withdrawn_draft_needs_no_consent"),
        ("api", "0001_idempotency_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
            database_operations=[],
        ),
    ]
