"""The three indicators that read commissioner management (S19, S20) and filings (W14, S18), computed from
their records: change records filed within 7 working days, training hours against the yearly minimum, and
the window's quarterly filings to the city by their due dates; each with its drill-down."""

import datetime

from huicai.filings import actions as filing_actions
from huicai.filings import periods
from huicai.filings.choices import FilingKind
from huicai.grading import actions
from huicai.grading.indicators import INDICATORS
from huicai.grading.tests.conftest import later, result_of
from huicai.staffing import actions as staffing_actions
from huicai.staffing.models import ChangeRecord
from huicai.staffing.selectors import registry_posts, training_summary


def test_change_filings_training_and_archive_filings_are_counted_from_their_records(g, settings, login):
    world, lanshan = g.world, g.lanshan
    settings.HUICAI_TRAINING_MIN_HOURS = 12
    # S19: the registry changes of the year (ma_li's appointment among them) become change records; one is
    # filed with the window on time, the others are left unfiled.
    staffing_actions.record_post_changes(at=g.at)
    records = list(ChangeRecord.objects.filter(window=lanshan).order_by("pk"))
    assert records
    first = records[0]
    staffing_actions.file_change(
        first, by=staffing_actions.filers_of(first.post, at=g.at)[0], at=later(world, days=1)
    )
    # S20: one training of 16 hours, attended by chen_jing only.
    session = staffing_actions.create_training_session(
        window=lanshan,
        topic="政策解读",
        session_date=datetime.date(2026, 3, 20),
        hours=16,
        organiser="兰山区窗口",
        by=world.chen_jing,
        at=later(world, days=18),
    )
    chen_jing_post = world.chen_jing.posts.get()
    staffing_actions.record_attendance(
        session, posts=[chen_jing_post], by=world.chen_jing, at=later(world, days=18)
    )
    # W14: the first quarter's filing to the city, filed before its due date.
    quarter = periods.containing(periods.unit_for(FilingKind.QUARTERLY), datetime.date(2026, 3, 1))
    filing = filing_actions.open_filing(
        kind=FilingKind.QUARTERLY, period=quarter, filer_window=lanshan, at=g.at
    )
    filing_actions.file_filing(
        filing,
        by=world.chen_jing,
        at=datetime.datetime.combine(filing.due_date, datetime.time(1), datetime.UTC),
        inline=True,
    )

    rubric = actions.create_rubric(
        weights={"on_time": 40, "change_filings": 20, "training": 20, "archive_filings": 20},
        excellent_min=90,
        good_min=80,
        pass_min=60,
        note="含专员管理与档案报备",
        by=world.zhou_min,
        at=world.at,
    )
    evaluation = actions.compute_evaluation(kind="year", year=2026, rubric=rubric, by=world.zhou_min, at=g.at)
    result = result_of(evaluation, lanshan)

    due_changes = ChangeRecord.objects.filter(window=lanshan, deadline__due_date__year=2026).count()
    assert (
        result.figures["change_filings"]["numerator"],
        result.figures["change_filings"]["denominator"],
    ) == (
        1,
        due_changes,
    )
    summary = training_summary(window=lanshan, year=2026)
    assert summary["commissioners"] == registry_posts(window=lanshan, year=2026).count()
    assert (result.figures["training"]["numerator"], result.figures["training"]["denominator"]) == (
        1,
        summary["commissioners"],
    )
    assert (
        result.figures["archive_filings"]["numerator"],
        result.figures["archive_filings"]["denominator"],
    ) == (1, 1)

    # The drill-down lists the records behind each figure.
    client = login(world.zhou_min)
    for code, expected in [("change_filings", first.get_kind_display()), ("archive_filings", str(filing))]:
        page = client.get(f"/grading/results/{result.pk}/records/{code}/").content.decode()
        assert expected in page
    page = client.get(f"/grading/results/{result.pk}/records/training/").content.decode()
    assert world.chen_jing.get_full_name() in page
    assert INDICATORS["training"].records is not None
