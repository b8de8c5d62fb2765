"""W15: the outbox goes to the province in signed batches, retried with backoff on failure; the cursor
moves only when the province says it got a batch, and nothing is sent twice. Against a stub province on
127.0.0.1 started by the test: never a real network."""

import datetime
import json

import pytest
from django.db import IntegrityError

from huicai.provsync import actions
from huicai.provsync.choices import BatchStatus
from huicai.provsync.jobs import SCHEDULE, sync_with_province
from huicai.provsync.models import ProvincialBatch, ProvincialChange
from huicai.provsync.tests.conftest import StubProvince
from huicai.schedule import all_jobs
from huicai.talents.models import Talent

MINUTE = datetime.timedelta(minutes=1)


def test_the_job_is_on_the_projects_schedule():
    assert SCHEDULE[0].function is sync_with_province
    assert any(job.function is sync_with_province for job in all_jobs())


def test_a_run_sends_every_change_in_one_signed_batch_the_province_verifies(world, province):
    result = sync_with_province(at=world.at)

    assert result == {"captured": 3, "queued": 1, "sent": 1, "failed": 0}
    [request] = province.requests
    assert request["verified"]
    seqs = list(ProvincialChange.objects.values_list("pk", flat=True))
    assert request["headers"]["webhook-id"] == f"huicai-province-0-{seqs[-1]}"
    payload = json.loads(request["body"])
    assert (payload["after"], payload["last"]) == (0, seqs[-1])
    assert [change["seq"] for change in payload["changes"]] == seqs
    # The province gets the full ID number: it matches its records by it.
    assert world.li_ming.id_number in request["body"].decode()
    assert ProvincialBatch.objects.cursor() == ProvincialChange.objects.latest("pk").pk


def test_a_request_signed_with_another_secret_is_refused_by_the_province_and_nothing_advances(
    world, settings
):
    with StubProvince(secret="the-province-s-real-secret") as stub:
        settings.HUICAI_PROVINCE_SYNC_URL = stub.url
        settings.HUICAI_PROVINCE_SYNC_SECRET = "a-wrong-secret"

        sync_with_province(at=world.at)

    assert not stub.requests[0]["verified"]
    assert ProvincialBatch.objects.cursor() == 0
    assert ProvincialBatch.objects.get().last_error == "省级人才系统返回 HTTP 401。"


def test_a_5xx_is_retried_after_the_backoff_and_the_cursor_waits_for_success(world, province):
    province.statuses = [503, 502, 200]

    sync_with_province(at=world.at)
    batch = ProvincialBatch.objects.get()
    assert (batch.status, batch.attempts, batch.next_attempt_at) == (
        BatchStatus.PENDING,
        1,
        world.at + MINUTE,
    )
    assert ProvincialBatch.objects.cursor() == 0

    sync_with_province(at=world.at + MINUTE // 2)  # not due yet: nothing sent
    assert len(province.requests) == 1

    sync_with_province(at=world.at + MINUTE)
    batch.refresh_from_db()
    assert (batch.attempts, batch.next_attempt_at) == (2, world.at + 6 * MINUTE)

    sync_with_province(at=world.at + 6 * MINUTE)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SENT and batch.sent_at == world.at + 6 * MINUTE
    assert ProvincialBatch.objects.cursor() == batch.last_change_id
    # The same message each time: same id, same body, so the province can drop a duplicate.
    assert len({r["headers"]["webhook-id"] for r in province.requests}) == 1
    assert len({r["body"] for r in province.requests}) == 1
    assert [a.status_code for a in batch.attempt_rows.all()] == [503, 502, 200]


def test_nothing_is_sent_twice_and_the_next_batch_starts_after_the_cursor(world, province):
    sync_with_province(at=world.at)
    sync_with_province(at=world.at + MINUTE)
    assert len(province.requests) == 1

    Talent.objects.filter(pk=world.liu_yang.pk).update(name="刘阳")
    sync_with_province(at=world.at + 2 * MINUTE)

    assert len(province.requests) == 2
    second = json.loads(province.requests[1]["body"])
    first = json.loads(province.requests[0]["body"])
    assert second["after"] == first["last"] and [c["row"]["姓名"] for c in second["changes"]] == ["刘阳"]
    assert second["changes"][0]["changed"] == ["姓名"]


def test_a_backlog_drains_in_batches_of_the_configured_size_in_order(world, province, settings):
    settings.HUICAI_PROVINCE_SYNC_BATCH_SIZE = 2

    sync_with_province(at=world.at)

    ranges = [(json.loads(r["body"])["after"], json.loads(r["body"])["last"]) for r in province.requests]
    first, second, third = ProvincialChange.objects.values_list("pk", flat=True)
    assert ranges == [(0, second), (second, third)]


def test_after_the_last_retry_the_batch_is_given_up_until_a_window_resends_it(world, province):
    province.statuses = [500]
    at = world.at
    sync_with_province(at=at)
    for delay in actions.RETRY_DELAYS:
        at += delay
        sync_with_province(at=at)
    batch = ProvincialBatch.objects.get()
    assert (batch.status, batch.attempts) == (BatchStatus.FAILED, actions.ATTEMPTS_PER_ROUND)
    sync_with_province(at=at + datetime.timedelta(days=1))
    assert len(province.requests) == actions.ATTEMPTS_PER_ROUND

    province.statuses = [200]
    actions.resend_batch(batch, by=world.zhou_min, at=at + datetime.timedelta(days=1))
    sync_with_province(at=at + datetime.timedelta(days=1))

    batch.refresh_from_db()
    assert batch.status == BatchStatus.SENT
    assert ProvincialBatch.objects.cursor() == batch.last_change_id


def test_only_a_failed_batch_can_be_resent(world, province):
    province.statuses = [500]
    sync_with_province(at=world.at)
    batch = ProvincialBatch.objects.get()

    with pytest.raises(actions.SyncError) as refused:
        actions.resend_batch(batch, by=world.zhou_min, at=world.at)

    assert refused.value.messages == ["只有发送失败的批次可以重新发送。"]


def test_a_batch_claimed_by_one_sender_is_not_sent_by_another(world, province):
    actions.capture_changes(at=world.at)
    batch = actions.queue_batch(at=world.at)
    ProvincialBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.SENDING, next_attempt_at=world.at + 10 * MINUTE
    )

    assert actions.send_batch(batch.pk, at=world.at) is None
    assert province.requests == []


def test_the_database_keeps_one_batch_open_at_a_time(world):
    actions.capture_changes(at=world.at)
    actions.queue_batch(at=world.at)

    assert actions.queue_batch(at=world.at) is None
    with pytest.raises(IntegrityError):
        ProvincialBatch.objects.create(
            after_change_id=0, last_change_id=1, count=1, webhook_id="another", created_at=world.at
        )


def test_without_an_address_the_outbox_fills_and_nothing_is_sent(world, settings):
    settings.HUICAI_PROVINCE_SYNC_URL = ""

    result = sync_with_province(at=world.at)

    assert result == {"captured": 3, "queued": 0, "sent": 0, "failed": 0}
    assert not ProvincialBatch.objects.exists()


def test_a_plain_http_address_off_the_loopback_is_given_up_at_once(world, settings):
    settings.HUICAI_PROVINCE_SYNC_URL = "http://province.example.cn/sync"
    settings.HUICAI_PROVINCE_SYNC_SECRET = "secret"

    sync_with_province(at=world.at)

    batch = ProvincialBatch.objects.get()
    assert (batch.status, batch.attempts, batch.last_error) == (
        BatchStatus.FAILED,
        1,
        "接收地址必须使用 https。",
    )
    assert ProvincialBatch.objects.cursor() == 0
