"""The single CalendarRevision row, so that a change only ever updates it."""

import uuid

from django.db import migrations


def create_row(apps, schema_editor):
    CalendarRevision = apps.get_model("workdays", "CalendarRevision")
    CalendarRevision.objects.get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
