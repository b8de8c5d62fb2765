"""Close the unit commissioner periods left open on posts that had already ended (the admin used to end a
post with its talents still attached). Each such talent moves into the coverage gap, with the reason."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def close_orphaned_periods(apps, schema_editor):
    Post = apps.get_model("commissioners", "Post")
    UnitAssignment = apps.get_model("commissioners", "UnitAssignment")
    stale = UnitAssignment.objects.filter(
        active_to__isnull=True, post__active_to__isnull=False, post__active_to__gt=F("active_from")
    )
    ended_at = Subquery(Post.objects.filter(pk=OuterRef("post_id")).values("active_to")[:1])
    stale.update(active_to=ended_at, end_reason="单位专员岗位已结束（数据整理）")


class Migration(migrations.Migration):
    dependencies = [("commissioners", "0002_post_events")]

    operations = [migrations.RunPython(close_orphaned_periods, migrations.RunPython.noop)]
