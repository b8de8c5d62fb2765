"""A scheduling round's report as an Excel workbook (openpyxl): a summary sheet per department and the
detail of every entry. The only personal data in it is the talent's name: never an ID number or a phone."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

SUMMARY_COLUMNS = [
    ("department", gettext_lazy("主管部门")),
    ("tasks", gettext_lazy("任务数")),
    ("answered", gettext_lazy("已答复")),
    ("unanswered", gettext_lazy("未答复")),
    ("overdue", gettext_lazy("逾期")),
    ("obstacles", gettext_lazy("反映困难")),
    ("completed", gettext_lazy("已办结")),
]


def _text(value) -> str:
    """Cell text that a spreadsheet will not run as a formula (CSV/Excel injection)."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _sheet(workbook, title, header, rows, *, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    return sheet


def round_workbook(round_, report, entries) -> bytes:
    """The workbook of ``round_`` with ``report`` (``Round.build_report`` or the kept one) and ``entries``
    (with task, talent, department and answerer selected)."""
    workbook = Workbook()
    summary_rows = [
        [_text(row["department"]), *(row[key] for key, _label in SUMMARY_COLUMNS[1:])]
        for row in report["departments"]
    ]
    totals = report["totals"]
    summary_rows.append([_("合计"), *(totals[key] for key, _label in SUMMARY_COLUMNS[1:])])
    _sheet(workbook, _("汇总"), [str(label) for _key, label in SUMMARY_COLUMNS], summary_rows, first=True)
    detail_rows = []
    for entry in entries:
        detail_rows.append(
            [
                entry.task.number,
                _text(entry.task.application.talent.name),
                _text(entry.department.name),
                str(entry.task_status_label),
                entry.due_date,
                _text(entry.progress),
                _text(entry.obstacle),
                entry.expected_date,
                _text(entry.answered_by.get_full_name() if entry.answered_by_id else ""),
                timezone.localtime(entry.answered_at).replace(tzinfo=None) if entry.answered_at else None,
            ]
        )
    detail = _sheet(
        workbook,
        _("明细"),
        [
            _("任务编号"),
            _("人才姓名"),
            _("主管部门"),
            _("调度时状态"),
            _("调度时截止日期"),
            _("进展情况"),
            _("存在困难"),
            _("预计办结日期"),
            _("答复人"),
            _("答复时间"),
        ],
        detail_rows,
    )
    for column in ("E", "H"):
        for cell in detail[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    for cell in detail["J"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    info = workbook.create_sheet(_("说明"))
    info.append([_("调度窗口"), _text(round_.window.name)])
    info.append([_("调度主题"), _text(round_.title)])
    info.append([_("发起日期"), round_.opened_on])
    info.append([_("答复期限"), round_.answer_due_date])
    info.append([_("状态"), str(round_.get_status_display())])
    info.append([_("统计日期"), report["as_of"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
