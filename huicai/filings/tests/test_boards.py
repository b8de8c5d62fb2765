"""The filings on the boards: the filer's (to file, late) and the parent's (to review), and on the
managers' dashboard."""

import time_machine

from huicai.filings import actions
from huicai.filings.tests.conftest import APRIL_1, local, open_unit, open_window


def follow_ups(response):
    return {f.label: f.count for f in response.context["follow_ups"]}


def test_the_unit_board_shows_the_report_to_file_and_when_it_is_late(login, world):
    open_unit(world)

    with time_machine.travel(local(2026, 4, 2), tick=False):
        before = follow_ups(login(world.wang_fang).get("/workbench/unit/"))
    with time_machine.travel(local(2026, 4, 9), tick=False):
        after = follow_ups(login(world.wang_fang).get("/workbench/unit/"))

    assert (before["备案待报送"], before["备案已逾期"]) == (1, 0)
    assert (after["备案待报送"], after["备案已逾期"]) == (1, 1)


def test_the_window_board_shows_what_the_children_filed_and_its_own_to_file(login, tree):
    world = tree.world
    actions.file_filing(open_window(tree.park), by=tree.ma_li, at=APRIL_1)
    actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    open_window(tree.lanshan)

    with time_machine.travel(local(2026, 4, 2), tick=False):
        board = follow_ups(login(world.chen_jing).get("/workbench/window/"))

    assert (board["下级备案待审核"], board["备案待报送"], board["备案已逾期"]) == (2, 1, 0)


def test_the_dashboard_counts_late_and_awaiting_filings(login, tree):
    world = tree.world
    actions.file_filing(open_window(tree.park), by=tree.ma_li, at=APRIL_1)
    open_window(tree.lanshan)  # due 16 April

    with time_machine.travel(local(2026, 4, 20), tick=False):
        stats = login(world.zhou_min).get("/workbench/dashboard/data/").json()["stats"]

    assert (stats["filings_late"], stats["filings_awaiting"]) == (1, 1)
