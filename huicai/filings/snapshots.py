"""What a filing says: its snapshot, built from the data of the period (W14, S18).

A unit report (W14) lists the unit commissioner's talents of the period and every service given to them in
it: direct services, applications submitted, tasks assigned and completed, and the materials filed with
those applications (by name and SHA-256: the files included). A window's quarterly filing (W14) and a
county's annual filing (S18) list every talent at home in the window's subtree with their counts by kind,
and the filings the window received for the period (unit reports, parks' quarters), each by its checksum.

Everything is counted in the database, grouped by talent: a fixed number of queries however many talents
(the bench builds a county of 20,000 talents and 200,000 tasks). Values are JSON-native (str, int) so the
checksum over the canonical JSON is the same after a round trip through the database.

No identity numbers or phone numbers go into a snapshot; a talent is their id, name, category, employer and
home window, and the pages mask the name for a viewer who may not see the talent.
"""

import datetime
import math

from django.db.models import Count, Q
from django.utils import timezone

from huicai.casework.models import Application, Material, Task
from huicai.commissioners.models import UnitAssignment
from huicai.directservices.models import DirectService
from huicai.filings.choices import FilingKind, FilingStatus
from huicai.talents.models import Talent

SCHEMA = 1
COUNT_KINDS = ["direct_services", "applications", "tasks_assigned", "tasks_completed"]
COUNT_LABELS = {
    "talents": "人才数",
    "direct_services": "直接服务",
    "applications": "提交申办",
    "tasks_assigned": "分派任务",
    "tasks_completed": "办结任务",
    "files": "材料文件",
    "filings": "所含下级报备",
}
CHUNK = 1000


def bounds(period):
    """The period as aware datetimes, [start, end): local midnight of its first day and of the day after."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def _local_date(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def talents_of(filing):
    """The talents a filing covers: a unit commissioner's talents assigned during the period (S6) or applied
    for by them in it, or every talent at home in the window's subtree (W3)."""
    if filing.kind == FilingKind.UNIT:
        start, end = bounds(filing.period)
        assigned = UnitAssignment.objects.filter(post_id=filing.filer_post_id, active_from__lt=end).filter(
            Q(active_to__isnull=True) | Q(active_to__gt=start)
        )
        # And whoever the commissioner applied for in the period (S11), even if no longer theirs.
        applied = Application.objects.filter(
            unit_post_id=filing.filer_post_id, submitted_at__gte=start, submitted_at__lt=end
        )
        return Talent.objects.filter(
            Q(pk__in=assigned.values("talent_id")) | Q(pk__in=applied.values("talent_id"))
        )
    return Talent.objects.filter(home_window__path__startswith=filing.filer_window.path)


def _grouped(queryset, field) -> dict:
    return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())


def included_filings(filing) -> list[dict]:
    """The filings a window received for the period (and, for a county's year, its own quarters), each by
    its current version's checksum: the files a window filing includes."""
    from huicai.filings.models import Filing

    if filing.kind == FilingKind.UNIT:
        return []
    received = Q(parent_window_id=filing.filer_window_id)
    if filing.kind == FilingKind.ANNUAL:
        received |= Q(filer_window_id=filing.filer_window_id, kind=FilingKind.QUARTERLY)
    rows = (
        Filing.objects.filter(received)
        .filter(
            period_start_date__gte=filing.period_start_date,
            period_end_date__lte=filing.period_end_date,
            current_number__gt=0,
        )
        .exclude(status=FilingStatus.RETURNED)
        .exclude(pk=filing.pk)
        .select_related("filer_window", "filer_post__user", "filer_post__employer")
        .prefetch_related("versions")
        .order_by("kind", "period_start_date", "id")
    )
    included = []
    for child in rows:
        current = next((v for v in child.versions.all() if v.number == child.current_number), None)
        included.append(
            {
                "id": child.pk,
                "kind": child.kind,
                "filer": child.filer_name,
                "period": child.period.token,
                "status": child.status,
                "number": child.current_number,
                "checksum": current.checksum if current else "",
            }
        )
    return included


def build_snapshot(filing, *, remarks="", progress=None) -> dict:
    """The snapshot of ``filing`` as the data stands now. ``progress(done, total)`` is called as it goes
    (the task worker writes it to the row for the page's progress bar)."""
    period = filing.period
    start, end = bounds(period)
    talents = talents_of(filing)
    talent_ids = talents.values("pk")
    total_talents = talents.count()
    steps = 5 + math.ceil(total_talents / CHUNK)
    done = 0

    def tick(n=1):
        nonlocal done
        done += n
        if progress is not None:
            progress(done, steps)

    tick(0)
    direct = DirectService.objects.filter(talent_id__in=talent_ids, served_at__gte=start, served_at__lt=end)
    applications = Application.objects.filter(
        talent_id__in=talent_ids, submitted_at__gte=start, submitted_at__lt=end
    )
    assigned = Task.objects.filter(
        application__talent_id__in=talent_ids, created_at__gte=start, created_at__lt=end
    )
    completed = Task.objects.filter(
        application__talent_id__in=talent_ids, completed_at__gte=start, completed_at__lt=end
    )
    per_talent = {
        "direct_services": _grouped(direct, "talent_id"),
        "applications": _grouped(applications, "talent_id"),
    }
    tick()
    per_talent["tasks_assigned"] = _grouped(assigned, "application__talent_id")
    tick()
    per_talent["tasks_completed"] = _grouped(completed, "application__talent_id")
    tick()

    rows = []
    values = talents.order_by("pk").values_list(
        "pk", "name", "category__name", "employer__name", "home_window__name"
    )
    for offset in range(0, total_talents, CHUNK):
        for pk, name, category, employer, window in values[offset : offset + CHUNK]:
            counts = {kind: per_talent[kind].get(pk, 0) for kind in COUNT_KINDS}
            rows.append(
                {
                    "id": pk,
                    "name": name,
                    "category": category,
                    "employer": employer,
                    "window": window,
                    "counts": counts,
                }
            )
        tick()

    services, files = [], []
    if filing.kind == FilingKind.UNIT:
        services = _services(direct, applications, assigned | completed)
        files = [
            {
                "application": number,
                "name": name,
                "sha256": sha256,
                "size": size,
                "uploaded": _local_date(uploaded_at),
            }
            for number, name, sha256, size, uploaded_at in Material.objects.filter(
                application__in=applications
            )
            .order_by("application__number", "id")
            .values_list("application__number", "name", "sha256", "size", "uploaded_at")
        ]
    tick()
    filings = included_filings(filing)
    tick()

    totals = {kind: sum(row["counts"][kind] for row in rows) for kind in COUNT_KINDS}
    totals.update(talents=len(rows), files=len(files), filings=len(filings))
    return {
        "schema": SCHEMA,
        "kind": filing.kind,
        "period": {
            "token": period.token,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "filer": filing.filer_name,
        "parent": filing.parent_window.name,
        "due_date": filing.due_date.isoformat(),
        "remarks": remarks,
        "counts": totals,
        "talents": rows,
        "services": services,
        "files": files,
        "filings": filings,
    }


def _services(direct, applications, tasks) -> list[dict]:
    """Each service of the period, oldest first: direct services, applications, tasks."""
    services = []
    for served_at, talent_id, item, department in direct.order_by("served_at", "pk").values_list(
        "served_at", "talent_id", "item_version__name", "department__name"
    ):
        services.append(
            {
                "type": "direct",
                "date": _local_date(served_at),
                "talent": talent_id,
                "item": item,
                "department": department,
                "ref": "",
                "status": "已服务",
            }
        )
    for number, submitted_at, talent_id, status in applications.order_by("submitted_at", "pk").values_list(
        "number", "submitted_at", "talent_id", "status"
    ):
        services.append(
            {
                "type": "application",
                "date": _local_date(submitted_at),
                "talent": talent_id,
                "item": "",
                "department": "",
                "ref": number,
                "status": str(Application(status=status).get_status_display()),
            }
        )
    for number, created_at, talent_id, department, status in (
        tasks.distinct()
        .order_by("created_at", "pk")
        .values_list("number", "created_at", "application__talent_id", "department__name", "status")
    ):
        services.append(
            {
                "type": "task",
                "date": _local_date(created_at),
                "talent": talent_id,
                "item": "",
                "department": department,
                "ref": number,
                "status": str(Task(status=status).get_status_display()),
            }
        )
    services.sort(key=lambda s: (s["date"], s["type"], s["ref"]))
    return services


SERVICE_TYPES = {"direct": "直接服务", "application": "申办", "task": "任务"}
