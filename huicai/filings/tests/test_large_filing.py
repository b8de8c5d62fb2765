"""A filing over HUICAI_FILING_INLINE_TALENTS talents is built by the task worker, with a progress bar on its
page; the worker records the version exactly as an inline filing would, once."""

import pytest

from huicai.filings import actions, jobs
from huicai.filings.choices import BuildStatus, FilingStatus
from huicai.filings.tests.conftest import APRIL_1, local, open_window
from huicai.testing import force_login

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def large(settings):
    settings.HUICAI_FILING_INLINE_TALENTS = 0  # every filing with a talent is "large"


def test_a_large_filing_is_queued_then_built_and_filed_by_the_worker(
    settings, large, tree, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    filing = open_window(tree.lanshan)

    with django_capture_on_commit_callbacks(execute=True):
        queued = actions.file_filing(filing, remarks="一季度。", by=tree.world.chen_jing, at=APRIL_1)
        assert (queued.status, queued.build_status) == (FilingStatus.DRAFT, BuildStatus.QUEUED)

    filing.refresh_from_db()
    assert (filing.status, filing.build_status, filing.current_number) == (
        FilingStatus.FILED,
        BuildStatus.IDLE,
        1,
    )
    version = filing.versions.get()
    assert version.filed_by == tree.world.chen_jing
    assert version.snapshot["remarks"] == "一季度。"
    assert filing.progress_done == filing.progress_total > 0


def test_the_page_shows_the_progress_while_the_worker_builds(client, settings, large, tree):
    settings.TASKS = DUMMY  # the queue holds it
    filing = actions.file_filing(open_window(tree.lanshan), by=tree.world.chen_jing, at=APRIL_1)
    force_login(client, tree.world.chen_jing)

    page = client.get(filing.get_absolute_url()).content.decode()
    progress = client.get(f"/filings/{filing.pk}/progress/").content.decode()

    assert "<progress" in page and "排队中" in page
    assert 'hx-trigger="every 1s"' in progress
    assert "锁定快照并报送" not in page  # no second filing while it builds


def test_filing_again_or_changing_the_remarks_while_it_builds_is_refused(settings, large, tree):
    settings.TASKS = DUMMY
    filing = actions.file_filing(open_window(tree.lanshan), by=tree.world.chen_jing, at=APRIL_1)

    with pytest.raises(actions.ActionRefused) as again:
        actions.file_filing(filing, by=tree.world.chen_jing, at=APRIL_1)
    with pytest.raises(actions.ActionRefused) as remarks:
        actions.save_remarks(filing, remarks="改", by=tree.world.chen_jing, at=APRIL_1)

    assert again.value.messages == remarks.value.messages == ["快照正在生成中，请稍候。"]


def test_a_build_is_done_once_however_often_it_runs(settings, large, tree):
    settings.TASKS = DUMMY
    filing = actions.file_filing(open_window(tree.lanshan), by=tree.world.chen_jing, at=APRIL_1)

    first = actions.build_queued_filing(filing.pk, at=APRIL_1)
    second = actions.build_queued_filing(filing.pk, at=APRIL_1)

    assert (first, second) == ("filed", "skipped")
    assert filing.versions.count() == 1


def test_the_sweep_builds_a_filing_whose_queue_job_never_ran(settings, large, tree):
    settings.TASKS = DUMMY
    filing = actions.file_filing(open_window(tree.lanshan), by=tree.world.chen_jing, at=APRIL_1)

    result = jobs.build_waiting_filings(at=local(2026, 4, 1, 11))

    assert result == {"built": 1}
    filing.refresh_from_db()
    assert filing.status == FilingStatus.FILED
