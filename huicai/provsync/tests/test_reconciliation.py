"""W15: a provincial list in the talents template, compared with our records of the window's jurisdiction:
talents only there, only here, and differing column by column, matched by the keyed hash of the ID number;
the report never shows a whole ID number or phone."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from huicai.core.identifiers import make_mobile, make_resident_id
from huicai.core.masking import mask_id_number
from huicai.provsync.actions import SyncError, reconcile
from huicai.provsync.choices import Verdict

HEADERS = ["姓名", "公民身份号码", "手机号码", "人才类别", "用人单位统一社会信用代码", "属地窗口"]
STRANGER = make_resident_id("371302", datetime.date(1990, 1, 1), 77)


def province_row(world, talent, **overrides):
    row = {
        "姓名": talent.name,
        "公民身份号码": talent.id_number,
        "手机号码": talent.mobile,
        "人才类别": talent.category.code,
        "用人单位统一社会信用代码": talent.employer.credit_code,
        "属地窗口": talent.home_window.name,
    }
    row.update(overrides)
    return [row[header] for header in HEADERS]


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("省级名单.xlsx", buffer.getvalue())


def csv_file(rows, encoding="gb18030"):
    lines = [",".join(HEADERS)] + [",".join(row) for row in rows]
    return SimpleUploadedFile("省级名单.csv", ("\r\n".join(lines) + "\r\n").encode(encoding))


def by_verdict(reconciliation, verdict):
    return [entry for entry in reconciliation.report if entry["verdict"] == verdict]


def test_the_city_window_sees_each_talent_only_there_only_here_or_differing_by_column(world):
    uploaded = xlsx(
        [
            province_row(world, world.li_ming, 姓名="李 明", 手机号码=make_mobile(99990000)),
            ["王五", STRANGER, make_mobile(1), "B", world.linyi_pharma.credit_code, "兰山区"],
        ]
    )

    result = reconcile(uploaded, by=world.zhou_min, at=world.at)

    assert result.counts == {"only_there": 1, "only_here": 1, "differs": 1, "same": 0, "error": 0}
    [differs] = by_verdict(result, Verdict.DIFFERS)
    assert differs["line"] == 2 and differs["id_number"] == mask_id_number(world.li_ming.id_number)
    assert differs["differences"] == [
        ["姓名", "李明", "李 明"],
        ["手机号码", "138****5678", "138****0000"],
    ]
    [only_there] = by_verdict(result, Verdict.ONLY_THERE)
    assert (only_there["line"], only_there["name"], only_there["id_number"]) == (
        3,
        "王五",
        mask_id_number(STRANGER),
    )
    [only_here] = by_verdict(result, Verdict.ONLY_HERE)
    assert only_here["name"] == "刘洋" and only_here["line"] is None


def test_a_window_named_by_its_division_code_and_a_category_by_its_name_are_the_same(world):
    window = world.li_ming.home_window
    uploaded = xlsx(
        [province_row(world, world.li_ming, 属地窗口=window.division.code, 人才类别=world.category_b.name)]
    )

    result = reconcile(uploaded, by=world.chen_jing, at=world.at)

    assert result.counts["same"] == 1 and result.counts["differs"] == 0
    assert result.report == []


def test_a_county_window_reconciles_its_own_subtree_only(world):
    uploaded = csv_file([province_row(world, world.li_ming), province_row(world, world.liu_yang)])

    result = reconcile(uploaded, by=world.chen_jing, at=world.at)

    # 刘洋 is at home in 罗庄区: for 兰山区's window he is not one of ours, and nothing of his is shown.
    assert result.counts == {"only_there": 1, "only_here": 0, "differs": 0, "same": 1, "error": 0}
    assert result.window == world.li_ming.home_window


def test_a_gb18030_csv_is_read(world):
    uploaded = csv_file([province_row(world, world.li_ming)], encoding="gb18030")

    result = reconcile(uploaded, by=world.chen_jing, at=world.at)

    assert result.counts["same"] == 1


def test_rows_that_cannot_be_matched_are_reported_with_a_chinese_reason(world):
    number = world.li_ming.id_number
    uploaded = xlsx(
        [
            province_row(world, world.li_ming),
            province_row(world, world.li_ming),
            province_row(
                world, world.li_ming, 公民身份号码=number[:-1] + ("1" if number[-1] != "1" else "2")
            ),
            province_row(world, world.li_ming, 公民身份号码=mask_id_number(number)),
        ]
    )

    result = reconcile(uploaded, by=world.chen_jing, at=world.at)

    reasons = {entry["line"]: entry["reason"] for entry in by_verdict(result, Verdict.ERROR)}
    assert reasons[3] == "与第2行重复。"
    assert "校验位" in reasons[4]
    assert reasons[5] == "证件号码是脱敏后的值，无法核对。"


def test_the_report_keeps_no_whole_id_number_or_phone(world):
    uploaded = xlsx([province_row(world, world.li_ming, 手机号码=make_mobile(99990000))])

    result = reconcile(uploaded, by=world.zhou_min, at=world.at)

    stored = str(result.report)
    assert world.li_ming.id_number not in stored and world.li_ming.mobile not in stored
    assert world.liu_yang.id_number not in stored and make_mobile(99990000) not in stored


def test_a_list_without_the_id_number_column_is_refused(world):
    uploaded = xlsx([["李明", "B"]], headers=["姓名", "人才类别"])

    with pytest.raises(SyncError) as refused:
        reconcile(uploaded, by=world.chen_jing, at=world.at)

    assert refused.value.messages == ["缺少必填列：公民身份号码。请使用人才导入模板。"]
