"""The demo: last year graded for every demo window, one 不达标 with its 约谈, an issued report; the
current quarter previewed; loading twice adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from huicai.grading import demo
from huicai.grading.choices import Grade, InterviewStatus, PeriodKind, ReportStatus
from huicai.grading.models import Evaluation, Interview, Report, WindowResult
from huicai.testing import kept_for_the_module


@pytest.fixture(scope="module")
def loaded_for_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    with kept_for_the_module(django_db_blocker, MEDIA_ROOT=tmp_path_factory.mktemp("uploads")):
        call_command("load_demo", "--allow-demo-accounts", verbosity=0)
        yield timezone.now()


@pytest.fixture
def loaded(loaded_for_the_module, db):
    return loaded_for_the_module


def test_last_year_is_graded_with_one_failing_window_and_its_interview(loaded):
    evaluation = Evaluation.objects.get(kind=PeriodKind.YEAR, year=loaded.year - 1)

    assert evaluation.is_published
    grades = dict(WindowResult.objects.filter(evaluation=evaluation).values_list("window__name", "grade"))
    # Computed from last year's records: on time and rated well, partly late, late and rated badly.
    assert grades["兰山区高层次人才服务窗口"] == Grade.EXCELLENT
    assert grades["河东区高层次人才服务窗口"] == Grade.GOOD
    assert grades["罗庄区高层次人才服务窗口"] == Grade.FAIL
    assert not WindowResult.objects.filter(evaluation=evaluation, adjusted_score__isnull=False).exists()
    interview = Interview.objects.get()
    assert (interview.window.name, interview.status, interview.responsible_name) == (
        "罗庄区高层次人才服务窗口",
        InterviewStatus.OPEN,
        "郑华",
    )
    assert Report.objects.get().status == ReportStatus.ISSUED
    assert Evaluation.objects.filter(kind=PeriodKind.QUARTER, year=loaded.year).exists()


def test_computing_the_demo_quarter_is_fast_enough_inline(loaded):
    preview = Evaluation.objects.get(kind=PeriodKind.QUARTER, year=loaded.year)

    # Measured on the demo (17 windows, about 200 talents): well under a second, so no task queue.
    assert preview.compute_seconds < 5


def test_loading_twice_adds_nothing(loaded):
    before = (Evaluation.objects.count(), Interview.objects.count(), Report.objects.count())

    demo.load_demo(at=loaded)

    assert (Evaluation.objects.count(), Interview.objects.count(), Report.objects.count()) == before
