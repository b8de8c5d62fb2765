"""An import in a real browser: the window uploads a talents file, watches the progress bar until the dry
run's verdict appears, confirms, and watches the write finish.

The worker is the test itself here: the queue is the dummy backend, and the test runs the task's action
(``plan_batch``, ``write_batch``) while the page's clock is stopped, then lets the clock run so that the
page's HTMX poll fetches the new state. Nothing else touches the database while the test writes (on
SQLite the live server shares the test's connection), and what is tested is the page's own polling.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from huicai.exchange import actions, files
from huicai.exchange.kinds import KINDS
from huicai.exchange.models import ImportBatch
from huicai.talents.models import Talent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def queue_and_media(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_window_imports_talents_watching_the_progress_bar(
    world, sign_in, live_server, talent_row, tmp_path
):
    upload = tmp_path / "兰山区人才.xlsx"
    upload.write_bytes(
        files.write_xlsx(KINDS["talents"], [talent_row(1), talent_row(2, 单位专员账号="wang_fang")])
    )
    page = sign_in(world.chen_jing)
    page.clock.install()
    page.goto(f"{live_server.url}/exchange/")

    page.select_option("#id_kind", "talents")
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="上传并预检").click()

    expect(page.locator("[data-status]")).to_have_text("已上传")
    expect(page.locator("progress")).to_be_visible()
    page.wait_for_load_state("networkidle")
    batch = ImportBatch.objects.get()
    actions.plan_batch(batch.pk, at=timezone.now())
    page.clock.run_for(1500)

    expect(page.locator("[data-status]")).to_have_text("待确认")
    expect(page.locator("[data-count=create] b")).to_have_text("2")
    assert not Talent.objects.with_id_number(talent_row(1)["公民身份号码"]).exists()

    page.get_by_role("button", name="确认导入").click()

    expect(page.locator("[data-status]")).to_have_text("已确认")
    expect(page.locator("progress")).to_be_visible()
    page.wait_for_load_state("networkidle")
    actions.write_batch(batch.pk, at=timezone.now())
    page.clock.run_for(1500)

    expect(page.locator("[data-status]")).to_have_text("已完成")
    assert Talent.objects.with_id_number(talent_row(2)["公民身份号码"]).get().unit_assignments.open().exists()
