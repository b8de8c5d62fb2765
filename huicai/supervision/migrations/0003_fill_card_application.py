from django.db import migrations


def fill_application(apps, schema_editor):
    """Every card issued before stage cards was a task's: its application is the task's."""
    Card = apps.get_model("supervision", "Card")
    Task = apps.get_model("casework", "Task")
    for task_id, application_id in Task.objects.filter(pk__in=Card.objects.values("task_id")).values_list(
        "pk", "application_id"
    ):
        Card.objects.filter(task_id=task_id).update(application_id=application_id)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_stage_cards"),
    ]

    operations = [
        migrations.RunPython(fill_application, migrations.RunPython.noop),
    ]
