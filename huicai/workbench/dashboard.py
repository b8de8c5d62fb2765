"""The managers' dashboard (W17, W5; S21 daily assessment): item implementation in figures.

Every figure is counted in the database (one aggregate query per chart) within the manager's jurisdiction:
a county window manager sees the applications and tasks of talents at home in their window's subtree, the
city window's manager and the system administrator the whole city. Each chart is plain data — categories,
series, and for every point the link to the list behind it — so the same structure feeds the JSON
endpoint drawn by ECharts, the tables under the charts (readable without a canvas) and the Excel export.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from huicai.accounts.roles import get_scope
from huicai.casework.choices import OPEN_TASK_STATUSES, ApplicationStatus, TaskStatus
from huicai.casework.models import Application, ApplicationItem, Task
from huicai.catalogue.choices import Category
from huicai.catalogue.models import ServiceItemVersion
from huicai.commissioners.models import UnitAssignment
from huicai.filings.selectors import jurisdiction_counts as filing_counts
from huicai.ratings.models import Rating
from huicai.ratings.stats import satisfaction_by_department as figures
from huicai.talents.models import Talent
from huicai.workbench.access import window_jurisdiction
from huicai.workbench.boards import Clock

MONTHS = 12


@dataclass
class Series:
    name: str
    data: list
    links: list = field(default_factory=list)
    chart: bool = True  # False: shown in the table and the export, not drawn


@dataclass
class Chart:
    key: str
    title: str
    category_label: str
    categories: list
    series: list
    kind: str = "bar"
    unit: str = ""

    def as_json(self):
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit,
            "categories": self.categories,
            "series": [{"name": s.name, "data": s.data, "links": s.links} for s in self.series if s.chart],
        }

    def rows(self):
        """(category, [(value, link), …]) for the table under the chart."""
        for index, category in enumerate(self.categories):
            yield category, [(s.data[index], s.links[index] if s.links else None) for s in self.series]


def _link(name, **params):
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def month_starts(today, months=MONTHS):
    """The first days of the last ``months`` months, oldest first, the current month last."""
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def period_start(today):
    first = month_starts(today)[0]
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))


def applications_in_scope(user):
    return Application.objects.visible_to(user).filter(window_jurisdiction(user, "talent__home_window__path"))


def tasks_in_scope(user):
    return Task.objects.visible_to(user).filter(
        window_jurisdiction(user, "application__talent__home_window__path")
    )


def on_time():
    """Completed by the close of the due date, in local time (as casework.actions.complete_task judges)."""
    return Q(completed_at__date__lte=F("deadline__due_date"))


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else 0.0


# --- the charts -----------------------------------------------------------------------------------------


def applications_per_month(user, today) -> Chart:
    """Applications submitted (or hotline orders received) per month over the last twelve months."""
    starts = month_starts(today)
    counts = {}
    rows = (
        applications_in_scope(user)
        .filter(submitted_at__gte=period_start(today))
        .annotate(month=TruncMonth("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counts[(month.year, month.month)] = row["n"]
    labels = [f"{start:%Y-%m}" for start in starts]
    return Chart(
        key="applications_per_month",
        title="每月申办数",
        category_label="月份",
        categories=labels,
        series=[
            Series(
                "申办数",
                [counts.get((s.year, s.month), 0) for s in starts],
                [_link("workbench:dashboard_applications", month=label) for label in labels],
            )
        ],
        kind="line",
        unit="件",
    )


def _on_time_chart(user, today, *, key, title, label, id_field, name_field, filter_name) -> Chart:
    rows = list(
        tasks_in_scope(user)
        .filter(status=TaskStatus.COMPLETED, completed_at__gte=period_start(today))
        .values(id_field, name_field)
        .annotate(total=Count("id"), on_time=Count("id", filter=on_time()))
        .order_by(name_field)
    )
    rows.sort(key=lambda row: (-_rate(row["on_time"], row["total"]), row[name_field]))
    return Chart(
        key=key,
        title=title,
        category_label=label,
        categories=[row[name_field] for row in rows],
        series=[
            Series(
                "按时办结率",
                [_rate(row["on_time"], row["total"]) for row in rows],
                [
                    _link("workbench:dashboard_tasks", **{filter_name: row[id_field]}, state="completed")
                    for row in rows
                ],
            ),
            Series("办结数", [row["total"] for row in rows], chart=False),
            Series(
                "按时办结数",
                [row["on_time"] for row in rows],
                [
                    _link("workbench:dashboard_tasks", **{filter_name: row[id_field]}, state="on_time")
                    for row in rows
                ],
                chart=False,
            ),
        ],
        unit="%",
    )


def on_time_by_department(user, today) -> Chart:
    return _on_time_chart(
        user,
        today,
        key="on_time_by_department",
        title="各部门按时办结率（近12个月）",
        label="主管部门",
        id_field="department_id",
        name_field="department__name",
        filter_name="department",
    )


def on_time_by_window(user, today) -> Chart:
    return _on_time_chart(
        user,
        today,
        key="on_time_by_window",
        title="各窗口按时办结率（近12个月）",
        label="服务窗口",
        id_field="application__window_id",
        name_field="application__window__name",
        filter_name="window",
    )


def open_and_overdue(user, clock) -> Chart:
    rows = list(
        tasks_in_scope(user)
        .open()
        .values("department_id", "department__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=clock.overdue()))
        .order_by("-overdue", "-open", "department__name")
    )
    return Chart(
        key="open_and_overdue",
        title="各部门在办与逾期任务",
        category_label="主管部门",
        categories=[row["department__name"] for row in rows],
        series=[
            Series(
                "在办",
                [row["open"] for row in rows],
                [
                    _link("workbench:dashboard_tasks", department=row["department_id"], state="open")
                    for row in rows
                ],
            ),
            Series(
                "逾期",
                [row["overdue"] for row in rows],
                [
                    _link("workbench:dashboard_tasks", department=row["department_id"], state="overdue")
                    for row in rows
                ],
            ),
        ],
        unit="件",
    )


def items_by_category(user, today) -> Chart:
    """The catalogue's published items per category (W16 公示), and how often each category was asked for
    in the jurisdiction over the last twelve months."""
    published = dict(
        ServiceItemVersion.objects.published().values_list("category").annotate(n=Count("id")).order_by()
    )
    applied = dict(
        ApplicationItem.objects.filter(
            application__in=applications_in_scope(user).filter(submitted_at__gte=period_start(today))
        )
        .values_list("item_version__category")
        .annotate(n=Count("id"))
        .order_by()
    )
    categories = [
        (value, label) for value, label in Category.choices if published.get(value) or applied.get(value)
    ]
    return Chart(
        key="items_by_category",
        title="各类别服务事项与申办量",
        category_label="事项类别",
        categories=[str(label) for _value, label in categories],
        series=[
            Series(
                "已公布事项",
                [published.get(value, 0) for value, _label in categories],
                [_link("catalogue:list", category=value) for value, _label in categories],
            ),
            Series(
                "申办次数（近12个月）",
                [applied.get(value, 0) for value, _label in categories],
                [_link("workbench:dashboard_applications", category=value) for value, _label in categories],
            ),
        ],
        unit="项",
    )


def satisfaction_by_department(user, today) -> Chart:
    """W10, W17: the share of good ratings (非常满意, 满意, 基本满意) per rated department over the last twelve
    months, counted by huicai.ratings.stats on the ratings of talents in the jurisdiction."""
    ratings = Rating.objects.visible_to(user).filter(window_jurisdiction(user, "talent__home_window__path"))
    rows = figures(ratings, period=(month_starts(today)[0], today + datetime.timedelta(days=1)))
    rows.sort(
        key=lambda row: (
            row["satisfaction_rate"] is None,
            -(row["satisfaction_rate"] or 0),
            row["department"],
        )
    )
    rated = _link("ratings:list")
    return Chart(
        key="satisfaction_by_department",
        title="各部门满意率（近12个月）",
        category_label="主管部门",
        categories=[row["department"] for row in rows],
        series=[
            Series(
                "满意率",
                [round(float(row["satisfaction_rate"] or 0) * 100, 1) for row in rows],
                [rated for _row in rows],
            ),
            Series("评价数", [row["total"] for row in rows], chart=False),
            Series(
                "差评数",
                [row["bad"] for row in rows],
                [_link("ratings:rectifications", status="all") for _row in rows],
                chart=False,
            ),
        ],
        unit="%",
    )


def stats(user, clock, charts) -> dict:
    tasks = (
        tasks_in_scope(user)
        .open()
        .aggregate(
            open=Count("id"),
            overdue=Count("id", filter=clock.overdue()),
            due_soon=Count("id", filter=clock.due_soon()),
        )
    )
    talents = (
        Talent.objects.visible_to(user)
        .filter(window_jurisdiction(user, "home_window__path"))
        .aggregate(
            total=Count("id"),
            covered=Count(
                "id", filter=Q(Exists(UnitAssignment.objects.covering().filter(talent_id=OuterRef("pk"))))
            ),
        )
    )
    by_department = charts["on_time_by_department"]
    completed = sum(by_department.series[1].data)
    completed_on_time = sum(by_department.series[2].data)
    per_month = charts["applications_per_month"].series[0].data
    # W14/S18: filings in sight not filed past their due date, and filings waiting for a window's review.
    filings = filing_counts(user, today=clock.today)
    return {
        "filings_late": filings["late"],
        "filings_awaiting": filings["awaiting"],
        "open": tasks["open"],
        "overdue": tasks["overdue"],
        "due_soon": tasks["due_soon"],
        "this_month": per_month[-1] if per_month else 0,
        "on_time_rate": _rate(completed_on_time, completed),
        "completed": completed,
        "talents": talents["total"],
        "coverage": _rate(talents["covered"], talents["total"]),
        "uncovered": talents["total"] - talents["covered"],
    }


def scope_label(user) -> str:
    scope = get_scope(user)
    if scope.is_city_wide:
        return "全市"
    return "、".join(scope.window_names)


def build(user, *, today) -> dict:
    clock = Clock.on(today)
    charts = {
        chart.key: chart
        for chart in (
            applications_per_month(user, today),
            on_time_by_department(user, today),
            on_time_by_window(user, today),
            open_and_overdue(user, clock),
            items_by_category(user, today),
            satisfaction_by_department(user, today),
        )
    }
    return {"charts": charts, "stats": stats(user, clock, charts), "scope": scope_label(user), "today": today}


def as_json(board) -> dict:
    return {
        "scope": board["scope"],
        "today": board["today"].isoformat(),
        "stats": board["stats"],
        "charts": [chart.as_json() for chart in board["charts"].values()],
    }


STAT_LABELS = [
    ("open", "在办任务"),
    ("overdue", "逾期任务"),
    ("due_soon", "临近截止（2个工作日内）"),
    ("this_month", "本月申办"),
    ("on_time_rate", "按时办结率（%，近12个月）"),
    ("completed", "办结任务（近12个月）"),
    ("talents", "辖区人才"),
    ("coverage", "单位专员覆盖率（%）"),
    ("uncovered", "无单位专员的人才"),
    ("filings_late", "备案逾期未报送"),
    ("filings_awaiting", "备案待审核"),
]


# --- Excel ----------------------------------------------------------------------------------------------


def _cell(value):
    """A value safe to put in a spreadsheet: text that a spreadsheet would read as a formula is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_workbook(board, *, keys=None) -> bytes:
    """The figures behind the charts as an .xlsx workbook: an overview sheet, then one sheet per chart."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    overview = workbook.active
    overview.title = "概况"
    overview.append(["统计范围", _cell(board["scope"])])
    overview.append(["统计日期", board["today"].isoformat()])
    for key, label in STAT_LABELS:
        overview.append([label, board["stats"][key]])
    overview.column_dimensions["A"].width = 28
    for chart in board["charts"].values():
        if keys and chart.key not in keys:
            continue
        sheet = workbook.create_sheet(chart.title[:31])
        header = [chart.category_label, *[s.name for s in chart.series]]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for category, values in chart.rows():
            sheet.append([_cell(category), *[value for value, _link in values]])
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the lists behind the charts -----------------------------------------------------------------------


def applications_list(user, *, month=None, category="", window=None):
    applications = (
        applications_in_scope(user)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("talent", "window")
        .order_by("-submitted_at", "-id")
    )
    if month is not None:
        start = timezone.make_aware(datetime.datetime.combine(month, datetime.time.min))
        following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))
        applications = applications.filter(submitted_at__gte=start, submitted_at__lt=end)
    if category:
        applications = applications.filter(
            Exists(
                ApplicationItem.objects.filter(application_id=OuterRef("pk"), item_version__category=category)
            )
        )
    if window is not None:
        applications = applications.filter(window=window)
    return applications


TASK_LIST_STATES = [
    ("open", "在办"),
    ("overdue", "已逾期"),
    ("due_soon", "临近截止"),
    ("completed", "已办结"),
    ("on_time", "按时办结"),
    ("late", "超时办结"),
]


def tasks_list(user, clock, *, state="", department=None, window=None):
    tasks = (
        tasks_in_scope(user)
        .select_related("application__talent", "application__window", "department", "deadline")
        .order_by(F("deadline__due_date").asc(nulls_last=True), "id")
    )
    if department is not None:
        tasks = tasks.filter(department=department)
    if window is not None:
        tasks = tasks.filter(application__window=window)
    condition = {
        "open": Q(status__in=OPEN_TASK_STATUSES),
        "overdue": clock.overdue(),
        "due_soon": clock.due_soon(),
        "completed": Q(status=TaskStatus.COMPLETED),
        "on_time": Q(status=TaskStatus.COMPLETED) & on_time(),
        "late": Q(status=TaskStatus.COMPLETED) & ~on_time(),
    }.get(state)
    if condition is not None:
        tasks = tasks.filter(condition)
    if state in ("completed", "on_time", "late"):
        tasks = tasks.filter(completed_at__gte=period_start(clock.today)).order_by("-completed_at", "-id")
    return tasks
