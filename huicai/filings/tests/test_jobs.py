"""W14/S18: filings are opened once their period ends, filers are reminded before the due date and flagged
late after it; the jobs are declared in the scheduler's list."""

import datetime

from huicai.filings import actions, jobs, periods
from huicai.filings.choices import FILING_LATE, FILING_REMINDER, FilingAction, FilingKind, FilingStatus
from huicai.filings.models import Filing
from huicai.filings.tests.conftest import APRIL_1, local, open_unit
from huicai.notifications.models import Notification
from huicai.schedule import all_jobs


def test_the_jobs_are_in_the_schedule():
    names = {job.name: job.dotted_path for job in all_jobs()}

    assert names["filings_open_due"] == "huicai.filings.jobs.open_due_filings"
    assert names["filings_remind_due"] == "huicai.filings.jobs.remind_due_filings"
    assert names["filings_flag_late"] == "huicai.filings.jobs.flag_late_filings"
    assert names["filings_build_waiting"] == "huicai.filings.jobs.build_waiting_filings"


def test_due_dates_skip_the_national_day_holiday(world):
    # 2025-Q3 ends Tuesday 30 September; 1–8 October are off and Saturday 11 October is worked.
    assert periods.due_date(FilingKind.QUARTERLY, periods.parse("2025-Q3")) == datetime.date(2025, 10, 21)


def test_due_dates_skip_new_year_and_count_the_make_up_sunday(world):
    # 1–3 January 2026 are off and Sunday 4 January is worked: the 15th working day is Thursday 22 January.
    assert periods.due_date(FilingKind.ANNUAL, periods.parse("2025")) == datetime.date(2026, 1, 22)


def test_unit_reports_are_quarterly_when_the_city_says_so(settings, world):
    settings.HUICAI_FILING_UNIT_PERIOD = "quarter"

    filing = open_unit(world, period=periods.parse("2026-Q1"))

    assert (filing.period_start_date, filing.period_end_date) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )


def test_the_day_after_a_period_every_filer_gets_a_draft(world):
    result = jobs.open_due_filings(at=APRIL_1)

    unit = Filing.objects.filter(kind=FilingKind.UNIT)
    quarterly = Filing.objects.filter(kind=FilingKind.QUARTERLY)
    annual = Filing.objects.filter(kind=FilingKind.ANNUAL)
    assert {f.filer_post for f in unit} == {world.wang_fang_post, world.qian_hui_post}
    assert {f.period_start_date for f in unit} == {datetime.date(2026, 3, 1)}
    # Every county and park window files its quarter with the window above; the city files none.
    assert world.windows["兰山区"] in {f.filer_window for f in quarterly}
    assert world.windows["临沂市"] not in {f.filer_window for f in quarterly}
    # The year 2025 for the counties only.
    assert {f.period_start_date for f in annual} == {datetime.date(2025, 1, 1)}
    assert all(f.filer_window.level == "county" for f in annual)
    assert result["opened"] == Filing.objects.count()


def test_opening_again_opens_nothing_new(world):
    jobs.open_due_filings(at=APRIL_1)
    count = Filing.objects.count()

    result = jobs.open_due_filings(at=local(2026, 4, 2))

    assert (result["opened"], Filing.objects.count()) == (0, count)


def test_the_filer_is_reminded_once_two_working_days_before_the_due_date(world):
    filing = open_unit(world)  # due Wednesday 8 April

    early = jobs.remind_due_filings(at=local(2026, 4, 2, 9))
    first = jobs.remind_due_filings(at=local(2026, 4, 3, 9))  # 8 April is two working days after 3 April
    again = jobs.remind_due_filings(at=local(2026, 4, 7, 9))

    assert (early["reminded"], first["reminded"], again["reminded"]) == (0, 1, 0)
    assert Notification.objects.filter(recipient=world.wang_fang, kind=FILING_REMINDER).count() == 1
    assert filing.events.filter(action=FilingAction.REMIND).count() == 1


def test_a_filed_filing_is_not_reminded(world):
    actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)

    result = jobs.remind_due_filings(at=local(2026, 4, 7, 9))

    assert result == {"due": 0, "reminded": 0}


def test_a_filing_not_filed_by_its_due_date_is_flagged_late_once(world):
    filing = open_unit(world)

    on_the_day = jobs.flag_late_filings(at=local(2026, 4, 8, 9))
    after = jobs.flag_late_filings(at=local(2026, 4, 9, 9))
    again = jobs.flag_late_filings(at=local(2026, 4, 10, 9))

    assert (on_the_day["flagged"], after["flagged"], again["flagged"]) == (0, 1, 0)
    filing.refresh_from_db()
    assert filing.late_flagged_at == local(2026, 4, 9, 9)
    assert filing.is_late_on(datetime.date(2026, 4, 9))
    late_notices = Notification.objects.filter(kind=FILING_LATE)
    assert set(late_notices.values_list("recipient", flat=True)) == {world.wang_fang.pk, world.chen_jing.pk}


def test_a_late_filing_filed_afterwards_stays_late(world):
    filing = open_unit(world)
    jobs.flag_late_filings(at=local(2026, 4, 9, 9))

    filing = actions.file_filing(filing, by=world.wang_fang, at=local(2026, 4, 10))

    assert filing.status == FilingStatus.FILED
    assert filing.is_late_on(datetime.date(2026, 4, 10))
    assert not filing.is_on_time()
