"""Every kind: a new row is created through its action, the same file twice changes nothing, a file with an
error row writes nothing, another county's row is an error, and export → import round-trips."""

import datetime

import pytest

from huicai.accounts.models import User
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post, UnitAssignment
from huicai.core.identifiers import make_credit_code
from huicai.exchange.actions import ImportRefused
from huicai.exchange.kinds import KINDS, apply_import, export_rows, plan_import
from huicai.org.models import Employer
from huicai.talents.actions import issue_card
from huicai.talents.choices import CardStatus
from huicai.talents.models import TalentCard


@pytest.fixture
def second_unit_post(world):
    """A second unit commissioner at Linyi Pharma, zhang_wei, to pair talents with."""
    zhang_wei = User.objects.create_user(username="zhang_wei", full_name="张伟")
    return appoint_commissioner(
        user=zhang_wei, kind=PostKind.UNIT, organisation=world.linyi_pharma, by=world.admin, at=world.at
    )


def new_rows(world, kind):
    """One good new row of each kind in 兰山区, and one row for 罗庄区 (another county)."""
    if kind == "employers":
        return (
            {
                "单位名称": "兰山新材料有限公司",
                "统一社会信用代码": make_credit_code("371302", 77),
                "属地窗口": "371302",
            },
            {
                "单位名称": "罗庄新厂",
                "统一社会信用代码": make_credit_code("371311", 78),
                "属地窗口": "371311",
            },
        )
    if kind == "cards":
        card = {"卡类": "山东惠才卡", "发卡日期": "2026-02-01", "有效期至": "2029-01-31", "等级": "A"}
        return (
            {**card, "卡号": "SD2026000100", "公民身份号码": world.li_ming.id_number},
            {**card, "卡号": "SD2026000101", "公民身份号码": world.liu_yang.id_number},
        )
    if kind == "commissioners":
        return (
            {
                "账号": "ma_li",
                "姓名": "马丽",
                "专员类别": "单位专员",
                "所属单位": world.linyi_pharma.credit_code,
            },
            {
                "账号": "niu_bo",
                "姓名": "牛博",
                "专员类别": "单位专员",
                "所属单位": world.luozhuang_steel.credit_code,
            },
        )
    if kind == "pairs":
        return (
            {"公民身份号码": world.li_ming.id_number, "单位专员账号": "zhang_wei"},
            {"公民身份号码": world.liu_yang.id_number, "单位专员账号": "qian_hui"},
        )
    raise AssertionError(kind)


def written(world, kind):
    """Whether the first new row of ``kind`` is in the database."""
    if kind == "employers":
        return Employer.objects.filter(credit_code=make_credit_code("371302", 77)).exists()
    if kind == "cards":
        return TalentCard.objects.filter(number="SD2026000100").exists()
    if kind == "commissioners":
        return Post.objects.filter(user__username="ma_li", employer=world.linyi_pharma).exists()
    if kind == "pairs":
        return (
            UnitAssignment.objects.open()
            .filter(talent=world.li_ming, post__user__username="zhang_wei")
            .exists()
        )
    raise AssertionError(kind)


KIND_CODES = ["employers", "cards", "commissioners", "pairs"]


@pytest.mark.parametrize("kind", KIND_CODES)
def test_a_new_row_is_created_and_the_same_file_again_changes_nothing(world, second_unit_post, kind):
    good, _other_county = new_rows(world, kind)

    later = world.at + datetime.timedelta(days=1)

    first = apply_import(kind, [good], user=world.chen_jing, at=later)
    second = apply_import(kind, [good], user=world.chen_jing, at=later)

    assert [str(r.status) for r in first.rows] == ["update" if kind == "pairs" else "create"]
    assert [str(r.status) for r in second.rows] == ["unchanged"]
    assert written(world, kind)


@pytest.mark.parametrize("kind", KIND_CODES)
def test_a_file_with_another_countys_row_is_refused_whole(world, second_unit_post, kind):
    good, other_county = new_rows(world, kind)

    with pytest.raises(ImportRefused) as refused:
        apply_import(kind, [good, other_county], user=world.chen_jing, at=world.at)

    assert [str(r.status) for r in refused.value.plan.rows][1] == "error"
    assert refused.value.plan.rows[1].line == 3
    assert not written(world, kind)


@pytest.mark.parametrize("kind", KIND_CODES)
def test_the_dry_run_writes_nothing(world, second_unit_post, kind):
    good, _other_county = new_rows(world, kind)

    plan = plan_import(kind, [good], user=world.chen_jing, at=world.at + datetime.timedelta(days=1))

    assert not plan.has_errors
    assert not written(world, kind)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_full_export_imports_back_unchanged(world, kind):
    rows = list(export_rows(kind, world.chen_jing, reveal=True, at=world.at))

    plan = plan_import(kind, rows, user=world.chen_jing, at=world.at)

    assert rows, "the export has the world's 兰山区 records"
    assert plan.counts == {"create": 0, "update": 0, "unchanged": len(rows), "error": 0}


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_export_holds_only_the_users_own_county(world, kind):
    issue_card(
        world.liu_yang,
        kind="shandong",
        number="SD2026000009",
        issued_date=datetime.date(2026, 1, 10),
        valid_until_date=datetime.date(2028, 1, 9),
        by=world.sun_lei,
        at=world.at,
    )

    mine = list(export_rows(kind, world.chen_jing, at=world.at))
    everything = list(export_rows(kind, world.zhou_min, at=world.at))

    assert len(mine) < len(everything)
    assert not any("罗庄" in str(value) for row in mine for value in row.values())


def test_an_edited_export_updates_the_changed_field_only(world):
    rows = list(export_rows("talents", world.chen_jing, reveal=True, at=world.at))
    rows[0]["人才类别"] = "C"

    plan = apply_import("talents", rows, user=world.chen_jing, at=world.at)

    assert plan.rows[0].changes == {"人才类别": ("B", "C")}
    world.li_ming.refresh_from_db()
    assert world.li_ming.category == world.category_c


def test_a_masked_export_shows_no_full_id_number_or_phone(world):
    (row,) = export_rows("talents", world.chen_jing, at=world.at)

    assert row["公民身份号码"] == world.li_ming.id_number_masked
    assert row["手机号码"] == world.li_ming.mobile_masked


def test_a_card_status_change_goes_through_the_card_action_with_its_event(world):
    (row,) = export_rows("cards", world.chen_jing, reveal=True, at=world.at)
    row["状态"] = "已挂失"

    apply_import("cards", [row], user=world.chen_jing, at=world.at)

    card = TalentCard.objects.get(number="YM2026000001")
    assert card.status == CardStatus.LOST
    assert card.events.last().from_status == CardStatus.VALID


def test_a_card_cannot_come_back_to_valid_once_revoked(world):
    (row,) = export_rows("cards", world.chen_jing, reveal=True, at=world.at)
    apply_import("cards", [{**row, "状态": "已撤销"}], user=world.chen_jing, at=world.at)

    plan = plan_import("cards", [row], user=world.chen_jing, at=world.at)

    assert plan.rows[0].errors == [("状态", "人才卡状态不能从“已撤销”改为“有效”。")]


def test_a_second_valid_card_of_the_same_kind_is_an_error_in_the_dry_run(world):
    row = {
        "卡号": "YM2026000777",
        "卡类": "沂蒙惠才卡",
        "公民身份号码": world.li_ming.id_number,
        "发卡日期": "2026-02-01",
        "有效期至": "2028-01-31",
    }

    plan = plan_import("cards", [row], user=world.chen_jing, at=world.at)

    assert plan.rows[0].errors == [("卡类", "该人才已有一张同类的有效人才卡。")]


def test_an_expired_card_from_before_is_recorded_beside_the_valid_one(world):
    row = {
        "卡号": "YM2020000001",
        "卡类": "沂蒙惠才卡",
        "公民身份号码": world.li_ming.id_number,
        "发卡日期": "2020-01-10",
        "有效期至": "2022-01-09",
        "状态": "已过期",
    }

    apply_import("cards", [row], user=world.chen_jing, at=world.at)

    card = TalentCard.objects.get(number="YM2020000001")
    assert (card.status, card.issued_date) == (CardStatus.EXPIRED, datetime.date(2020, 1, 10))
    assert card.events.count() == 1


def test_a_new_commissioner_gets_an_account_without_a_usable_password(world):
    good, _ = new_rows(world, "commissioners")

    apply_import("commissioners", [good], user=world.chen_jing, at=world.at)

    person = User.objects.get(username="ma_li")
    assert person.full_name == "马丽"
    assert not person.has_usable_password()


def test_an_employer_with_a_bad_credit_code_is_told_so(world):
    row = {
        "单位名称": "某单位",
        "统一社会信用代码": make_credit_code("371302", 77)[:-1] + "0",
        "属地窗口": "371302",
    }

    plan = plan_import("employers", [row], user=world.chen_jing, at=world.at)

    assert plan.rows[0].errors == [("统一社会信用代码", "统一社会信用代码校验位错误，请核对。")]


def test_a_public_institution_code_is_accepted(world):
    from stdnum.cn import uscc

    body = "12371302MB0000001"  # 事业单位: first character 1
    row = {
        "单位名称": "兰山区人民医院",
        "统一社会信用代码": body + uscc.calc_check_digit(body),
        "属地窗口": "371302",
    }

    plan = plan_import("employers", [row], user=world.chen_jing, at=world.at)

    assert [str(r.status) for r in plan.rows] == ["create"]


def test_a_new_pairing_dated_no_later_than_the_current_one_is_an_error_in_the_dry_run(
    world, second_unit_post
):
    row = {"公民身份号码": world.li_ming.id_number, "单位专员账号": "zhang_wei"}

    plan = plan_import("pairs", [row], user=world.chen_jing, at=world.at)

    assert plan.rows[0].errors == [("单位专员账号", "更换时间不能早于当前对接的起始时间。")]
