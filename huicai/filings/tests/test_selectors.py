"""The questions staffing, grading and the archive ask: timeliness of unit reports and of window filings,
and the unit reports that include a talent."""

import datetime

from huicai.filings import actions, jobs
from huicai.filings.selectors import unit_report_timeliness, unit_reports_for_talent, window_filing_timeliness
from huicai.filings.tests.conftest import APRIL_1, local, open_unit, open_window

APRIL = (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))


def test_unit_report_timeliness_counts_reports_due_in_the_range_and_filed_by_their_due_date(world):
    on_time = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    late = open_unit(world, post=world.qian_hui_post)
    actions.file_filing(late, by=world.qian_hui, at=local(2026, 4, 9))

    assert unit_report_timeliness(post=world.wang_fang_post, start=APRIL[0], end=APRIL[1]) == (1, 1)
    assert unit_report_timeliness(post=world.qian_hui_post, start=APRIL[0], end=APRIL[1]) == (0, 1)
    assert unit_report_timeliness(window=world.windows["兰山区"], start=APRIL[0], end=APRIL[1]) == (1, 1)
    assert unit_report_timeliness(start=APRIL[0], end=APRIL[1]) == (1, 2)
    # Nothing is due in March.
    assert unit_report_timeliness(
        post=on_time.filer_post, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31)
    ) == (0, 0)


def test_an_unfiled_report_past_its_date_is_due_and_not_on_time(world):
    jobs.open_due_filings(at=APRIL_1)

    assert unit_report_timeliness(post=world.wang_fang_post, start=APRIL[0], end=APRIL[1]) == (0, 1)


def test_window_filing_timeliness_counts_the_windows_own_filings(tree):
    actions.file_filing(open_window(tree.park), by=tree.ma_li, at=APRIL_1)
    open_window(tree.lanshan)

    # The first quarter is due ten working days after 31 March: 16 April.
    assert window_filing_timeliness(window=tree.park, start=APRIL[0], end=APRIL[1]) == (1, 1)
    assert window_filing_timeliness(window=tree.lanshan, start=APRIL[0], end=APRIL[1]) == (0, 1)


def test_the_unit_reports_that_include_a_talent(world):
    filed = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    open_unit(world, post=world.qian_hui_post)  # a draft, and not li_ming's

    assert list(unit_reports_for_talent(world.li_ming)) == [filed]
    assert list(unit_reports_for_talent(world.liu_yang)) == []
    assert list(unit_reports_for_talent(world.li_ming, start=datetime.date(2026, 4, 1))) == []
    assert list(unit_reports_for_talent(world.li_ming, end=datetime.date(2026, 3, 1))) == [filed]


def test_a_returned_report_leaves_the_timeline_until_it_is_filed_again(world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    actions.return_filing(filing, reason="请补充。", by=world.chen_jing, at=APRIL_1)
    assert list(unit_reports_for_talent(world.li_ming)) == []

    actions.file_filing(filing, by=world.wang_fang, at=local(2026, 4, 2))

    assert list(unit_reports_for_talent(world.li_ming)) == [filing]
