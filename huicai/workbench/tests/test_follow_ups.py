"""Each board also points at the work other apps put on the role (W9 supervision orders, W10 ratings and
rectifications, S11-5 difficulties, S12-2 hotline orders, S14-4 status check-ins), with counts."""

from huicai.casework import actions
from huicai.casework.choices import Source
from huicai.outreach import actions as outreach
from huicai.ratings import actions as ratings
from huicai.supervision import actions as supervision
from huicai.workbench.tests.conftest import submitted

BAD = {"overall": 2, "efficiency": 1, "service_level": 2, "attitude": 3}


def stat(page, label):
    """The number shown on the follow-up card ``label``."""
    start = page.index(f"<span>{label}</span>")
    block = page[start : page.index("</div>", start)]
    return int(block.split("<b>")[1].split("</b>")[0])


def completed(case):
    world = case.world
    task = actions.accept_task(submitted(case, [case.hukou]).tasks.get(), by=case.police, at=world.at)
    return actions.complete_task(task, result="handled", by=case.police, at=world.at)


def test_the_talent_is_offered_each_finished_service_to_rate(case, login, frozen):
    task = completed(case)

    page = login(case.world.li_ming_user).get("/workbench/talent/").content.decode()

    assert "待评价的服务" in page and f'href="/ratings/rate/task/{task.pk}/"' in page


def test_a_rated_service_is_no_longer_offered(case, login, frozen):
    task = completed(case)
    ratings.rate_service(
        task=task,
        mode="offline",
        scores={"overall": 5, "efficiency": 5, "service_level": 5, "attitude": 5},
        by=case.world.li_ming_user,
        at=case.world.at,
    )

    page = login(case.world.li_ming_user).get("/workbench/talent/").content.decode()

    assert "待评价的服务" not in page


def test_a_bad_rating_puts_a_rectification_on_the_departments_board(case, login, frozen):
    task = completed(case)
    ratings.rate_service(
        task=task,
        mode="offline",
        scores=BAD,
        comment="没人解释",
        by=case.world.li_ming_user,
        at=case.world.at,
    )

    page = login(case.police).get("/workbench/queue/").content.decode()

    assert stat(page, "差评整改待答复") == 1 and 'href="/ratings/rectifications/"' in page


def test_a_supervision_order_waits_on_the_departments_board(case, login, frozen):
    world = case.world
    task = actions.accept_task(submitted(case, [case.hukou]).tasks.get(), by=case.police, at=world.at)
    supervision.raise_order(task, content="请说明进展", due_in_days=2, by=world.chen_jing, at=world.at)

    police = login(case.police).get("/workbench/queue/").content.decode()
    school = login(case.school_commissioner).get("/workbench/queue/").content.decode()

    assert stat(police, "督办单待答复") == 1 and 'href="/supervision/orders/"' in police
    assert stat(school, "督办单待答复") == 0


def test_a_hotline_order_without_a_department_waits_on_the_window_board(case, login, frozen):
    world = case.world
    actions.open_hotline_case(
        talent=world.li_ming,
        source=Source.HOTLINE_12345,
        external_ref="12345-0001",
        content="咨询子女入学",
        by=world.admin,
        at=world.at,
    )

    page = login(world.chen_jing).get("/workbench/window/").content.decode()
    outsider = login(world.sun_lei).get("/workbench/window/").content.decode()

    assert stat(page, "热线工单待指派") == 1 and 'href="/hotlines/"' in page
    assert stat(outsider, "热线工单待指派") == 0


def test_a_difficulty_waits_on_the_unit_commissioners_board(case, login, frozen):
    world = case.world
    outreach.record_difficulty(
        talent=world.li_ming,
        kind="difficulty",
        category="housing",
        content="租房补贴迟迟未到",
        by=world.li_ming_user,
        at=world.at,
    )

    page = login(world.wang_fang).get("/workbench/unit/").content.decode()

    assert stat(page, "困难诉求待我处理") == 1
    assert (
        'href="/outreach/difficulties/new/"'
        in login(world.li_ming_user).get("/workbench/talent/").content.decode()
    )


def test_a_status_check_in_waits_on_the_talent_and_the_unit_commissioner(case, login, frozen):
    world = case.world
    outreach.open_checkin_round(
        window=world.windows["兰山区"], title="2026年一季度状态确认", by=world.chen_jing, at=world.at
    )

    talent = login(world.li_ming_user).get("/workbench/talent/").content.decode()
    unit = login(world.wang_fang).get("/workbench/unit/").content.decode()

    assert stat(talent, "状态确认待答复") == 1
    assert stat(unit, "人才状态确认待答复") == 1


def test_red_cards_stand_on_the_department_and_window_boards(case, login, frozen):
    import datetime

    from huicai.supervision.jobs import issue_cards

    world = case.world
    actions.accept_task(
        submitted(case, [case.hukou]).tasks.get(), by=case.police, at=world.at
    )  # due Thu 5 March
    issue_cards(at=datetime.datetime(2026, 3, 6, 2, 0, tzinfo=datetime.UTC))  # Friday 10:00 in Linyi

    police = login(case.police).get("/workbench/queue/").content.decode()
    window = login(world.chen_jing).get("/workbench/window/").content.decode()
    outsider = login(world.sun_lei).get("/workbench/window/").content.decode()

    assert stat(police, "红牌（已逾期）") == 1 and stat(police, "黄牌（临近截止）") == 0
    assert stat(window, "红牌（已逾期）") == 1
    assert stat(outsider, "红牌（已逾期）") == 0
