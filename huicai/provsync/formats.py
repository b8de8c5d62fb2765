"""The provincial exchange format: the rows of the import/export templates (issue 11 part 1, the
``huicai.exchange`` kinds "talents" and "cards", same Chinese headers), the outbox as JSON lines and
.xlsx, and reading a provincial list (.xlsx or UTF-8/GB18030 .csv).

Only the columns the exchange templates name are sent, so a provincial file and an export of ours are
the same format and round-trip through the importer.
"""

import codecs
import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from huicai.core.masking import mask_id_number, mask_phone
from huicai.provsync.choices import Operation, RecordKind

# The talents template of huicai.exchange (TalentKind.columns), in its order.
TALENT_HEADERS = (
    "姓名",
    "公民身份号码",
    "手机号码",
    "人才类别",
    "用人单位统一社会信用代码",
    "属地窗口",
    "单位专员账号",
)
# The cards template of huicai.exchange (CardKindRows.columns), in its order.
CARD_HEADERS = ("卡号", "卡类", "公民身份号码", "等级", "发卡日期", "有效期至", "状态")
HEADERS = {RecordKind.TALENT: TALENT_HEADERS, RecordKind.CARD: CARD_HEADERS}
# Personal values: masked wherever a row is shown to someone who did not reveal it.
MASKS = {"公民身份号码": mask_id_number, "手机号码": mask_phone}

XLSX_SIGNATURE = b"PK\x03\x04"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTION_SHEET = "填写说明"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def mask_row(row: dict) -> dict:
    return {header: MASKS[header](value) if header in MASKS else value for header, value in row.items()}


# --- our records as exchange rows -------------------------------------------------------------------


def talent_rows(talents) -> Iterator[tuple[int, str, dict]]:
    """(talent id, home window path, row) for each talent of the queryset, in full, read in chunks."""
    from huicai.commissioners.models import UnitAssignment

    queryset = talents.select_related("category", "employer", "home_window").prefetch_related(
        Prefetch(
            "unit_assignments",
            queryset=UnitAssignment.objects.open().select_related("post__user"),
            to_attr="open_assignments",
        )
    )
    for talent in queryset.order_by("pk").iterator(chunk_size=2000):
        assignment = talent.open_assignments[0] if talent.open_assignments else None
        yield (
            talent.pk,
            talent.home_window.path,
            {
                "姓名": talent.name,
                "公民身份号码": talent.id_number,
                "手机号码": talent.mobile,
                "人才类别": talent.category.code,
                "用人单位统一社会信用代码": talent.employer.credit_code,
                "属地窗口": talent.home_window.name,
                "单位专员账号": assignment.post.user.get_username() if assignment else "",
            },
        )


def card_rows(cards) -> Iterator[tuple[int, str, dict]]:
    """(card id, its talent's home window path, row) for each card of the queryset, in full."""
    queryset = cards.select_related("talent__home_window").order_by("pk")
    for card in queryset.iterator(chunk_size=2000):
        yield (
            card.pk,
            card.talent.home_window.path,
            {
                "卡号": card.number,
                "卡类": card.get_kind_display(),
                "公民身份号码": card.talent.id_number,
                "等级": card.level,
                "发卡日期": card.issued_date.isoformat(),
                "有效期至": card.valid_until_date.isoformat(),
                "状态": card.get_status_display(),
            },
        )


# --- the outbox as files ------------------------------------------------------------------------------


def change_entry(change, *, reveal: bool) -> dict:
    """One outbox entry as the province receives it (``reveal``) or as a download shows it (masked)."""
    row = json.loads(change.row)
    return {
        "seq": change.pk,
        "kind": change.kind,
        "operation": change.operation,
        "captured_at": change.captured_at.isoformat(),
        "changed": list(change.changed),
        "row": row if reveal else mask_row(row),
    }


def write_jsonl(changes: Iterable, *, reveal: bool) -> Iterator[bytes]:
    for change in changes:
        yield (json.dumps(change_entry(change, reveal=reveal), ensure_ascii=False) + "\n").encode()


def write_xlsx(changes: Iterable, *, reveal: bool) -> bytes:
    """One sheet per kind, in the kind's template columns after the outbox's own (序号 … 变更字段)."""
    workbook = Workbook(write_only=True)
    sheets = {}
    for kind in RecordKind:
        sheet = workbook.create_sheet(str(kind.label))
        sheet.append(["序号", "操作", "记录时间", "变更字段", *HEADERS[kind]])
        sheets[kind.value] = sheet
    for change in changes:
        entry = change_entry(change, reveal=reveal)
        sheets[change.kind].append(
            [
                entry["seq"],
                str(Operation(change.operation).label),
                entry["captured_at"],
                "、".join(entry["changed"]),
                *(entry["row"].get(header, "") for header in HEADERS[change.kind]),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading a provincial list ----------------------------------------------------------------------------


def inspect(uploaded) -> dict:
    """Check an uploaded list by its content; its kind (xlsx/csv) and SHA-256, or a Chinese error."""
    if uploaded is None:
        raise ValidationError(_("请选择要上传的文件。"))
    if uploaded.size == 0:
        raise ValidationError(_("文件为空。"))
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件过大：不能超过 %(size)d MB。") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
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
    return {"extension": extension, "sha256": digest.hexdigest()}


def read_rows(handle, extension: str) -> Iterator[tuple[int, dict]]:
    """(spreadsheet row number, {header: value}) for every data row; the header is row 1."""
    if extension == "xlsx":
        yield from _read_xlsx(handle)
    else:
        yield from _read_csv(handle)


def _header(values) -> list[str]:
    return [str(value).strip() if value is not None else "" for value in values]


def _read_xlsx(handle):
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException…
        raise ValidationError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式。")) from exc
    try:
        sheets = [sheet for sheet in workbook.worksheets if sheet.title != INSTRUCTION_SHEET]
        if not sheets:
            return
        rows = sheets[0].iter_rows(values_only=True)
        header = _header(next(rows, ()))
        for line, values in enumerate(rows, start=2):
            if all(value in (None, "") for value in values):
                continue
            yield line, {h: v for h, v in zip(header, values, strict=False) if h}
    finally:
        workbook.close()


def _csv_encoding(handle) -> str:
    """UTF-8 (a BOM dropped) when the whole file decodes so, else GB18030 as Excel saves it in China."""
    for encoding in ("utf-8-sig", "gb18030"):
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in iter(lambda: handle.read(64 * 1024), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的 CSV。"))


def _read_csv(handle):
    encoding = _csv_encoding(handle)
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        reader = csv.reader(text)
        header = _header(next(reader, []))
        for line, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            yield line, {h: v for h, v in zip(header, values, strict=False) if h}
    finally:
        text.detach()


def write_reconciliation_xlsx(reconciliation) -> bytes:
    """The reconciliation report, one line per talent (or per differing column), masked as stored."""
    from huicai.provsync.choices import Verdict

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("核对结果")
    sheet.append(["结果", "行号", "姓名", "公民身份号码", "字段", "本系统", "省级系统", "说明"])
    for entry in reconciliation.report:
        label = str(Verdict(entry["verdict"]).label)
        head = [label, entry["line"] or "", entry["name"], entry["id_number"]]
        if entry["differences"]:
            for header, ours, theirs in entry["differences"]:
                sheet.append([*head, header, ours, theirs, ""])
        else:
            sheet.append([*head, "", "", "", entry["reason"]])
    summary = workbook.create_sheet("统计")
    summary.append(["结果", "人数"])
    for verdict in Verdict:
        summary.append([str(verdict.label), reconciliation.counts.get(verdict.value, 0)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
