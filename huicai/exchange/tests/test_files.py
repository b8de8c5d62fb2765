"""Reading and writing the exchange files: .xlsx streamed, .csv in UTF-8 (with or without BOM) or GB18030."""

import io

from openpyxl import load_workbook

from huicai.exchange import files
from huicai.exchange.kinds import KINDS, plan_import


def csv_bytes(rows, *, encoding, headers):
    lines = [",".join(headers)] + [",".join(row[h] for h in headers) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def test_a_gb18030_csv_as_excel_saves_it_reads_with_its_chinese_intact(world, talent_row):
    headers = list(talent_row(1))
    content = csv_bytes([talent_row(1)], encoding="gb18030", headers=headers)

    rows = list(files.read_rows(io.BytesIO(content), "csv"))

    assert rows == [(2, talent_row(1))]


def test_a_utf8_csv_with_a_bom_reads_the_first_header_without_it(world, talent_row):
    headers = list(talent_row(1))
    content = csv_bytes([talent_row(1)], encoding="utf-8-sig", headers=headers)

    ((line, row),) = files.read_rows(io.BytesIO(content), "csv")

    assert "姓名" in row
    assert plan_import("talents", [(line, row)], user=world.chen_jing, at=world.at).counts["create"] == 1


def test_an_xlsx_written_in_the_template_reads_back_row_for_row(world, talent_row):
    content = files.write_xlsx(KINDS["talents"], [talent_row(1), talent_row(2)])

    rows = list(files.read_rows(io.BytesIO(content), "xlsx"))

    assert [line for line, _ in rows] == [2, 3]
    assert rows[1][1]["公民身份号码"] == talent_row(2)["公民身份号码"]


def test_the_template_has_the_chinese_headers_and_an_instruction_sheet():
    content = files.write_xlsx(KINDS["talents"], [])

    workbook = load_workbook(io.BytesIO(content))

    assert workbook.sheetnames == ["高层次人才", "填写说明"]
    assert [c.value for c in workbook["高层次人才"][1]] == [
        "姓名",
        "公民身份号码",
        "手机号码",
        "人才类别",
        "用人单位统一社会信用代码",
        "属地窗口",
        "单位专员账号",
    ]
    notes = [row[0] for row in workbook["填写说明"].iter_rows(values_only=True)]
    assert "单位专员账号" in notes


def test_the_report_lists_each_error_with_its_row_and_column(world, talent_row):
    plan = plan_import("talents", [talent_row(1, 人才类别="Z")], user=world.chen_jing, at=world.at)

    workbook = load_workbook(io.BytesIO(files.report_xlsx(plan.as_report())))

    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1] == (2, "错误", plan.rows[0].key, "人才类别", "找不到该人才类别，请填写类别代码或名称。")


def test_an_exported_value_that_looks_like_a_formula_stays_text():
    row = {"单位名称": '=HYPERLINK("http://evil.example","点击")', "统一社会信用代码": "x"}

    workbook = load_workbook(io.BytesIO(files.write_xlsx(KINDS["employers"], [row])))
    csv_text = files.write_csv(KINDS["employers"], [row]).decode("utf-8-sig")

    cell = workbook.worksheets[0]["A2"]
    assert (cell.data_type, cell.value) == ("s", row["单位名称"])
    assert "\"'=HYPERLINK" in csv_text


def test_a_csv_line_without_its_trailing_empty_cells_still_has_every_column(world, talent_row):
    headers = list(talent_row(1)) + ["单位专员账号"]
    content = (",".join(headers) + "\n" + ",".join(talent_row(1).values()) + "\n").encode("utf-8")

    rows = list(files.read_rows(io.BytesIO(content), "csv"))

    assert rows[0][1]["单位专员账号"] is None
    assert plan_import("talents", rows, user=world.chen_jing, at=world.at).counts["create"] == 1


def test_a_file_with_headers_only_is_told_it_has_no_rows(world):
    plan = plan_import("talents", [], user=world.chen_jing, at=world.at)

    assert plan.file_errors == ["文件中没有数据行。"]
