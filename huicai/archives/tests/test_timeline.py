"""The archive as one chronological list built from every app's records (W14, S16–S18)."""

import datetime

from huicai.archives import timeline
from huicai.archives.tests.conftest import DAY


def test_the_archive_gathers_every_kind_of_record_oldest_first(history):
    entries = timeline.entries(history.talent, viewer=history.world.chen_jing)

    kinds = {entry.kind for entry in entries}
    assert kinds >= {
        "direct_service",
        "application",
        "task",
        "material",
        "result",
        "rating",
        "rectification",
        "checkin",
        "card",
        "commissioner",
        "difficulty",
    }
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    service = next(entry for entry in entries if entry.kind == "direct_service")
    assert service.title == "直接服务：出入境证件办理咨询"
    assert service.refs == ("YM2026000001",)
    result = next(entry for entry in entries if entry.kind == "result")
    assert result.title == "办理结果：市公安局 已办理"
    assert result.link == history.task.get_absolute_url()
    checkin = next(entry for entry in entries if entry.kind == "checkin")
    assert checkin.detail.startswith("在职状态 在职；在临沂居住 是；答复人 王芳")


def test_a_period_keeps_what_happened_from_its_first_day_up_to_its_end(history):
    # 3 March 00:00 to 6 March 00:00 in Linyi: the direct service (3 March) and the difficulty (5 March).
    entries = timeline.entries(
        history.talent,
        start=datetime.date(2026, 3, 3),
        end=datetime.date(2026, 3, 6),
        viewer=history.world.chen_jing,
    )

    assert [entry.kind for entry in entries] == ["direct_service", "difficulty"]
    assert entries[0].at == history.world.at + DAY


def test_asking_for_some_kinds_leaves_the_others_out(history):
    entries = timeline.entries(history.talent, viewer=history.world.wang_fang, kinds=["rating", "checkin"])

    assert sorted(entry.kind for entry in entries) == ["checkin", "rating"]
    assert entries[0].detail.startswith("市公安局；总体评价 不满意")


def test_a_viewer_who_may_not_open_the_archive_gets_nothing_even_if_they_handled_part_of_it(history):
    world = history.world

    # zhao_qiang (市公安局) completed the task and sees li_ming's talent page, but not his archive.
    assert timeline.entries(history.talent, viewer=world.zhao_qiang) == []
    assert timeline.entries(history.talent, viewer=world.sun_lei) == []
    assert timeline.entries(history.talent, viewer=world.qian_hui) == []


def test_the_talent_sees_that_the_department_appealed_but_not_its_reasons(history):
    from huicai.ratings import actions as ratings

    world = history.world
    ratings.appeal_rectification(
        history.rating.rectification,
        reason="评价人所述情况与办理记录不符。",
        evidence="办理记录截图",
        by=world.zhao_qiang,
        at=world.at + 2 * DAY,
    )

    def appeal(viewer):
        entries = timeline.entries(history.talent, viewer=viewer, kinds=["rectification"])
        return next(entry for entry in entries if entry.title.endswith("部门申诉"))

    assert "评价人所述情况与办理记录不符" not in appeal(world.li_ming_user).detail
    assert "评价人所述情况与办理记录不符" in appeal(world.chen_jing).detail


def test_the_unit_commissioners_reports_have_a_kind_waiting_for_the_filings_source():
    assert str(timeline.KINDS["unit_report"]) == "单位专员定期报告"
    assert "unit_report" not in timeline.SOURCES
    assert set(timeline.SOURCES) == set(timeline.KINDS) - {"unit_report"}
