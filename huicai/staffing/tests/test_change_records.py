"""S19: every change of the registry becomes a change record, filed with the window within 7 working days."""

import datetime

import pytest
import time_machine

from huicai.commissioners.actions import end_post, transfer_post
from huicai.commissioners.models import Post
from huicai.core.transitions import InvalidTransition, NotAllowed, StaleVersion
from huicai.exchange.kinds import apply_import
from huicai.notifications.models import Notification
from huicai.schedule import get_job
from huicai.staffing import actions, selectors
from huicai.staffing.choices import CHANGE_DUE_SOON, CHANGE_FILED, CHANGE_OVERDUE, ChangeKind, ChangeStatus
from huicai.staffing.models import ChangeRecord
from huicai.staffing.tests.conftest import WEDNESDAY

THURSDAY = WEDNESDAY + datetime.timedelta(days=1)


def sweep(at):
    """The scheduler's own job, as ``run_scheduler`` runs it."""
    return get_job("staffing_record_post_changes").resolve()(at=at)


def remind(at):
    return get_job("staffing_remind_change_filings").resolve()(at=at)


def record_of(post):
    return ChangeRecord.objects.select_related("deadline").get(post=post)


def test_an_appointment_on_the_registry_page_becomes_a_change_record_due_in_7_working_days(world, login):
    client = login(world.chen_jing)
    with time_machine.travel(WEDNESDAY, tick=False):
        client.post(
            "/commissioners/new/",
            {"username": "zhao_min", "full_name": "赵敏", "kind": "unit", "employer": world.linyi_pharma.pk},
        )

    sweep(at=WEDNESDAY + datetime.timedelta(minutes=5))

    record = record_of(Post.objects.get(user__username="zhao_min"))
    assert (record.kind, record.status, record.window) == (
        ChangeKind.APPOINTMENT,
        ChangeStatus.PENDING,
        world.windows["兰山区"],
    )
    assert record.change_date == datetime.date(2026, 3, 4)
    # Wednesday 4 March is not counted; the 7th working day after it is Friday 13 March.
    assert record.due_date == datetime.date(2026, 3, 13)
    assert record.description == "赵敏 任临沂医药集团单位专员"


def test_an_imported_commissioner_becomes_a_change_record_too(world):
    row = {
        "账号": "ma_li",
        "姓名": "马丽",
        "专员类别": "单位专员",
        "所属单位": world.linyi_pharma.credit_code,
    }
    apply_import("commissioners", [row], user=world.chen_jing, at=WEDNESDAY)

    sweep(at=THURSDAY)

    record = record_of(Post.objects.get(user__username="ma_li"))
    assert (record.kind, record.change_date) == (ChangeKind.APPOINTMENT, datetime.date(2026, 3, 4))


def test_the_sweep_is_idempotent(world, ma_li_post):
    first = sweep(at=THURSDAY)
    second = sweep(at=THURSDAY)

    # The world's seven appointments and ma_li's.
    assert (first, second) == ({"recorded": 8}, {"recorded": 0})
    assert ChangeRecord.objects.filter(post=ma_li_post).count() == 1


def test_a_transfer_is_one_change_record_not_three(world, ma_li_post):
    sweep(at=WEDNESDAY)
    new_post = transfer_post(
        world.wang_fang_post,
        organisation=world.luozhuang_steel,
        successor=ma_li_post,
        by=world.zhou_min,
        at=THURSDAY,
    )

    sweep(at=THURSDAY)

    records = ChangeRecord.objects.filter(post__user=world.wang_fang).order_by("pk")
    assert [(r.post, r.kind) for r in records] == [
        (world.wang_fang_post, ChangeKind.APPOINTMENT),
        (world.wang_fang_post, ChangeKind.TRANSFER),
    ]
    assert records[1].description == "王芳 由临沂医药集团单位专员调任罗庄钢铁有限公司"
    assert not ChangeRecord.objects.filter(post=new_post).exists()


def test_a_departure_becomes_a_change_record(world, ma_li_post):
    end_post(ma_li_post, by=world.chen_jing, at=THURSDAY, reason="离职")

    sweep(at=THURSDAY)

    assert list(
        ChangeRecord.objects.filter(post=ma_li_post).values_list("kind", flat=True).order_by("pk")
    ) == [
        ChangeKind.APPOINTMENT,
        ChangeKind.DEPARTURE,
    ]


@pytest.fixture
def record(world, ma_li_post):
    sweep(at=WEDNESDAY)
    return record_of(ma_li_post)


def test_the_unit_files_the_change_and_the_window_is_told(world, record):
    record = actions.file_change(record, note="新增单位专员马丽", by=world.wang_fang, at=THURSDAY)

    assert (record.status, record.filed_by, record.filed_at, record.filed_on_time) == (
        ChangeStatus.FILED,
        world.wang_fang,
        THURSDAY,
        True,
    )
    assert not record.deadline.is_open
    assert Notification.objects.filter(recipient=world.chen_jing, kind=CHANGE_FILED).count() == 1
    assert record.events.last().action == "file"


def test_the_window_acknowledges_a_filed_change(world, record):
    record = actions.file_change(record, by=world.wang_fang, at=THURSDAY)

    record = actions.acknowledge_change(record, by=world.chen_jing, at=THURSDAY + datetime.timedelta(hours=1))

    assert (record.status, record.acknowledged_by, record.filed_by) == (
        ChangeStatus.ACKNOWLEDGED,
        world.chen_jing,
        world.wang_fang,
    )


def test_acknowledging_a_pending_change_files_it_at_that_moment(world, record):
    late = datetime.datetime(2026, 3, 16, 2, 0, tzinfo=datetime.UTC)

    record = actions.acknowledge_change(record, by=world.chen_jing, at=late)

    assert (record.status, record.filed_by, record.filed_at) == (
        ChangeStatus.ACKNOWLEDGED,
        world.chen_jing,
        late,
    )
    assert record.filed_on_time is False


def test_acknowledging_twice_is_refused(world, record):
    actions.acknowledge_change(record, by=world.chen_jing, at=THURSDAY)

    with pytest.raises(InvalidTransition) as error:
        actions.acknowledge_change(record, by=world.chen_jing, at=THURSDAY)

    assert error.value.messages == ["该变更已经备案。"]


def test_another_countys_window_cannot_acknowledge(world, record):
    with pytest.raises(NotAllowed):
        actions.acknowledge_change(record, by=world.sun_lei, at=THURSDAY)

    assert record_of(record.post).status == ChangeStatus.PENDING


def test_another_employers_commissioner_cannot_file(world, record):
    with pytest.raises(NotAllowed):
        actions.file_change(record, by=world.qian_hui, at=THURSDAY)


def test_filing_a_filed_change_again_is_refused(world, record):
    actions.file_change(record, by=world.wang_fang, at=THURSDAY)

    with pytest.raises(InvalidTransition) as error:
        actions.file_change(record, by=world.wang_fang, at=THURSDAY)

    assert error.value.messages == ["该变更已报备，不能重复报备。"]


def test_acting_on_a_stale_copy_is_refused(world, record):
    seen = record.version
    actions.file_change(record, by=world.wang_fang, at=THURSDAY)

    with pytest.raises(StaleVersion):
        actions.acknowledge_change(record, by=world.chen_jing, at=THURSDAY, expected_version=seen)


def test_a_change_of_contact_is_filed_by_the_unit_directly(world):
    record = actions.file_contact_change(
        world.wang_fang_post,
        description="王芳办公电话改为 0539-8888888",
        change_date=datetime.date(2026, 3, 3),
        by=world.wang_fang,
        at=WEDNESDAY,
    )

    assert (record.kind, record.status, record.filed_on_time, record.window) == (
        ChangeKind.CONTACT,
        ChangeStatus.FILED,
        True,
        world.windows["兰山区"],
    )


def test_a_change_of_contact_needs_its_text_and_a_past_date(world):
    with pytest.raises(actions.ActionRefused) as error:
        actions.file_contact_change(
            world.wang_fang_post,
            description=" ",
            change_date=datetime.date(2026, 3, 3),
            by=world.wang_fang,
            at=WEDNESDAY,
        )
    assert error.value.messages == ["请填写变更内容。"]

    with pytest.raises(actions.ActionRefused) as error:
        actions.file_contact_change(
            world.wang_fang_post,
            description="新电话",
            change_date=datetime.date(2026, 3, 9),
            by=world.wang_fang,
            at=WEDNESDAY,
        )
    assert error.value.messages == ["变更日期不能晚于今天。"]
    assert not ChangeRecord.objects.exists()


def test_the_unit_is_reminded_once_two_working_days_before_and_flagged_once_after(world, record):
    eleventh = datetime.datetime(2026, 3, 11, 0, 50, tzinfo=datetime.UTC)  # Wednesday, 8:50 in Linyi
    sixteenth = datetime.datetime(2026, 3, 16, 0, 50, tzinfo=datetime.UTC)  # Monday after the due Friday

    assert remind(at=eleventh)["reminded"] >= 1
    assert remind(at=eleventh)["reminded"] == 0
    assert remind(at=sixteenth)["flagged"] >= 1
    assert remind(at=sixteenth)["flagged"] == 0

    record = record_of(record.post)
    assert (record.reminded_at, record.overdue_flagged_at) == (eleventh, sixteenth)
    assert Notification.objects.filter(recipient=world.wang_fang, kind=CHANGE_DUE_SOON).count() >= 1
    assert Notification.objects.filter(recipient=world.chen_jing, kind=CHANGE_OVERDUE).count() >= 1
    assert record.is_overdue_on(datetime.date(2026, 3, 16))


def test_change_filing_timeliness_counts_the_records_due_in_the_period(world, record):
    actions.file_change(record, by=world.wang_fang, at=THURSDAY)

    on_time, due = selectors.change_filing_timeliness(
        window=world.windows["兰山区"], start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31)
    )

    # The 兰山区 registry's world appointments (wang_fang, chen_jing), never filed, and ma_li's, filed on time.
    assert (on_time, due) == (1, 3)
