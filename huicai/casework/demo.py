"""Demo applications in every state, walked through the real actions so the demo shows what the product
would: a closed one with its result document, a three-item application split across departments with an
extension and a request for materials, one waiting for the window to split it, a draft, and a queue for
the 市公安局 commissioner with one task overdue and one whose extension past the cap waits for the window. Idempotent: nothing is added when the demo talent already has applications."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from huicai.casework import actions
from huicai.casework.models import Application
from huicai.catalogue.models import ServiceItem
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.talents.models import Talent
from huicai.workdays import calendar

DEMO_NOTE = "演示数据"
PDF = b"%PDF-1.4\n% Huicai demo material\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _commissioner(kind, at, **org):
    return (
        Post.objects.active_at(at).filter(kind=kind, **org).select_related("user").order_by("id").first().user
    )


def _department_user(item, at):
    return _commissioner(PostKind.DEPARTMENT, at, department=item.department)


def _prepared(talent, codes, *, at):
    unit = talent.unit_assignments.open().select_related("post__user").get().post.user
    items = list(ServiceItem.objects.filter(code__in=codes).select_related("published_version"))
    application = actions.create_application(talent=talent, items=items, note=DEMO_NOTE, by=unit, at=at)
    # One missing material at a time: a document several items need (the ID card) is uploaded once.
    while missing := actions.missing_materials(application):
        line, material = missing[0]
        upload = SimpleUploadedFile(f"{material['name']}.pdf", PDF, content_type="application/pdf")
        actions.upload_material(line, key=material["key"], file=upload, by=unit, at=at)
    actions.record_consent(application, method="signed", by=unit, at=at)
    return application, unit


@transaction.atomic
def load_demo(*, at) -> None:
    talent = Talent.objects.filter(user__username="talent").first()
    if talent is None or Application.objects.filter(talent=talent).exists():
        return
    day = datetime.timedelta(days=1)
    window = _commissioner(PostKind.WINDOW, at, window=talent.home_window)

    # 1. Closed: one item straight to 市公安局, accepted, completed, the talent told.
    application, unit = _prepared(talent, ["LY-HJ-001"], at=at - 40 * day)
    actions.submit_application(application, by=unit, at=at - 40 * day)
    task = application.tasks.get()
    police = _department_user(task, at)
    actions.accept_task(task, by=police, at=at - 39 * day)
    actions.complete_task(
        task,
        result="handled",
        note="户口已迁入临沂市兰山区。",
        document=SimpleUploadedFile("落户审批结果通知书.pdf", PDF, content_type="application/pdf"),
        by=police,
        at=at - 37 * day,
    )
    actions.inform_talent(task, via="phone", by=unit, at=at - 36 * day)

    # 2. In progress: three items split across three departments by the window.
    application, unit = _prepared(talent, ["LY-CRJ-001", "LY-ZF-001", "LY-ZN-001"], at=at - 6 * day)
    actions.submit_application(application, by=unit, at=at - 6 * day)
    actions.split_application(
        application, routes=actions.suggested_routes(application), by=window, at=at - 5 * day
    )
    for task in application.tasks.select_related("department", "deadline"):
        department_user = _commissioner(PostKind.DEPARTMENT, at, department=task.department)
        if task.department.short_name == "市公安局":
            task = actions.accept_task(task, by=department_user, at=at - 5 * day)
            actions.extend_task(
                task,
                new_due_date=_next_working_day(task.deadline.due_date + 3 * day),
                reason="需向省公安厅出入境管理局核查境外居留记录。",
                explanation="已电话告知李明本人，预计延后3个工作日。",
                explained_via="direct",
                by=department_user,
                at=at - 2 * day,
            )
        elif task.department.short_name == "市住房和城乡建设局":
            actions.request_materials(
                task,
                items=[{"key": "", "name": "本人及配偶在临无自有住房的承诺书"}],
                note="请一次性补齐以上材料。",
                by=department_user,
                at=at - 4 * day,
            )

    # 3. Waiting for the window to split it.
    application, unit = _prepared(talent, ["LY-ZF-003", "LY-YL-003"], at=at - day)
    actions.submit_application(application, by=unit, at=at - day)

    # 4. A draft the unit commissioner is still preparing.
    unit = talent.unit_assignments.open().select_related("post__user").get().post.user
    items = list(ServiceItem.objects.filter(code__in=["LY-GW-001"]))
    actions.create_application(talent=talent, items=items, note=DEMO_NOTE, by=unit, at=at)

    # 5. A queue for 市公安局: other 兰山区 talents' single-item applications, one of them overdue.
    others = Talent.objects.filter(home_window=talent.home_window).exclude(pk=talent.pk).order_by("id")[:4]
    for index, other in enumerate(others):
        started = at - (30 if index == 0 else index) * day
        application, unit = _prepared(other, ["LY-CRJ-002"], at=started)
        actions.submit_application(application, by=unit, at=started)
        if index == 0:
            task = application.tasks.get()
            actions.accept_task(task, by=_department_user(task, at), at=started)
        if index == 1:
            # 超长延期: an extension past the cap (HUICAI_EXTENSION_CAP_DAYS) waiting for the window.
            task = application.tasks.get()
            police = _department_user(task, at)
            task = actions.accept_task(task, by=police, at=started)
            actions.extend_task(
                task,
                new_due_date=calendar.add_working_days(
                    task.deadline.due_date, actions.extension_cap_days() + 2
                ),
                reason="需境外机构出具认证材料，周期较长。",
                explanation="已通过单位专员向人才说明，需窗口批准后延期。",
                explained_via="unit",
                by=police,
                at=at,
            )


def _next_working_day(day):
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day
