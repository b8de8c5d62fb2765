"""A filed version as a download: an Excel workbook and a PDF (W14, S18), both read from the frozen
snapshot, never from the live data, with the checksum printed so a paper copy can be checked against the
system. Talents' names are as the viewer may see them (``access.names_for``)."""

import io

from django.utils import timezone

from huicai.core.pdf import Document
from huicai.filings import access
from huicai.filings.choices import FilingKind, FilingStatus
from huicai.filings.snapshots import COUNT_KINDS, COUNT_LABELS, SERVICE_TYPES

NAME_CHUNK = 1000


def _cell(value):
    """Text a spreadsheet would read as a formula is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def visible_names(user, snapshot) -> dict:
    names = {}
    rows = snapshot["talents"]
    for offset in range(0, len(rows), NAME_CHUNK):
        names.update(access.names_for(user, rows[offset : offset + NAME_CHUNK]))
    return names


def _header(filing, version):
    snapshot = version.snapshot
    return [
        ("备案类别", filing.get_kind_display()),
        ("期间", snapshot["period"]["label"]),
        ("报送方", snapshot["filer"]),
        ("接收窗口", snapshot["parent"]),
        ("版本", f"第 {version.number} 版"),
        ("报送时间", f"{timezone.localtime(version.filed_at):%Y-%m-%d %H:%M}"),
        ("报送期限", snapshot["due_date"]),
        ("SHA-256 校验值", version.checksum),
        ("报送说明", snapshot["remarks"] or "无"),
    ]


def file_name(filing, version, extension) -> str:
    return f"filing-{filing.pk}-v{version.number}.{extension}"


def workbook(filing, version, *, user) -> bytes:
    from openpyxl import Workbook

    snapshot = version.snapshot
    names = visible_names(user, snapshot)
    book = Workbook(write_only=True)
    overview = book.create_sheet("概况")
    for label, value in _header(filing, version):
        overview.append([label, _cell(str(value))])
    for key, label in COUNT_LABELS.items():
        overview.append([label, snapshot["counts"].get(key, 0)])
    talents = book.create_sheet("人才")
    talents.append(
        ["序号", "姓名", "人才类别", "用人单位", "属地窗口", *[COUNT_LABELS[k] for k in COUNT_KINDS]]
    )
    for index, row in enumerate(snapshot["talents"], start=1):
        talents.append(
            [
                index,
                _cell(names[row["id"]]),
                _cell(row["category"]),
                _cell(row["employer"]),
                _cell(row["window"]),
                *[row["counts"][k] for k in COUNT_KINDS],
            ]
        )
    if filing.kind == FilingKind.UNIT:
        services = book.create_sheet("服务明细")
        services.append(["日期", "类别", "人才", "编号", "事项", "部门", "状态"])
        for service in snapshot["services"]:
            services.append(
                [
                    service["date"],
                    SERVICE_TYPES[service["type"]],
                    _cell(names.get(service["talent"], "")),
                    _cell(service["ref"]),
                    _cell(service["item"]),
                    _cell(service["department"]),
                    _cell(service["status"]),
                ]
            )
        files = book.create_sheet("材料文件")
        files.append(["申办编号", "材料", "上传日期", "大小（字节）", "SHA-256"])
        for item in snapshot["files"]:
            files.append(
                [
                    _cell(item["application"]),
                    _cell(item["name"]),
                    item["uploaded"],
                    item["size"],
                    item["sha256"],
                ]
            )
    else:
        included = book.create_sheet("所含下级报备")
        included.append(["类别", "报送方", "期间", "状态", "版本", "SHA-256"])
        for item in snapshot["filings"]:
            included.append(
                [
                    str(FilingKind(item["kind"]).label),
                    _cell(item["filer"]),
                    item["period"],
                    str(FilingStatus(item["status"]).label),
                    item["number"],
                    item["checksum"],
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# A PDF of tens of thousands of rows is no use on paper: the talents table stops here, the workbook has all.
PDF_TALENT_ROWS = 500


def pdf(filing, version, *, user) -> bytes:
    snapshot = version.snapshot
    document = Document(f"{snapshot['filer']} · {snapshot['period']['label']} · {filing.get_kind_display()}")
    for label, value in _header(filing, version):
        document.meta(label, value)
    document.heading("汇总")
    document.table(
        ["项目", "数量"],
        [[label, snapshot["counts"].get(key, 0)] for key, label in COUNT_LABELS.items()],
        widths=[3, 1],
    )
    document.bar_chart("按类别", [(COUNT_LABELS[k], snapshot["counts"].get(k, 0)) for k in COUNT_KINDS])
    rows = snapshot["talents"][:PDF_TALENT_ROWS]
    names = access.names_for(user, rows) if rows else {}
    document.heading("人才及服务数量")
    document.table(
        ["姓名", "用人单位", *[COUNT_LABELS[k] for k in COUNT_KINDS]],
        [[names[row["id"]], row["employer"], *[row["counts"][k] for k in COUNT_KINDS]] for row in rows],
        widths=[2, 4, 1, 1, 1, 1],
    )
    if len(snapshot["talents"]) > PDF_TALENT_ROWS:
        document.paragraph(
            f"共 {len(snapshot['talents'])} 名人才，此处列出前 {PDF_TALENT_ROWS} 名，完整名单见 Excel。"
        )
    if filing.kind == FilingKind.UNIT:
        all_names = visible_names(user, snapshot)
        document.heading("服务明细")
        document.table(
            ["日期", "类别", "人才", "编号", "部门", "状态"],
            [
                [
                    s["date"],
                    SERVICE_TYPES[s["type"]],
                    all_names.get(s["talent"], ""),
                    s["ref"] or s["item"],
                    s["department"],
                    s["status"],
                ]
                for s in snapshot["services"]
            ],
            widths=[2, 1.5, 1.5, 3, 3, 2],
        )
        document.heading("材料文件")
        document.table(
            ["申办编号", "材料", "SHA-256"],
            [[f["application"], f["name"], f["sha256"][:16] + "…"] for f in snapshot["files"]],
            widths=[3, 3, 3],
        )
    else:
        document.heading("所含下级报备")
        document.table(
            ["类别", "报送方", "期间", "状态", "版本"],
            [
                [
                    str(FilingKind(f["kind"]).label),
                    f["filer"],
                    f["period"],
                    str(FilingStatus(f["status"]).label),
                    f["number"],
                ]
                for f in snapshot["filings"]
            ],
            widths=[2, 4, 2, 2, 1],
        )
    return document.render()
