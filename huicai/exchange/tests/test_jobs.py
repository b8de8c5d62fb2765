"""Batches whose queue job never ran are picked up by the scheduler's sweep."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huicai.exchange import actions, files
from huicai.exchange.choices import BatchStatus
from huicai.exchange.jobs import run_waiting_imports
from huicai.exchange.kinds import KINDS


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def uploaded_batch(world, rows):
    upload = SimpleUploadedFile("t.xlsx", files.write_xlsx(KINDS["talents"], rows))
    return actions.create_batch(kind="talents", uploaded=upload, by=world.chen_jing, at=world.at)


def test_a_batch_the_queue_never_ran_is_planned_and_a_confirmed_one_written(world, talent_row):
    waiting = uploaded_batch(world, [talent_row(1)])
    confirmed = actions.plan_batch(uploaded_batch(world, [talent_row(2)]).pk, at=world.at)
    actions.confirm_batch(confirmed, skip_errors=False, by=world.chen_jing, at=world.at)

    outcome = run_waiting_imports(at=world.at + datetime.timedelta(minutes=6))

    waiting.refresh_from_db()
    confirmed.refresh_from_db()
    assert outcome == {"planned": 1, "written": 1}
    assert (waiting.status, confirmed.status) == (BatchStatus.PLANNED, BatchStatus.DONE)


def test_a_fresh_batch_is_left_to_the_worker(world, talent_row):
    uploaded_batch(world, [talent_row(1)])

    assert run_waiting_imports(at=world.at + datetime.timedelta(minutes=1)) == {"planned": 0, "written": 0}


def test_the_sweep_is_in_the_projects_schedule():
    from huicai.schedule import all_jobs

    assert "run_waiting_imports" in {job.name for job in all_jobs()}
