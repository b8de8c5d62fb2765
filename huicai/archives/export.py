"""A talent's archive as a printable PDF (``core.pdf``) and as an Excel workbook (openpyxl): the same entries
the page shows, for the same viewer, oldest first.

The only personal data in either is what the archive itself shows: the talent's name and their ID number
masked (SECURITY.md: first 6 + ******** + last 4), never the full number or the phone.
"""

import io
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from huicai.archives.timeline import KINDS
from huicai.core.pdf import Document


def columns() -> list[str]:
    return [_("时间"), _("类别"), _("事项"), _("详情"), _("编号")]


# Text a spreadsheet would run as a formula starts with one of these (CSV/Excel injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _cell(value) -> str:
    """Cell text that a spreadsheet will not run as a formula."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _facts(talent, *, generated_at, period, viewer_name):
    return [
        (_("人才"), talent.name),
        (_("证件号码"), talent.id_number_masked),
        (_("人才类别"), talent.category.name),
        (_("用人单位"), talent.employer.name),
        (_("属地窗口"), talent.home_window.name),
        (_("时间范围"), period),
        (_("生成时间"), _when(generated_at)),
        (_("生成人"), viewer_name),
    ]


def counts(rows, kinds) -> list[tuple[str, int]]:
    """How many entries of each kind, in the order of KINDS (the kinds asked for, empty ones included)."""
    counted = Counter(entry.kind for entry in rows)
    return [(str(label), counted.get(code, 0)) for code, label in KINDS.items() if code in kinds]


def archive_pdf(talent, rows, *, kinds, generated_at, period, viewer_name) -> bytes:
    """The archive on A4 landscape: who it is about, a count per kind, then the timeline."""
    document = Document(_("%(name)s · 人才服务档案") % {"name": talent.name}, landscape=True)
    for label, value in _facts(talent, generated_at=generated_at, period=period, viewer_name=viewer_name):
        document.meta(label, value)
    document.heading(_("按类别汇总"))
    document.table([_("类别"), _("条数")], counts(rows, kinds), widths=[3, 1])
    document.heading(_("时间线"))
    document.table(
        columns(),
        [[_when(e.at), e.kind_label, e.title, e.detail, " ".join(e.refs)] for e in rows],
        widths=[2.2, 1.6, 4.5, 7, 2.5],
    )
    return document.render()


def _sheet(workbook, title, rows, *, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]  # Excel's limit on a sheet name
    sheet.append(columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in rows:
        sheet.append(
            [
                timezone.localtime(entry.at).replace(tzinfo=None),
                entry.kind_label,
                _cell(entry.title),
                _cell(entry.detail),
                _cell(" ".join(entry.refs)),
            ]
        )
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "yyyy-mm-dd hh:mm"
    for letter, width in zip("ABCDE", (17, 14, 40, 70, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return sheet


def archive_workbook(talent, rows, *, kinds, generated_at, period, viewer_name) -> bytes:
    """A "时间线" sheet with every entry, one sheet per kind asked for, and an "档案信息" sheet last."""
    workbook = Workbook()
    _sheet(workbook, _("时间线"), rows, first=True)
    for code, label in KINDS.items():
        if code in kinds:
            _sheet(workbook, str(label), [entry for entry in rows if entry.kind == code])
    about = workbook.create_sheet(_("档案信息"))
    for label, value in _facts(talent, generated_at=generated_at, period=period, viewer_name=viewer_name):
        about.append([label, _cell(value)])
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
