"""The minimal pages walk the flow in the browser's way: forms, redirects, errors next to the form."""

import pytest

from huicai.casework import actions
from huicai.casework.choices import ApplicationStatus, TaskStatus
from huicai.casework.models import Application
from huicai.casework.tests.conftest import PNG, pdf, prepare
from huicai.core.models import AuditEvent


def test_a_unit_commissioner_creates_uploads_consents_and_submits_through_the_pages(case, login):
    world = case.world
    client = login(world.wang_fang)

    created = client.post(
        "/cases/applications/new/",
        {"talent": world.li_ming.pk, "items": [case.hukou.pk, case.housing.pk], "note": "安家"},
    )
    application = Application.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/cases/applications/{application.pk}/"
    for line in application.items.all():
        for spec in line.materials_required:
            client.post(
                f"/cases/applications/{application.pk}/upload/",
                {"line": line.pk, "key": spec["key"], "file": pdf()},
            )
    application.refresh_from_db()
    client.post(
        f"/cases/applications/{application.pk}/consent/",
        {"consent-method": "signed", "consent-version": application.version},
    )
    application.refresh_from_db()
    submitted = client.post(f"/cases/applications/{application.pk}/submit/", {"version": application.version})

    application.refresh_from_db()
    assert submitted.status_code == 302
    assert application.status == ApplicationStatus.SUBMITTED
    page = client.get(f"/cases/applications/{application.pk}/").content.decode()
    assert "待窗口梳理" in page and "提交申办" in page


def test_the_window_splits_with_the_suggested_routing_prefilled(case, login):
    world = case.world
    application = prepare(case, [case.hukou, case.housing])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    client = login(world.chen_jing)

    page = client.get(f"/cases/applications/{application.pk}/").content.decode()
    lines = list(application.items.select_related("service_item"))
    data = {f"route-{line.pk}": line.service_item.department_id for line in lines}
    application.refresh_from_db()
    response = client.post(
        f"/cases/applications/{application.pk}/split/", {**data, "version": application.version}
    )

    assert "梳理分办" in page
    for line in lines:
        assert f'<option value="{line.service_item.department_id}" selected>' in page
    assert response.status_code == 302
    assert application.tasks.count() == 2


def test_a_department_accepts_and_completes_through_the_task_page(case, login):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    client = login(case.police)

    page = client.get(f"/cases/tasks/{task.pk}/").content.decode()
    client.post(f"/cases/tasks/{task.pk}/accept/", {"accept-version": task.version})
    task.refresh_from_db()
    done = client.post(
        f"/cases/tasks/{task.pk}/complete/",
        {"complete-version": task.version, "complete-result": "handled", "complete-note": "已办"},
    )

    assert (
        "受理" in page
        and "一次性告知补正材料" in page
        and "办结" not in page.split("办理记录")[0].split("受理")[-1][:0]
    )
    task.refresh_from_db()
    assert done.status_code == 302
    assert task.status == TaskStatus.COMPLETED


def test_a_form_error_is_shown_next_to_the_form_and_changes_nothing(case, login):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    client = login(case.police)

    response = client.post(
        f"/cases/tasks/{task.pk}/return/", {"return-version": task.version, "return-reason": ""}
    )

    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING


def test_a_stale_form_gets_a_conflict_message_and_changes_nothing(case, login):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    seen = task.version
    actions.request_materials(task, items=[{"key": "M01", "name": "居民身份证"}], by=case.police, at=world.at)
    client = login(case.police)

    response = client.post(
        f"/cases/tasks/{task.pk}/return/", {"return-version": seen, "return-reason": "误派"}, follow=True
    )

    assert "该记录已被他人修改" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.MATERIALS_REQUESTED


def test_an_upload_is_checked_by_content_not_by_name(case, login):
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=world.at
    )
    line = application.items.get()
    client = login(world.wang_fang)

    fake = client.post(
        f"/cases/applications/{application.pk}/upload/",
        {"line": line.pk, "key": "M01", "file": pdf("证件.pdf", b"MZ\x90\x00 not a pdf")},
        follow=True,
    )
    real_png = client.post(
        f"/cases/applications/{application.pk}/upload/",
        {"line": line.pk, "key": "M01", "file": pdf("photo.pdf", PNG)},
    )

    assert "只接受 PDF、JPG、PNG 文件" in fake.content.decode()
    material = application.materials.get()
    assert real_png.status_code == 302
    assert (material.content_type, material.extension) == ("image/png", ".png")


def test_an_oversized_upload_is_refused(case, login, settings):
    settings.HUICAI_UPLOAD_MAX_BYTES = 1024
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=world.at
    )
    line = application.items.get()
    client = login(world.wang_fang)

    response = client.post(
        f"/cases/applications/{application.pk}/upload/",
        {"line": line.pk, "key": "M01", "file": pdf(content=b"%PDF-" + b"0" * 2048)},
        follow=True,
    )

    assert "文件过大" in response.content.decode()
    assert not application.materials.exists()


def test_materials_download_as_attachments_with_a_safe_name_and_are_audited(case, login):
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=world.at
    )
    line = application.items.get()
    material = actions.upload_material(
        line, key="M01", file=pdf('../../etc/"passwd".pdf'), by=world.wang_fang, at=world.at
    )
    client = login(world.chen_jing)

    response = client.get(f"/cases/materials/{material.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "passwd.pdf" in response["Content-Disposition"]
        and "/" not in response["Content-Disposition"].split("filename")[1]
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=world.chen_jing).exists()
    assert "materials/" in material.file.name and "passwd" not in material.file.name


def test_the_task_queue_is_sorted_by_deadline_and_its_query_count_is_bounded(
    case, login, django_assert_max_num_queries
):
    world = case.world
    for _ in range(5):
        application = prepare(case, [case.hukou])
        actions.submit_application(application, by=world.wang_fang, at=world.at)
        actions.accept_task(application.tasks.get(), by=case.police, at=world.at)
    client = login(case.police)

    with django_assert_max_num_queries(12):
        response = client.get("/cases/tasks/")

    assert response.status_code == 200
    assert response.content.decode().count("/cases/tasks/") >= 5


def test_the_application_list_query_count_is_bounded(case, login, django_assert_max_num_queries):
    world = case.world
    for _ in range(5):
        prepare(case, [case.hukou])
    client = login(world.wang_fang)

    with django_assert_max_num_queries(12):
        response = client.get("/cases/applications/")

    assert response.content.decode().count("/cases/applications/") >= 5


@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang", "chen_jing", "zhou_min"])
def test_everyone_who_may_see_the_application_reads_its_timeline(case, login, persona):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    client = login(getattr(world, persona))

    page = client.get(f"/cases/applications/{application.pk}/").content.decode()

    assert "办理进度" in page and "提交申办" in page and "创建申办" in page


def test_the_talents_page_lists_their_applications_as_part_of_their_record(case, login):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)

    own = login(world.li_ming_user).get(f"/talents/{world.li_ming.pk}/").content.decode()
    police = login(case.police).get(f"/talents/{world.li_ming.pk}/").content.decode()
    housing = login(case.housing_commissioner).get(f"/talents/{world.li_ming.pk}/")

    assert application.number in own
    assert application.number in police  # the department sees the talent its task names, and the case
    assert housing.status_code == 404  # no task of theirs names him


def test_after_a_request_for_materials_the_unit_commissioner_uploads_what_was_named_and_resubmits(
    case, login
):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    material_request = actions.request_materials(
        task,
        items=[{"key": "M02", "name": "补充说明"}, {"key": "", "name": "无犯罪记录证明"}],
        by=case.police,
        at=world.at,
    )
    client = login(world.wang_fang)
    line = application.items.get()

    page = client.get(f"/cases/applications/{application.pk}/").content.decode()
    for key in ("M02", "R2"):
        response = client.post(
            f"/cases/applications/{application.pk}/upload/",
            {"line": line.pk, "key": key, "file": pdf(), "request": material_request.pk},
        )
        assert response.status_code == 302, response
        followed = client.get(response["Location"]).content.decode()
        assert "材料已上传" in followed, (
            key,
            followed[followed.find("messages") : followed.find("messages") + 300],
        )
    not_asked = client.post(
        f"/cases/applications/{application.pk}/upload/",
        {"line": line.pk, "key": "M01", "file": pdf(), "request": material_request.pk},
        follow=True,
    )
    task.refresh_from_db()
    resubmitted = client.post(f"/cases/tasks/{task.pk}/resubmit/", {"resubmit-version": task.version})

    assert "补正材料" in page and "无犯罪记录证明" in page
    assert set(material_request.materials.values_list("key", "name")) == {
        ("M02", "补充说明"),
        ("R2", "无犯罪记录证明"),
    }
    assert "没有编号为“M01”的待交材料" in not_asked.content.decode()
    assert resubmitted.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING


def test_uploading_after_submission_without_a_request_is_refused(case, login):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    line = application.items.get()
    before = application.materials.count()

    response = login(world.wang_fang).post(
        f"/cases/applications/{application.pk}/upload/",
        {"line": line.pk, "key": "M01", "file": pdf()},
        follow=True,
    )

    assert "申办已提交，只能按补正通知补充材料" in response.content.decode()
    assert application.materials.count() == before
