"""Importing a year's calendar from a simple file of dates (admin page and ``import_workdays`` command).

The file is a CSV with one day per line, ``date,kind,name`` (an optional header line ``date,kind,name`` or
``日期,类型,名称``, blank lines and lines starting with ``#`` are skipped)::

    2027-01-01,休,元旦
    2027-02-06,班,春节

``kind`` is 休 (a day off; also ``holiday``, 假, 放假) or 班 (a make-up working day on a weekend; also
``workday``, 上班). Dates are written ``YYYY-MM-DD`` (``YYYY/MM/DD`` is accepted too). Files saved by Excel
in GB18030 are read as well as UTF-8.
"""

import csv
import datetime
import io
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huicai.workdays.choices import DayKind
from huicai.workdays.sources import DayEntry

MAX_FILE_BYTES = 256 * 1024
KIND_WORDS = {
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "workday": DayKind.WORKDAY,
}
HEADER_WORDS = {"date", "日期"}
DATE_PATTERN = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


def decode_calendar_file(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("文件过大（上限 %(kb)s KB）。") % {"kb": MAX_FILE_BYTES // 1024})
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("无法识别文件编码，请保存为 UTF-8 编码的 CSV 文件。"))


def parse_calendar_file(text: str) -> list[DayEntry]:
    """The days listed in ``text``; every malformed line is reported at once, by its line number."""
    if "\x00" in text:
        raise ValidationError(_("文件不是文本格式的 CSV 文件。"))
    errors = []
    entries = []
    reader = csv.reader(io.StringIO(text))
    first_content = True
    for row in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first_content and cells[0].lower() in HEADER_WORDS:
            first_content = False
            continue
        first_content = False
        where = _("第 %(line)s 行：") % {"line": line}
        if len(cells) == 3 and not cells[2]:
            cells = cells[:2]
        if len(cells) not in (2, 3):
            errors.append(
                where
                + _("应为“日期,类型,名称”三列（名称可省），实际为 %(count)s 列。") % {"count": len(cells)}
            )
            continue
        date_text, kind_text = cells[0], cells[1]
        name = cells[2] if len(cells) == 3 else ""
        day = _parse_date(date_text)
        if day is None:
            errors.append(where + _("日期“%(value)s”无效，应写作 2027-01-01。") % {"value": date_text[:20]})
            continue
        kind = KIND_WORDS.get(kind_text.lower())
        if kind is None:
            errors.append(
                where
                + _("类型“%(value)s”无法识别，须为“休”或“班”（或 holiday / workday）。")
                % {"value": kind_text[:20]}
            )
            continue
        if len(name) > 60:
            errors.append(where + _("名称过长（最多 60 个字）。"))
            continue
        entries.append(DayEntry(day, kind, name, line=line))
    if errors:
        raise ValidationError(errors)
    return entries


def _parse_date(text: str) -> datetime.date | None:
    match = DATE_PATTERN.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class CalendarImportForm(forms.Form):
    """An administrator's upload of one year's official calendar."""

    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=1950, max_value=2200)
    source = forms.CharField(
        label=gettext_lazy("依据"),
        max_length=200,
        help_text=gettext_lazy(
            "国务院办公厅通知的标题与文号，例如“国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）”。"
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("日期文件（CSV）"),
        help_text=gettext_lazy("每行一天：日期,类型,名称，例如“2027-01-01,休,元旦”或“2027-02-06,班,春节”。"),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError(_("文件过大（上限 %(kb)s KB）。") % {"kb": MAX_FILE_BYTES // 1024})
            cleaned["days"] = parse_calendar_file(decode_calendar_file(upload.read()))
        return cleaned
