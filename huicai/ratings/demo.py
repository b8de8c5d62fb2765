"""Demo ratings, walked through the real actions: two fresh 市公安局 tasks of the demo talent 李明 finished
two days before ``at`` — one rated 非常满意 by his unit commissioner on his behalf, one rated 不满意 by 李明
himself, which leaves an open rectification in the queue of the 市公安局 commissioner (``dept``) — and a
hotline return visit (满意) of the task casework's demo completed five weeks earlier.

Idempotent: nothing is added when the demo talent already has the applications made here.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from huicai.casework import actions as casework
from huicai.casework.choices import TaskStatus
from huicai.casework.models import Application, Task
from huicai.catalogue.models import ServiceItem
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.ratings import actions
from huicai.ratings.choices import Channel, Hotline
from huicai.ratings.models import Rating
from huicai.talents.models import Talent

DEMO_NOTE = "演示数据（服务评价）"
HOTLINE_REF = "12345-HF-DEMO-0001"
PDF = b"%PDF-1.4\n% Huicai demo material\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _completed(talent, code, *, started, completed, at):
    """A one-item application prepared by the talent's unit commissioner, accepted and completed by the
    item's department commissioner (the first of its posts at ``at``: ``dept`` for 市公安局; the demo's
    posts open when the demo loads, so they are looked up then, as casework's demo does)."""
    unit = talent.unit_assignments.open().select_related("post__user").get().post.user
    items = list(ServiceItem.objects.filter(code=code).select_related("published_version"))
    application = casework.create_application(talent=talent, items=items, note=DEMO_NOTE, by=unit, at=started)
    for line in application.items.select_related("item_version"):
        for material in line.materials_required:
            upload = SimpleUploadedFile(f"{material['name']}.pdf", PDF, content_type="application/pdf")
            casework.upload_material(line, key=material["key"], file=upload, by=unit, at=started)
    casework.record_consent(application, method="signed", by=unit, at=started)
    casework.submit_application(application, by=unit, at=started)
    task = application.tasks.get()
    department_user = (
        Post.objects.active_at(at)
        .filter(kind=PostKind.DEPARTMENT, department_id=task.department_id)
        .select_related("user")
        .order_by("id")
        .first()
        .user
    )
    casework.accept_task(task, by=department_user, at=started)
    casework.complete_task(task, result="handled", note="已办结。", by=department_user, at=completed)
    return task, unit


@transaction.atomic
def load_demo(*, at) -> None:
    talent = Talent.objects.filter(user__username="talent").select_related("user").first()
    if talent is None or Application.objects.filter(talent=talent, note=DEMO_NOTE).exists():
        return
    day = datetime.timedelta(days=1)

    # A good rating, given by the unit commissioner recording 李明's answer.
    task, unit = _completed(talent, "LY-HJ-001", started=at - 4 * day, completed=at - 2 * day, at=at)
    actions.rate_service(
        task=task,
        mode="offline",
        scores={"overall": 5, "efficiency": 5, "service_level": 5, "attitude": 5},
        comment="李明电话表示：一次办好，专员全程指导，非常满意。",
        by=unit,
        at=at - day,
    )

    # A bad rating by 李明 himself: an open rectification for 市公安局, due five working days later.
    task, _unit = _completed(talent, "LY-CRJ-002", started=at - 4 * day, completed=at - 2 * day, at=at)
    actions.rate_service(
        task=task,
        mode="online",
        scores={"overall": 2, "efficiency": 2, "guide_accuracy": 1, "convenience": 3, "ease_of_use": 3},
        comment="办事指南写的材料与窗口要求不一致，来回补了两次材料。",
        by=talent.user,
        at=at - day + datetime.timedelta(hours=2),
    )

    # The task casework's demo completed five weeks ago, rated on a 12345 return visit.
    old = (
        Task.objects.filter(application__talent=talent, status=TaskStatus.COMPLETED)
        .exclude(application__note=DEMO_NOTE)
        .order_by("completed_at", "id")
        .first()
    )
    if old is not None and not Rating.objects.filter(task=old, channel=Channel.HOTLINE).exists():
        actions.record_hotline_rating(
            task=old,
            level=4,
            comment="12345回访：落户办理顺利，满意。",
            hotline=Hotline.HOTLINE_12345,
            external_ref=HOTLINE_REF,
            at=at - 3 * day,
        )
