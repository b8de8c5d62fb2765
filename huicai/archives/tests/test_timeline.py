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


def test_the_unit_report_the_grant_and_the_card_application_enter_the_archive(history, settings, tmp_path):
    """W14, W16-1, S11-4: the unit commissioner's filed March report that lists li_ming, a 免申即享 grant by his
    window, and the steps of a 惠才卡 application appear in his archive, each seen by whom it concerns."""
    from huicai.cards import actions as cards
    from huicai.cards.models import CardRule
    from huicai.cards.tests.conftest import pdf
    from huicai.engagement import actions as engagement
    from huicai.filings import actions as filings
    from huicai.filings import periods
    from huicai.filings.choices import FilingKind
    from huicai.policies import actions as policies

    world = history.world
    settings.MEDIA_ROOT = tmp_path
    march = periods.containing(periods.MONTH, datetime.date(2026, 3, 1))
    report = filings.open_filing(
        kind=FilingKind.UNIT, period=march, filer_post=world.wang_fang_post, at=world.at
    )
    filings.file_filing(
        report, by=world.wang_fang, at=datetime.datetime(2026, 4, 2, 1, 0, tzinfo=datetime.UTC), inline=True
    )

    policy = policies.create_policy(
        by=world.chen_jing,
        at=world.at,
        window=world.windows["兰山区"],
        divisions=[world.windows["兰山区"].division],
        title="兰山区高层次人才安家补贴",
        issuer="兰山区人才工作领导小组",
        issue_date=datetime.date(2026, 1, 5),
        effective_date=datetime.date(2026, 1, 5),
        body="对新引进的高层次人才给予安家补贴。",
    )
    policy, _ = policies.publish_policy(policy, by=world.chen_jing, at=world.at, notify_talents=False)
    rule = engagement.save_rule(
        policy=policy, max_age=60, grant_without_application=True, by=world.chen_jing, at=world.at
    )
    engagement.grant_benefit(
        rule, talent=world.li_ming, note="已拨付", by=world.chen_jing, at=world.at + 4 * DAY
    )

    CardRule.objects.create(category=world.li_ming.category, kind="shandong", tier="C卡")
    application = cards.submit_card_application(
        talent=world.li_ming,
        kind="shandong",
        files=[("身份证明", pdf())],
        by=world.wang_fang,
        at=world.at + 5 * DAY,
    )
    cards.approve_card_application(application, by=world.chen_jing, at=world.at + 6 * DAY)

    kinds = ["unit_report", "grant", "card_application"]
    seen = timeline.entries(world.li_ming, viewer=world.chen_jing, kinds=kinds)
    assert [entry.kind for entry in seen] == ["grant", "card_application", "card_application", "unit_report"]
    assert "兰山区高层次人才安家补贴" in seen[0].title
    assert seen[2].title.endswith("批准并发卡")
    assert seen[3].link == report.get_absolute_url()  # the window chain opens the filing
    # The talent sees the same entries, but the filing is not his to open.
    own = timeline.entries(world.li_ming, viewer=world.li_ming_user, kinds=kinds)
    assert [entry.kind for entry in own] == [entry.kind for entry in seen]
    assert own[3].link == ""
    assert set(timeline.SOURCES) == set(timeline.KINDS)
