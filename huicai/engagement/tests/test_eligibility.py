"""W16-1 政策找人: a rule on a policy or an item says who is eligible; the talent sees "您可能可以享受" with the
rule that matched. Li Ming was born on 1982-05-17 (his ID number says so), so he is 43 until 2026-05-16 and
44 from 2026-05-17; he works at an enterprise (credit code 91…) and lives under the 兰山区 window."""

import datetime

import pytest

from huicai.core.transitions import ActionRefused, NotAllowed
from huicai.engagement import actions
from huicai.engagement.choices import EmployerKind
from huicai.engagement.matching import reasons_for, talents_for_matching
from huicai.engagement.models import age_on, employer_kind
from huicai.engagement.selectors import possible_benefits
from huicai.engagement.tests.conftest import make_rule
from huicai.talents.models import Talent

BEFORE_BIRTHDAY = datetime.date(2026, 5, 16)
BIRTHDAY = datetime.date(2026, 5, 17)


def reasons(rule, talent, day):
    [subject] = talents_for_matching(Talent.objects.filter(pk=talent.pk), day)
    return reasons_for(rule, subject, day)


def test_a_rule_without_criteria_is_for_everybody(eng):
    rule = make_rule(eng)

    assert reasons(rule, eng.world.li_ming, eng.world.today) == ["面向全部人才"]


@pytest.mark.parametrize(
    ("max_age", "day", "eligible"),
    [(43, BEFORE_BIRTHDAY, True), (43, BIRTHDAY, False), (44, BIRTHDAY, True)],
)
def test_a_maximum_age_holds_up_to_the_day_before_the_next_birthday(eng, max_age, day, eligible):
    rule = make_rule(eng, max_age=max_age)

    found = reasons(rule, eng.world.li_ming, day)

    assert (found is not None) == eligible


def test_a_minimum_age_is_reached_on_the_birthday(eng):
    rule = make_rule(eng, min_age=44)

    assert reasons(rule, eng.world.li_ming, BEFORE_BIRTHDAY) is None
    assert reasons(rule, eng.world.li_ming, BIRTHDAY) == ["年龄44周岁"]


def test_someone_born_on_29_february_turns_older_on_1_march_in_a_common_year():
    born = datetime.date(1984, 2, 29)

    assert age_on(born, datetime.date(2026, 2, 28)) == 41
    assert age_on(born, datetime.date(2026, 3, 1)) == 42


@pytest.mark.parametrize(
    ("criteria", "eligible"),
    [
        ({"arrived_from_date": datetime.date(2025, 6, 1)}, True),  # from: inclusive
        ({"arrived_from_date": datetime.date(2025, 6, 2)}, False),
        ({"arrived_before_date": datetime.date(2025, 6, 1)}, False),  # before: exclusive
        ({"arrived_before_date": datetime.date(2025, 6, 2)}, True),
    ],
)
def test_the_arrival_date_bounds(eng, criteria, eligible):
    world = eng.world
    actions.record_arrival_date(
        world.li_ming, arrival_date=datetime.date(2025, 6, 1), by=world.chen_jing, at=world.at
    )
    rule = make_rule(eng, **criteria)

    found = reasons(rule, world.li_ming, world.today)

    assert found == (["2025-06-01来临工作"] if eligible else None)


def test_a_talent_with_no_recorded_arrival_matches_no_arrival_rule(eng):
    rule = make_rule(eng, arrived_from_date=datetime.date(2020, 1, 1))

    assert reasons(rule, eng.world.li_ming, eng.world.today) is None


def test_only_the_window_over_the_talent_records_the_arrival_and_not_in_the_future(eng):
    world = eng.world

    with pytest.raises(NotAllowed):
        actions.record_arrival_date(world.li_ming, arrival_date=world.today, by=world.sun_lei, at=world.at)
    with pytest.raises(ActionRefused) as error:
        actions.record_arrival_date(
            world.li_ming,
            arrival_date=world.today + datetime.timedelta(days=1),
            by=world.chen_jing,
            at=world.at,
        )

    assert error.value.messages == ["来临工作日期不能晚于今天。"]


def test_category_region_and_employer_kind_each_narrow_and_say_why(eng):
    world = eng.world
    rule = make_rule(
        eng,
        categories=[world.category_b],
        windows=[world.windows["兰山区"]],
        employer_kinds=[EmployerKind.ENTERPRISE],
        max_age=45,
    )

    found = reasons(rule, world.li_ming, world.today)
    other = reasons(rule, world.liu_yang, world.today)

    assert found == [
        "人才类别为“国家级领军人才”",
        "属地为兰山区高层次人才服务窗口",
        "用人单位性质为企业",
        "年龄43周岁",
    ]
    assert other is None


def test_an_employer_kind_is_read_from_the_credit_code():
    assert [
        employer_kind(code)
        for code in [
            "91371302MA3C00001X",
            "12371300000000000X",
            "11371300000000000X",
            "52371300000000000X",
            "Y1",
        ]
    ] == [
        EmployerKind.ENTERPRISE,
        EmployerKind.INSTITUTION,
        EmployerKind.GOVERNMENT,
        EmployerKind.SOCIAL,
        EmployerKind.OTHER,
    ]


def test_a_rule_for_public_institutions_does_not_match_an_enterprise(eng):
    rule = make_rule(eng, employer_kinds=[EmployerKind.INSTITUTION])

    assert reasons(rule, eng.world.li_ming, eng.world.today) is None


def test_the_talent_sees_what_they_may_be_able_to_enjoy_with_the_reason(eng):
    world = eng.world
    make_rule(eng, max_age=45, note="45周岁以下")
    actions.save_rule(service_item=eng.item, categories=[world.category_c], by=world.zhou_min, at=world.at)

    benefits = possible_benefits(world.li_ming, world.today)

    assert [(m.rule.target_title, m.reason_text) for m in benefits] == [
        ("兰山区高层次人才安家补贴", "年龄43周岁")
    ]


def test_a_used_item_is_no_longer_offered(eng):
    from huicai.casework.tests.conftest import prepare

    world = eng.world
    actions.save_rule(service_item=eng.item, by=world.zhou_min, at=world.at)
    from huicai.casework import actions as casework

    casework.submit_application(prepare(eng.case, [eng.item]), by=world.wang_fang, at=world.at)

    assert possible_benefits(world.li_ming, world.today) == []


def test_a_rule_is_set_only_by_the_window_that_owns_the_policy(eng):
    world = eng.world

    with pytest.raises(NotAllowed):
        make_rule(eng, by=world.sun_lei)
    with pytest.raises(ActionRefused) as error:
        make_rule(eng, min_age=50, max_age=40)

    assert error.value.messages == ["最高年龄不能小于最低年龄。"]


def test_editing_a_rule_on_a_stale_copy_is_refused(eng):
    from huicai.core.transitions import StaleVersion

    rule = make_rule(eng)
    make_rule(eng, max_age=45, expected_version=rule.version)

    with pytest.raises(StaleVersion):
        make_rule(eng, max_age=50, expected_version=rule.version)
