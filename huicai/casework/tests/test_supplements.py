"""一次性告知, then 补正后提交 (W13): the materials notice is supplied item by item, by upload or by a
recorded in-person handover; a resubmission with an item missing is refused naming it; after an early
resubmission the unit commissioner may still upload, and the department is told. A document several items
need (the ID card) is uploaded once per application."""

import pytest

from huicai.casework import actions
from huicai.casework.choices import CaseAction, TaskStatus
from huicai.casework.models import Material
from huicai.casework.tests.conftest import later, pdf, prepare
from huicai.notifications.models import Notification

NOTICE = [{"key": "M02", "name": "补充说明"}, {"key": "", "name": "无犯罪记录证明", "note": "近三个月内开具"}]


@pytest.fixture
def waiting(case):
    """Li Ming's 落户 task at 市公安局, waiting for two materials named at once."""
    world = case.world
    application = actions.submit_application(prepare(case, [case.hukou]), by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    notice = actions.request_materials(task, items=NOTICE, note="请一并补正", by=case.police, at=world.at)
    return task, notice


def test_the_notice_is_a_record_whose_items_are_addressed_by_their_place(waiting):
    _task, notice = waiting

    rows = notice.rows()

    assert [(r["ref"], r["upload_key"], r["name"]) for r in rows] == [
        ("R1", "M02", "补充说明"),
        ("R2", "R2", "无犯罪记录证明"),
    ]
    assert rows[1]["note"] == "近三个月内开具"


def test_resubmitting_with_an_item_missing_is_refused_naming_it_and_changes_nothing(case, waiting):
    world = case.world
    task, notice = waiting
    line = task.items.get()
    actions.upload_material(line, key="M02", file=pdf(), by=world.wang_fang, at=world.at, request=notice)
    events = task.events.count()

    with pytest.raises(actions.CaseworkError) as error:
        actions.resubmit_task(task, by=world.wang_fang, at=later(world, hours=1))

    assert error.value.messages == [
        "以下补正材料尚未上传：无犯罪记录证明。已当面递交的，请勾选“已当面递交”并说明。"
    ]
    task.refresh_from_db()
    notice.refresh_from_db()
    assert task.status == TaskStatus.MATERIALS_REQUESTED
    assert notice.fulfilled_at is None
    assert task.events.count() == events


def test_an_item_handed_over_in_person_counts_and_is_recorded_in_the_event(case, waiting):
    world = case.world
    task, notice = waiting
    line = task.items.get()
    actions.upload_material(line, key="M02", file=pdf(), by=world.wang_fang, at=world.at, request=notice)

    actions.resubmit_task(
        task,
        handovers={"R2": "原件于3月3日交市公安局户政窗口赵强"},
        by=world.wang_fang,
        at=later(world, hours=1),
    )

    task.refresh_from_db()
    notice.refresh_from_db()
    assert task.status == TaskStatus.PENDING
    assert (notice.fulfilled_at, notice.fulfilled_by) == (later(world, hours=1), world.wang_fang)
    assert notice.handovers == [{"ref": "R2", "note": "原件于3月3日交市公安局户政窗口赵强"}]
    event = task.events.get(action=CaseAction.RESUBMIT)
    assert event.data == {
        "request": notice.pk,
        "uploaded": ["R1"],
        "handed_over": [
            {"ref": "R2", "name": "无犯罪记录证明", "note": "原件于3月3日交市公安局户政窗口赵强"}
        ],
    }
    told = Notification.objects.get(recipient=case.police, kind="task_resubmitted")
    assert "当面递交：无犯罪记录证明" in told.body


@pytest.mark.parametrize(
    "handovers, message",
    [
        ({"R2": "  "}, "请说明“无犯罪记录证明”当面递交的情况（交给谁、何时）。"),
        ({"R9": "交了"}, "补正通知中没有这些材料：R9。"),
    ],
)
def test_a_handover_needs_a_note_and_a_real_item(case, waiting, handovers, message):
    world = case.world
    task, notice = waiting
    line = task.items.get()
    actions.upload_material(line, key="M02", file=pdf(), by=world.wang_fang, at=world.at, request=notice)

    with pytest.raises(actions.CaseworkError) as error:
        actions.resubmit_task(task, handovers=handovers, by=world.wang_fang, at=world.at)

    assert error.value.messages == [message]
    task.refresh_from_db()
    assert task.status == TaskStatus.MATERIALS_REQUESTED


def test_after_an_early_resubmission_a_late_upload_attaches_to_the_notice_and_tells_the_department(
    case, waiting
):
    world = case.world
    task, notice = waiting
    line = task.items.get()
    actions.resubmit_task(
        task, handovers={"R1": "口头说明", "R2": "稍后补交"}, by=world.wang_fang, at=world.at
    )

    material = actions.upload_material(
        line,
        key="R2",
        file=pdf("无犯罪记录证明.pdf"),
        by=world.wang_fang,
        at=later(world, hours=2),
        request=notice,
    )

    assert (material.request, material.name) == (notice, "无犯罪记录证明")
    event = task.events.filter(action=CaseAction.UPLOAD).last()
    assert event.data["late"] is True
    told = Notification.objects.get(recipient=case.police, kind="materials_added")
    assert told.body == "无犯罪记录证明"


def test_a_late_upload_after_completion_is_refused(case, waiting):
    world = case.world
    task, notice = waiting
    line = task.items.get()
    actions.resubmit_task(task, handovers={"R1": "口头", "R2": "纸质"}, by=world.wang_fang, at=world.at)
    actions.accept_task(task, by=case.police, at=later(world, hours=1))
    actions.complete_task(task, result="handled", by=case.police, at=later(world, hours=2))

    with pytest.raises(actions.InvalidTransition) as error:
        actions.upload_material(
            line, key="R2", file=pdf(), by=world.wang_fang, at=later(world, hours=3), request=notice
        )

    assert error.value.messages == ["任务已已办结，不能再按该补正通知补交材料。"]
    assert not notice.materials.exists()


def test_the_unit_commissioner_uploads_and_resubmits_on_the_task_page(case, waiting, login):
    world = case.world
    task, notice = waiting
    client = login(world.wang_fang)

    page = client.get(f"/cases/tasks/{task.pk}/").content.decode()
    uploaded = client.post(
        f"/cases/tasks/{task.pk}/materials/", {"request": notice.pk, "key": "M02", "file": pdf("说明.pdf")}
    )
    task.refresh_from_db()
    refused = client.post(f"/cases/tasks/{task.pk}/resubmit/", {"resubmit-version": task.version})
    resubmitted = client.post(
        f"/cases/tasks/{task.pk}/resubmit/",
        {
            "resubmit-version": task.version,
            "resubmit-handover-R2": "on",
            "resubmit-handover-note-R2": "原件交部门核验",
        },
    )

    assert 'id="supplement"' in page and "无犯罪记录证明" in page and "近三个月内开具" in page
    assert 'id="step-resubmit"' in page and "“无犯罪记录证明”已当面递交" in page
    assert uploaded.status_code == 302
    assert notice.materials.get().original_name == "说明.pdf"
    assert refused.status_code == 400
    assert "以下补正材料尚未上传：无犯罪记录证明" in refused.content.decode()
    assert resubmitted.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING


def test_a_handover_ticked_without_a_note_is_a_form_error(case, waiting, login):
    world = case.world
    task, _notice = waiting
    client = login(world.wang_fang)

    response = client.post(
        f"/cases/tasks/{task.pk}/resubmit/",
        {"resubmit-version": task.version, "resubmit-handover-R1": "on", "resubmit-handover-R2": "on"},
    )

    assert response.status_code == 400
    assert "请说明“补充说明”当面递交的情况" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.MATERIALS_REQUESTED


@pytest.mark.parametrize(
    "data",
    [
        {"request": "abc", "key": "M02"},
        {"request": "999999", "key": "M02"},
    ],
)
def test_an_upload_against_a_notice_of_another_task_is_a_404(case, waiting, login, data):
    world = case.world
    task, _notice = waiting

    response = login(world.wang_fang).post(f"/cases/tasks/{task.pk}/materials/", {**data, "file": pdf()})

    assert response.status_code == 404
    assert not Material.objects.filter(request__isnull=False).exists()


def test_an_upload_for_an_item_not_in_the_notice_is_refused_with_a_message(case, waiting, login):
    world = case.world
    task, notice = waiting

    response = login(world.wang_fang).post(
        f"/cases/tasks/{task.pk}/materials/", {"request": notice.pk, "key": "M01", "file": pdf()}, follow=True
    )

    assert "补正通知中没有这项材料" in response.content.decode()
    assert not notice.materials.exists()


def test_the_department_may_not_upload_for_the_unit(case, waiting, login):
    task, notice = waiting

    response = login(case.police).post(
        f"/cases/tasks/{task.pk}/materials/", {"request": notice.pk, "key": "M02", "file": pdf()}
    )

    assert response.status_code == 403
    assert not notice.materials.exists()


def test_the_id_card_is_uploaded_once_and_counts_for_every_item_that_asks_for_it(case):
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou, case.housing, case.school], by=world.wang_fang, at=world.at
    )
    first = application.items.order_by("id").first()

    actions.upload_material(first, key="M01", file=pdf("身份证.pdf"), by=world.wang_fang, at=world.at)

    rows = Material.objects.filter(application=application, name="居民身份证")
    assert rows.count() == 3
    assert {row.application_item_id for row in rows} == set(application.items.values_list("pk", flat=True))
    assert len({row.file.name for row in rows}) == 1  # one stored file
    assert actions.missing_materials(application) == []
    event = application.events.get(action=CaseAction.UPLOAD)
    assert len(event.data["shared_with_items"]) == 2


def test_a_second_copy_uploaded_for_one_item_is_not_spread_to_items_that_have_one(case):
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou, case.housing], by=world.wang_fang, at=world.at
    )
    first, second = application.items.order_by("id")
    actions.upload_material(first, key="M01", file=pdf("公安身份证.pdf"), by=world.wang_fang, at=world.at)

    actions.upload_material(second, key="M01", file=pdf("住建身份证.pdf"), by=world.wang_fang, at=world.at)

    assert list(first.materials.values_list("original_name", flat=True)) == ["公安身份证.pdf"]
    assert sorted(second.materials.values_list("original_name", flat=True)) == [
        "住建身份证.pdf",
        "公安身份证.pdf",
    ]
