"""Reading and writing the exchange files: .xlsx (openpyxl, read-only streaming) and .csv (UTF-8 with or
without BOM, or GB18030 as Excel saves it on a Chinese Windows).

Rows are read one at a time, so a 20,000-row file is never held whole in memory; each comes with the
spreadsheet's own row number (the header is row 1), which is what the error report cites.
"""

import codecs
import csv
import hashlib
import io
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from huicai.casework.uploads import safe_name

XLSX_SIGNATURE = b"PK\x03\x04"
INSTRUCTION_SHEET = "填写说明"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def max_import_bytes() -> int:
    return settings.HUICAI_IMPORT_MAX_BYTES


def inspect(uploaded) -> dict:
    """Check an uploaded exchange file by its content; return its facts, or raise in Chinese."""
    if uploaded is None:
        raise ValidationError(_("请选择要上传的文件。"))
    if uploaded.size == 0:
        raise ValidationError(_("文件为空。"))
    if uploaded.size > max_import_bytes():
        raise ValidationError(
            _("文件过大：不能超过 %(size)d MB。") % {"size": max_import_bytes() // (1024 * 1024)}
        )
    uploaded.seek(0)
    head = uploaded.read(4096)
    if head.startswith(XLSX_SIGNATURE):
        extension = "xlsx"
    elif b"\x00" not in head:
        extension = "csv"
    else:
        raise ValidationError(_("只接受 .xlsx 或 .csv 文件（按文件内容判断）。"))
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: uploaded.read(64 * 1024), b""):
        digest.update(chunk)
    uploaded.seek(0)
    if extension == "csv":
        csv_encoding(uploaded)
        uploaded.seek(0)
    return {
        "extension": extension,
        "size": uploaded.size,
        "sha256": digest.hexdigest(),
        "original_name": safe_name(uploaded.name),
    }


def csv_encoding(handle) -> str:
    """UTF-8 (a BOM is dropped) when the whole file decodes so, else GB18030; neither is an error. Read
    in chunks through an incremental decoder: a character cut by a chunk boundary is not a false alarm."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in iter(lambda: handle.read(64 * 1024), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    handle.seek(0)
    decoder = codecs.getincrementaldecoder("gb18030")()
    try:
        for chunk in iter(lambda: handle.read(64 * 1024), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise ValidationError(_("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的 CSV。")) from exc
    return "gb18030"


def _header(values) -> list[str]:
    return [str(v).strip() if v is not None else "" for v in values]


def _by_header(header: list[str], values) -> dict:
    """A row as {header: value}; a short row (a CSV line whose trailing empty cells were left off) has
    every header, empty."""
    values = list(values) + [None] * (len(header) - len(values))
    return {h: v for h, v in zip(header, values, strict=False) if h}


def read_rows(handle, extension: str) -> Iterator[tuple[int, dict]]:
    """(row number, {header: value}) for every data row of the file's first data sheet."""
    if extension == "xlsx":
        yield from _read_xlsx(handle)
    else:
        yield from _read_csv(handle)


def _read_xlsx(handle):
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException…
        raise ValidationError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式。")) from exc
    try:
        sheets = [ws for ws in workbook.worksheets if ws.title != INSTRUCTION_SHEET]
        if not sheets:
            return
        rows = sheets[0].iter_rows(values_only=True)
        header = _header(next(rows, ()))
        while header and header[-1] == "":
            header.pop()
        for line, values in enumerate(rows, start=2):
            yield line, _by_header(header, values)
    finally:
        workbook.close()


def _read_csv(handle):
    encoding = csv_encoding(handle)
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        reader = csv.reader(text)
        header = _header(next(reader, []))
        for line, values in enumerate(reader, start=2):
            yield line, _by_header(header, values)
    finally:
        text.detach()


def count_rows(handle, extension: str) -> int:
    """The number of data rows, for the progress bar (an estimate from the sheet's dimension for xlsx)."""
    if extension == "xlsx":
        try:
            workbook = load_workbook(handle, read_only=True)
        except Exception:
            return 0
        try:
            sheets = [ws for ws in workbook.worksheets if ws.title != INSTRUCTION_SHEET]
            return max(0, (sheets[0].max_row or 1) - 1) if sheets else 0
        finally:
            workbook.close()
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(64 * 1024), b""))
    return max(0, lines - 1)


def write_xlsx(kind, rows: Iterable[dict], *, instructions=True) -> bytes:
    """A workbook in the kind's template: the data sheet with the Chinese headers (required ones bold), and
    an instruction sheet. Written in write-only mode, so an export streams its rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(kind.label))
    header = []
    for column in kind.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=column.required)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_text_cell(sheet, row.get(h, "")) for h in kind.headers])
    if instructions:
        notes = workbook.create_sheet(INSTRUCTION_SHEET)
        for line in instruction_lines(kind):
            notes.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A value starting so is a formula to Excel (CSV injection, OWASP): a name typed as "=HYPERLINK(…)" must
# come out of an export as text. "+" and "-" are left alone: phone numbers in E.164 start with "+".
FORMULA_STARTS = ("=", "@", "\t", "\r")


def _text_cell(sheet, value):
    """A cell that Excel shows as the text it is: openpyxl would write a string starting with "=" as a
    formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _csv_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def instruction_lines(kind) -> list[list[str]]:
    lines = [
        [_("%(kind)s导入模板填写说明") % {"kind": kind.label}],
        [_("第一行为表头，列的顺序可以调整；不认识的列会在预检报告中列出，不会导入。")],
        [_("先上传进行预检（不写入任何数据），确认无误后再导入；同一文件重复导入不会产生变化。")],
        [],
        [_("列名"), _("是否必填"), _("说明")],
    ]
    for column in kind.columns:
        lines.append([column.header, _("必填") if column.required else _("选填"), column.note])
    return lines


def write_csv(kind, rows: Iterable[dict]) -> bytes:
    """CSV in UTF-8 with a BOM, which Excel opens as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(kind.headers)
    for row in rows:
        writer.writerow([_csv_text(row.get(h, "")) for h in kind.headers])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_xlsx(report: dict) -> bytes:
    """The per-row report of a dry run or an import, one line per row, errors one line each."""
    from huicai.exchange.kinds import RowStatus

    labels = {s.value: str(s.label) for s in RowStatus}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("逐行报告")
    sheet.append([_("行号"), _("结果"), _("标识"), _("列"), _("说明")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    error_fill = PatternFill("solid", fgColor="FDE2E1")
    for message in report.get("file_errors", []):
        sheet.append(["", labels["error"], "", "", message])
    if report.get("unknown_columns"):
        sheet.append(["", "", "", "、".join(report["unknown_columns"]), _("不认识的列，未导入。")])
    for row in report.get("rows", []):
        status = labels.get(row["status"], row["status"])
        if row["errors"]:
            for column, reason in row["errors"]:
                sheet.append([row["line"], status, row["key"], column, reason])
                for cell in sheet[sheet.max_row]:
                    cell.fill = error_fill
        elif row["changes"]:
            for column, (old, new) in row["changes"].items():
                sheet.append([row["line"], status, row["key"], column, f"{old} → {new}"])
        else:
            sheet.append([row["line"], status, row["key"], "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
