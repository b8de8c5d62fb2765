"""Importing talents: the dry run, the confirmed write, idempotence, jurisdiction and the error report."""

import datetime

import pytest

from huicai.commissioners.models import UnitAssignment
from huicai.core.identifiers import make_credit_code
from huicai.exchange.actions import ImportRefused
from huicai.exchange.kinds import apply_import, plan_import
from huicai.exchange.models import ImportChange
from huicai.org.models import Employer
from huicai.talents.models import Talent


def statuses(plan):
    return [str(row.status) for row in plan.rows]


def test_a_dry_run_reports_each_row_and_writes_nothing(world, talent_row):
    rows = [
        talent_row(1),
        talent_row(2, 姓名="李明改", 公民身份号码=world.li_ming.id_number, 手机号码=world.li_ming.mobile),
    ]
    before = Talent.objects.count()

    plan = plan_import("talents", rows, user=world.chen_jing, at=world.at)

    assert statuses(plan) == ["create", "update"]
    assert plan.rows[1].changes == {"姓名": ("李明", "李明改")}
    assert Talent.objects.count() == before
    assert Talent.objects.get(pk=world.li_ming.pk).name == "李明"


def test_a_confirmed_import_registers_talents_with_their_unit_commissioner(world, talent_row):
    plan = apply_import(
        "talents", [talent_row(1, 单位专员账号="wang_fang")], user=world.chen_jing, at=world.at
    )

    talent = Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).get()
    assert statuses(plan) == ["create"]
    assert talent.employer == world.linyi_pharma
    assert talent.home_window == world.windows["兰山区"]
    assert UnitAssignment.objects.open().get(talent=talent).post == world.wang_fang_post


def test_the_same_file_imported_twice_changes_nothing_the_second_time(world, talent_row):
    rows = [talent_row(1), talent_row(2, 单位专员账号="wang_fang")]
    apply_import("talents", rows, user=world.chen_jing, at=world.at)
    count, changes = Talent.objects.count(), ImportChange.objects.count()

    plan = apply_import("talents", rows, user=world.chen_jing, at=world.at)

    assert statuses(plan) == ["unchanged", "unchanged"]
    assert (Talent.objects.count(), ImportChange.objects.count()) == (count, changes)


def test_an_update_records_what_changed_with_the_phone_masked(world, talent_row):
    row = talent_row(1, 公民身份号码=world.li_ming.id_number, 姓名="李明", 手机号码="13912345678")

    apply_import("talents", [row], user=world.chen_jing, at=world.at)

    change = ImportChange.objects.get(object_id=str(world.li_ming.pk))
    assert change.changes == {"手机号码": ["138****5678", "139****5678"]}
    assert change.by == world.chen_jing
    assert Talent.objects.get(pk=world.li_ming.pk).mobile == "13912345678"


def test_a_file_with_an_error_row_is_written_whole_or_not_at_all(world, talent_row):
    rows = [talent_row(1), talent_row(2, 手机号码="12345")]
    before = Talent.objects.count()

    with pytest.raises(ImportRefused) as refused:
        apply_import("talents", rows, user=world.chen_jing, at=world.at)

    assert Talent.objects.count() == before
    assert statuses(refused.value.plan) == ["create", "error"]


def test_skipping_the_error_rows_is_an_explicit_choice_that_writes_the_good_ones(world, talent_row):
    rows = [talent_row(1), talent_row(2, 手机号码="12345")]

    plan = apply_import("talents", rows, user=world.chen_jing, at=world.at, skip_errors=True)

    assert statuses(plan) == ["create", "error"]
    assert Talent.objects.with_id_number(rows[0]["公民身份号码"]).exists()
    assert not Talent.objects.with_id_number(rows[1]["公民身份号码"]).exists()


def test_each_error_names_the_row_the_column_and_a_chinese_reason(world, talent_row):
    bad_checksum = talent_row(1)["公民身份号码"][:17] + (
        "0" if talent_row(1)["公民身份号码"][17] != "0" else "1"
    )
    rows = [talent_row(1), talent_row(2, 人才类别="Z"), talent_row(3, 公民身份号码=bad_checksum)]

    plan = plan_import("talents", rows, user=world.chen_jing, at=world.at)

    assert [(r.line, r.errors) for r in plan.rows if r.errors] == [
        (3, [("人才类别", "找不到该人才类别，请填写类别代码或名称。")]),
        (4, [("公民身份号码", "居民身份证号码校验位错误（第18位与前17位不符），请核对。")]),
    ]


def test_a_bad_id_number_is_told_which_part_is_wrong_without_repeating_it(world, talent_row):
    row = talent_row(1, 公民身份号码="37130219800132001X")

    plan = plan_import("talents", [row], user=world.chen_jing, at=world.at)

    (column, reason), *_ = plan.rows[0].errors
    assert column == "公民身份号码"
    assert "出生日期" in reason
    assert "19800132" not in reason


def test_a_second_row_for_the_same_talent_in_one_file_is_an_error(world, talent_row):
    plan = plan_import("talents", [talent_row(1), talent_row(1)], user=world.chen_jing, at=world.at)

    assert plan.rows[1].errors == [("公民身份号码", "与第2行重复。")]


def test_unknown_columns_are_reported_not_silently_dropped(world, talent_row):
    plan = plan_import("talents", [talent_row(1, 学历="博士")], user=world.chen_jing, at=world.at)

    assert plan.unknown_columns == ["学历"]
    assert statuses(plan) == ["create"]


def test_a_missing_required_column_makes_the_whole_file_an_error(world, talent_row):
    row = talent_row(1)
    del row["手机号码"]

    plan = plan_import("talents", [row], user=world.chen_jing, at=world.at)

    assert plan.file_errors == ["缺少必填列：手机号码。"]
    assert plan.has_errors


def test_headers_may_come_in_any_order(world, talent_row):
    row = dict(reversed(list(talent_row(1).items())))

    plan = plan_import("talents", [row], user=world.chen_jing, at=world.at)

    assert statuses(plan) == ["create"]


def test_a_county_window_cannot_import_a_talent_into_another_county(world, talent_row):
    rows = [
        talent_row(1, 属地窗口="371311"),
        talent_row(2, 用人单位统一社会信用代码=world.luozhuang_steel.credit_code),
        talent_row(3, 公民身份号码=world.liu_yang.id_number),
    ]

    plan = plan_import("talents", rows, user=world.chen_jing, at=world.at)

    assert [r.errors[0] for r in plan.rows] == [
        ("属地窗口", "该窗口不在您的辖区内。"),
        ("用人单位统一社会信用代码", "该用人单位不在您的辖区内。"),
        ("公民身份号码", "该人才已由其他辖区登记，不能在此导入。"),
    ]


def test_the_city_window_imports_into_any_county(world, talent_row):
    plan = plan_import("talents", [talent_row(1, 属地窗口="371311")], user=world.zhou_min, at=world.at)

    assert statuses(plan) == ["create"]


def test_only_window_staff_import(world, talent_row):
    from huicai.exchange.kinds import ExchangeError

    with pytest.raises(ExchangeError):
        plan_import("talents", [talent_row(1)], user=world.wang_fang, at=world.at)


def test_a_unit_commissioner_of_another_employer_is_refused(world, talent_row):
    plan = plan_import("talents", [talent_row(1, 单位专员账号="qian_hui")], user=world.chen_jing, at=world.at)

    assert plan.rows[0].errors == [("单位专员账号", "该账号不是此用人单位在岗的单位专员。")]


def test_a_masked_id_number_from_a_masked_export_cannot_be_imported(world, talent_row):
    plan = plan_import(
        "talents", [talent_row(1, 公民身份号码="372822********0315")], user=world.chen_jing, at=world.at
    )

    assert plan.rows[0].errors == [
        ("公民身份号码", "证件号码是脱敏后的值，无法导入；请导出完整信息后再编辑。")
    ]


def test_an_id_number_excel_stored_as_a_number_is_told_to_be_entered_as_text(world, talent_row):
    row = talent_row(1, 公民身份号码=float(talent_row(1)["公民身份号码"][:17] + "1"))

    plan = plan_import("talents", [row], user=world.chen_jing, at=world.at)

    assert plan.rows[0].errors == [
        ("公民身份号码", "该单元格是数字格式，18位号码已丢失末几位：请将此列设为文本格式后重新填写。")
    ]


def test_a_change_of_employer_takes_the_new_employers_unit_commissioner_with_it(world, talent_row):
    """S6 through the importer: the old pairing ends; the row's named commissioner, else the new employer's
    only one, takes the talent; the talent's record keeps the change."""
    moved = dict(
        talent_row(1), 公民身份号码=world.liu_yang.id_number, 姓名="刘洋", 手机号码=world.liu_yang.mobile
    )
    moved.update(人才类别="C", 属地窗口="371311", 用人单位统一社会信用代码=world.linyi_pharma.credit_code)

    plan = apply_import("talents", [moved], user=world.zhou_min, at=world.at + datetime.timedelta(days=1))

    assert plan.rows[0].errors == []
    world.liu_yang.refresh_from_db()
    assert world.liu_yang.employer == world.linyi_pharma
    assert UnitAssignment.objects.open().get(talent=world.liu_yang).post == world.wang_fang_post
    assert UnitAssignment.objects.filter(talent=world.liu_yang, post=world.qian_hui_post).get().active_to


def test_a_change_to_an_employer_without_a_unit_commissioner_leaves_the_talent_in_the_coverage_gap(
    world, talent_row
):
    newcomer = Employer.objects.create(
        name="临沂新材料有限公司", credit_code=make_credit_code("371311", 7), window=world.windows["罗庄区"]
    )
    moved = dict(
        talent_row(1), 公民身份号码=world.liu_yang.id_number, 姓名="刘洋", 手机号码=world.liu_yang.mobile
    )
    moved.update(人才类别="C", 属地窗口="371311", 用人单位统一社会信用代码=newcomer.credit_code)

    plan = apply_import("talents", [moved], user=world.zhou_min, at=world.at + datetime.timedelta(days=1))

    assert plan.rows[0].errors == []
    world.liu_yang.refresh_from_db()
    assert world.liu_yang.employer == newcomer
    assert not UnitAssignment.objects.open().filter(talent=world.liu_yang).exists()
