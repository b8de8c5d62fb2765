"""The step table: one place for the states a step is taken from and who takes it."""

from types import SimpleNamespace

import pytest

from huicai.core.transitions import InvalidTransition, NotAllowed, Step, StepTable, check_version

LABELS = {"open": "待处理", "done": "已完成"}


def record(status):
    return SimpleNamespace(status=status, get_status_display=lambda: LABELS[status], version=3)


def anyone(user, obj):
    return True


def only_ann(user, obj):
    return user == "ann"


TABLE = StepTable(
    [
        Step("finish", "完成", ("open",), only_ann),
        Step("reopen", "重开", ("done",), anyone, refusal={"open": "尚未完成，无需重开。"}),
    ],
    refusal="当前为“%(status)s”，不能执行此操作。",
)


def test_a_step_from_a_state_it_lists_passes_the_guard():
    assert TABLE.check("finish", record("open"), by="ann") is TABLE["finish"]


def test_a_step_from_another_state_is_refused_with_the_tables_message():
    with pytest.raises(InvalidTransition) as refused:
        TABLE.check("finish", record("done"), by="ann")

    assert refused.value.messages == ["当前为“已完成”，不能执行此操作。"]


def test_a_step_may_say_why_for_each_state_it_is_refused_from():
    with pytest.raises(InvalidTransition) as refused:
        TABLE.check("reopen", record("open"))

    assert refused.value.messages == ["尚未完成，无需重开。"]


def test_who_is_checked_before_the_state_and_is_a_403():
    with pytest.raises(NotAllowed):
        TABLE.check("finish", record("done"), by="bob")


def test_the_pages_list_only_the_steps_both_state_and_person_allow():
    assert [step.name for step in TABLE.available("ann", record("open"))] == ["finish"]
    assert TABLE.available("bob", record("open")) == []
    assert [step.name for step in TABLE.available("bob", record("done"))] == ["reopen"]


def test_a_version_other_than_the_one_read_is_stale_and_none_is_unchecked():
    class Stale(InvalidTransition):
        pass

    check_version(record("open"), None)
    check_version(record("open"), "3")
    with pytest.raises(Stale):
        check_version(record("open"), 2, error=Stale)


def test_step_names_are_unique():
    with pytest.raises(ValueError):
        StepTable([Step("a", "", (), anyone), Step("a", "", (), anyone)])
