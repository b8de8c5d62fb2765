"""S19 (issue #15): a change of contact made in the registry, by an import or on the registry page, becomes a
change record through the sweep, exactly once, as appointments and departures do."""

import datetime
import io

import time_machine

from huicai.commissioners.choices import PostEventKind
from huicai.exchange.files import read_rows, write_xlsx
from huicai.exchange.kinds import apply_import, export_rows, get_kind
from huicai.schedule import get_job
from huicai.staffing import actions
from huicai.staffing.choices import ChangeKind, ChangeStatus
from huicai.staffing.models import ChangeRecord
from huicai.staffing.tests.conftest import WEDNESDAY

THURSDAY = WEDNESDAY + datetime.timedelta(days=1)


def sweep(at):
    """The scheduler's own job, as ``run_scheduler`` runs it."""
    return get_job("staffing_record_post_changes").resolve()(at=at)


def contact_records(post):
    return list(ChangeRecord.objects.filter(post=post, kind=ChangeKind.CONTACT).order_by("pk"))


def registry_file_with_new_office_phone(world, phone):
    """The 兰山区 window's commissioner export with 王芳's office phone changed, as the .xlsx it uploads."""
    rows = list(export_rows("commissioners", world.chen_jing, reveal=True, at=world.at))
    for row in rows:
        if row["账号"] == "wang_fang":
            row["办公电话"] = phone
    return write_xlsx(get_kind("commissioners"), rows)


def import_file(content, world, at):
    rows = [row for _, row in read_rows(io.BytesIO(content), "xlsx")]
    return apply_import("commissioners", rows, user=world.chen_jing, at=at)


def test_an_import_that_changes_an_office_phone_makes_one_change_record_and_its_reimport_none(world):
    sweep(at=WEDNESDAY)  # the world's appointments
    content = registry_file_with_new_office_phone(world, "0539-8123456")

    plan = import_file(content, world, at=WEDNESDAY)
    sweep(at=WEDNESDAY + datetime.timedelta(minutes=5))

    assert plan.counts["update"] == 1
    [record] = contact_records(world.wang_fang_post)
    assert (record.status, record.change_date, record.window) == (
        ChangeStatus.PENDING,
        datetime.date(2026, 3, 4),
        world.windows["兰山区"],
    )
    # Wednesday 4 March is not counted; the 7th working day after it is Friday 13 March.
    assert record.due_date == datetime.date(2026, 3, 13)
    # The number is masked in what is shown: the description and the registry's history.
    assert record.description == "王芳（临沂医药集团单位专员）批量导入：办公电话：— → 053*****3456"
    assert "8123456" not in record.post_event.note
    assert record.post_event.data == {"changes": {"office_phone": {"old": "", "new": "0539-8123456"}}}

    again = import_file(content, world, at=THURSDAY)
    assert sweep(at=THURSDAY) == {"recorded": 0}

    assert again.counts["update"] == 0
    assert contact_records(world.wang_fang_post) == [record]
    assert not world.wang_fang_post.events.filter(kind=PostEventKind.CONTACT_CHANGED, at=THURSDAY).exists()


def test_a_correction_on_the_registry_page_makes_one_change_record(world, login):
    client = login(world.chen_jing)
    with time_machine.travel(WEDNESDAY, tick=False):
        response = client.post(
            f"/commissioners/{world.wang_fang_post.pk}/contact/",
            {
                "position": "人事科长",
                "office_phone": "0539-8123456",
                "is_full_time": "on",
                "seen_position": "",
                "seen_office_phone": "",
                "seen_is_full_time": "True",
            },
        )

    first = sweep(at=WEDNESDAY + datetime.timedelta(minutes=5))
    second = sweep(at=WEDNESDAY + datetime.timedelta(minutes=10))

    assert response.status_code == 302
    world.wang_fang_post.refresh_from_db()
    assert (world.wang_fang_post.position, world.wang_fang_post.office_phone) == ("人事科长", "0539-8123456")
    [record] = contact_records(world.wang_fang_post)
    assert record.description == "王芳（临沂医药集团单位专员）职务：— → 人事科长；办公电话：— → 053*****3456"
    assert record.post_event.by == world.chen_jing
    assert second == {"recorded": 0} and first["recorded"] >= 1


def test_the_registrys_event_joins_the_units_own_filing_of_the_same_change(world):
    """One change, one record: the unit filed the new number by hand, then the window corrected the registry
    the same day; the sweep attaches the event to the filed record instead of opening a pending duplicate
    that would count as late."""
    from huicai.commissioners.actions import change_post_contact

    filed = actions.file_contact_change(
        world.wang_fang_post,
        description="王芳办公电话改为 0539-8123456",
        change_date=datetime.date(2026, 3, 4),
        by=world.wang_fang,
        at=WEDNESDAY,
    )
    change_post_contact(world.wang_fang_post, office_phone="0539-8123456", by=world.chen_jing, at=WEDNESDAY)

    sweep(at=THURSDAY)

    [record] = contact_records(world.wang_fang_post)
    assert record.pk == filed.pk
    assert (record.status, record.filed_on_time) == (ChangeStatus.FILED, True)
    assert record.post_event.kind == PostEventKind.CONTACT_CHANGED
    assert record.version == filed.version + 1


def test_the_unit_cannot_file_by_hand_a_change_the_registry_already_recorded(world):
    from huicai.commissioners.actions import change_post_contact

    change_post_contact(world.wang_fang_post, office_phone="0539-8123456", by=world.chen_jing, at=WEDNESDAY)
    sweep(at=WEDNESDAY)

    try:
        actions.file_contact_change(
            world.wang_fang_post,
            description="王芳办公电话改为 0539-8123456",
            change_date=datetime.date(2026, 3, 4),
            by=world.wang_fang,
            at=THURSDAY,
        )
    except actions.ActionRefused as error:
        assert "已由专员登记册记录" in error.messages[0]
    else:
        raise AssertionError("the duplicate filing was accepted")
    assert len(contact_records(world.wang_fang_post)) == 1
