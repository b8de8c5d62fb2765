"""Every change of state of an application or a task: one function each (W11–W14, S15–S18).

Each action takes keyword-only arguments with an explicit actor (``by``) and time (``at``), runs in one
transaction, re-reads the row it changes with ``select_for_update()`` (so two commissioners acting on one
task at once are serialised; the second then finds the state changed and is refused), checks the permission
and the allowed source state, writes the change and its ``CaseEvent`` together, and notifies the people the
measures name. Notifications are inbox rows written in the same transaction; sending them by email or SMS
happens after commit in the task queue, so a failing channel never undoes a transition.

``expected_version``, when given, is the version the caller's form or API client last saw: a mismatch
means someone else acted in between, and the action is refused with ``StaleVersion`` instead of applied
on a stale view.
"""

import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from huicai.casework import access
from huicai.casework.choices import (
    COUNTED_EXTENSION_STATUSES,
    OPEN_TASK_STATUSES,
    RUNNING_STATUSES,
    STAGE_HOLDERS,
    STAGE_SETTINGS,
    ApplicationStatus,
    CaseAction,
    ExtensionStatus,
    Holder,
    Result,
    Route,
    Source,
    Stage,
    TaskStatus,
)
from huicai.casework.models import (
    Application,
    ApplicationItem,
    CaseEvent,
    Extension,
    Material,
    MaterialRequest,
    StageClock,
    Suspension,
    Task,
)
from huicai.casework.uploads import inspect_upload
from huicai.catalogue.choices import ServiceMode
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core import transitions
from huicai.core.transitions import (
    ActionRefused,
    NotAllowed,
    lock_for_update,
)
from huicai.notifications.actions import notify
from huicai.notifications.choices import CASE_PROGRESS
from huicai.org.models import Department
from huicai.workdays import calendar
from huicai.workdays.actions import close_deadline, open_deadline, postpone_deadline


class CaseworkError(ActionRefused):
    """A refused action; the message is for the person who tried it."""


class InvalidTransition(CaseworkError, transitions.InvalidTransition):
    """The record is not in a state that allows this step; still a ``CaseworkError`` for its callers."""


class StaleVersion(CaseworkError, transitions.StaleVersion):
    """The caller acted on an outdated copy of the record; still a ``CaseworkError`` for its callers."""


MAX_NOTE = 2000


# --- helpers ----------------------------------------------------------------------------------------


def _today(at):
    return timezone.localdate(at)


def _users(kind, at, **org):
    """The people holding an active post of ``kind`` at an organisation: whom the measures tell."""
    posts = Post.objects.active_at(at).filter(kind=kind, **org).select_related("user")
    return [post.user for post in posts]


def _unit(application):
    """The unit commissioner of the case, if any (a hotline order from a talent with none has none)."""
    return [application.unit_post.user] if application.unit_post_id else []


# What the talent is told, in the title of their notice. The title is also the whole SMS (with the link), so
# it names the step and the task number only: no name, no item, nothing personal.
TALENT_NOTICE_TITLES = {
    "accepted": _lazy("您的申办事项已受理（任务 %(number)s）"),
    "materials_requested": _lazy("您的申办事项需要补正材料（任务 %(number)s）"),
    "extended": _lazy("您的申办事项办理延期（任务 %(number)s）"),
    "completed": _lazy("您的申办事项已办结（任务 %(number)s）"),
}


def _tell_talent(task, what, *, body, at):
    """W13/W16 进度反馈: the talent hears of their own case when a task is accepted, needs materials, is
    extended or is completed: in their inbox, and by SMS to their mobile (``CASE_PROGRESS`` is an SMS
    kind). A talent with no account is told by SMS on the phone of their record (``notify``, issue 11)."""
    notify(
        [task.application.talent],
        kind=CASE_PROGRESS,
        title=str(TALENT_NOTICE_TITLES[what]) % {"number": task.number},
        body=body,
        link=task.get_absolute_url(),
        at=at,
    )


def _lock_task(task, expected_version=None):
    return lock_for_update(
        Task.objects.select_related(
            "application__talent__home_window", "application__unit_post__user", "department", "deadline"
        ),
        task.pk,
        expected_version=expected_version,
        error=StaleVersion,
    )


def _lock_application(application, expected_version=None):
    return lock_for_update(
        Application.objects.select_related("talent__home_window", "unit_post__user", "window"),
        application.pk,
        expected_version=expected_version,
        error=StaleVersion,
    )


def _refuse_unless(task, step, *, by=None):
    """The guard of a task step, read from the one table the pages and the API read too: 403 when ``by``
    (if given) may not take it, ``InvalidTransition`` when the task's state does not allow it."""
    access.TASK_STEPS.check(step, task, by=by, error=InvalidTransition)


def _refuse_application_unless(application, step):
    """The state guard of an application step, read from the table the application page reads too."""
    access.APPLICATION_STEPS.check(step, application, error=InvalidTransition)


def _move(task, to_status, *, action, by, at, note="", data=None, fields=()):
    """Set the task's status and the given fields, bump its version, and record the event."""
    from_status = task.status
    task.status = to_status
    task.version = F("version") + 1
    task.save(update_fields=["status", "version", *fields])
    task.refresh_from_db(fields=["version"])
    return CaseEvent.objects.create(
        application=task.application,
        task=task,
        action=action,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=at,
        note=note[:MAX_NOTE],
        data=data or {},
    )


def _move_application(application, to_status, *, action, by, at, note="", data=None, fields=()):
    from_status = application.status
    application.status = to_status
    application.version = F("version") + 1
    application.save(update_fields=["status", "version", *fields])
    application.refresh_from_db(fields=["version"])
    return CaseEvent.objects.create(
        application=application,
        action=action,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=at,
        note=note[:MAX_NOTE],
        data=data or {},
    )


def _required_text(value, message):
    value = (value or "").strip()
    if not value:
        raise CaseworkError(message)
    return value


def _open_task(application, department, lines, *, committed_days, action, by, at, title, body, data=None):
    """Create the task of ``department`` for ``lines``, record it and tell the department: the one place a
    task comes into being, whether by submission, split or hotline transfer."""
    task = Task.objects.create(
        application=application,
        number=f"{application.number}-T{application.tasks.count() + 1}",
        department=department,
        committed_days=committed_days,
        created_at=at,
    )
    if lines:
        ApplicationItem.objects.filter(pk__in=[line.pk for line in lines]).update(task=task)
    CaseEvent.objects.create(
        application=application,
        task=task,
        action=action,
        to_status=TaskStatus.PENDING,
        by=by,
        at=at,
        data=data or {},
    )
    # The department's acceptance is timed from the moment the task reaches it.
    _start_clock(Stage.ACCEPTANCE, application=application, task=task, at=at)
    notify(
        _users(PostKind.DEPARTMENT, at, department=department),
        kind="task_new",
        title=title % {"number": task.number},
        body=body,
        link=task.get_absolute_url(),
        at=at,
    )
    return task


def _committed_days(lines) -> int:
    """A task's limit is the longest committed limit among its items."""
    return max(line.item_version.committed_days or 1 for line in lines)


# --- stage clocks (W9, W13, S12-2) ----------------------------------------------------------------


def stage_days(stage) -> int:
    """The working days a stage may take (settings ``HUICAI_STAGE_*_DAYS``)."""
    return int(getattr(settings, STAGE_SETTINGS[stage]))


def _start_clock(stage, *, application, task=None, at) -> StageClock | None:
    """Open the clock of ``stage`` for the organisation that now holds the step, inside the action that
    hands it over. A unit's step of a case without a unit commissioner (a hotline order from a talent
    with none) has nobody to hold it and gets no clock."""
    holder = STAGE_HOLDERS[stage]
    org = {}
    unit_post = None
    if holder == Holder.WINDOW:
        org["window"] = application.window
        responsible = _users(PostKind.WINDOW, at, window=application.window)
    elif holder == Holder.DEPARTMENT:
        org["department"] = task.department
        responsible = _users(PostKind.DEPARTMENT, at, department=task.department)
    else:
        if not application.unit_post_id:
            return None
        unit_post = application.unit_post
        org["employer"] = unit_post.employer
        responsible = [unit_post.user]
    deadline = open_deadline(
        start_date=_today(at),
        working_days=stage_days(stage),
        label=f"{task.number if task else application.number} {Stage(stage).label}",
        responsible=responsible,
        at=at,
    )
    return StageClock.objects.create(
        application=application,
        task=task,
        stage=stage,
        holder=holder,
        unit_post=unit_post,
        deadline=deadline,
        started_at=at,
        **org,
    )


def _stop_clocks(*, application=None, task=None, stages=None, by, at) -> int:
    """Close the open clocks of the task (or, without a task, of the application's own stages), of
    ``stages`` or of every stage, in the action that ends the step. Returns how many were open."""
    clocks = StageClock.objects.open().select_related("deadline")
    if task is not None:
        clocks = clocks.filter(task=task)
    else:
        clocks = clocks.filter(application=application, task__isnull=True)
    if stages is not None:
        clocks = clocks.filter(stage__in=stages)
    closed = 0
    for clock in clocks:
        close_deadline(clock.deadline, at=at)
        closed += StageClock.objects.filter(pk=clock.pk, closed_at__isnull=True).update(
            closed_at=at, closed_by=by
        )
    return closed


def _last_event_at(task, *actions_, default):
    event = task.events.filter(action__in=actions_).order_by("-at", "-id").first()
    return max(event.at, default) if event else default


@transaction.atomic
def open_missing_stage_clocks() -> dict:
    """Start the clock of every open step that has none: cases already open when stage clocks came in.

    Each clock starts when its step began (submission, the task's arrival or last resubmission or
    reroute, the open request for materials, the return, the completion), so a step long overdue is red at
    the next sweep, as it would have been. Idempotent: a step with an open clock is left alone. Returns how
    many clocks of each stage were opened. Run once after upgrading (``manage.py open_stage_clocks``).
    """
    opened = dict.fromkeys(Stage.values, 0)

    def start(stage, *, application, task=None, at):
        if _start_clock(stage, application=application, task=task, at=at) is not None:
            opened[stage] += 1

    waiting = (
        Application.objects.select_for_update(of=("self",))
        .filter(status=ApplicationStatus.SUBMITTED)
        .exclude(Exists(StageClock.objects.open().filter(application=OuterRef("pk"), stage=Stage.TRIAGE)))
        .select_related("window")
    )
    for application in waiting:
        start(Stage.TRIAGE, application=application, at=application.submitted_at)
    wanted = {
        TaskStatus.PENDING: Stage.ACCEPTANCE,
        TaskStatus.MATERIALS_REQUESTED: Stage.SUPPLEMENT,
        TaskStatus.RETURNED: Stage.REROUTE,
        TaskStatus.COMPLETED: Stage.INFORMING,
    }
    tasks = (
        Task.objects.select_for_update(of=("self",))
        .filter(status__in=list(wanted))
        .exclude(status=TaskStatus.COMPLETED, informed_at__isnull=False)
        .select_related(
            "application__window", "application__unit_post__employer", "application__unit_post__user"
        )
        .select_related("department")
        .order_by("pk")
    )
    for task in tasks:
        stage = wanted[task.status]
        if task.stage_clocks.filter(stage=stage, closed_at__isnull=True).exists():
            continue
        if stage == Stage.ACCEPTANCE:
            began = _last_event_at(task, CaseAction.RESUBMIT, CaseAction.REROUTE, default=task.created_at)
        elif stage == Stage.SUPPLEMENT:
            request = (
                task.material_requests.filter(fulfilled_at__isnull=True).order_by("-requested_at").first()
            )
            began = (
                request.requested_at
                if request
                else _last_event_at(task, CaseAction.REQUEST_MATERIALS, default=task.created_at)
            )
        elif stage == Stage.REROUTE:
            began = _last_event_at(task, CaseAction.RETURN, default=task.created_at)
        else:
            began = task.completed_at
        start(stage, application=task.application, task=task, at=began)
    return opened


# --- preparing and submitting ---------------------------------------------------------------------


@transaction.atomic
def create_application(*, talent, items, by, at, note="") -> Application:
    """S11-1: the unit commissioner prepares an application with one or more by-application items."""
    if not access.is_unit_commissioner_of(by, talent):
        raise NotAllowed(_("只有该人才的单位专员可以为其申办。"))
    items = list(dict.fromkeys(items))
    if not items:
        raise CaseworkError(_("请至少选择一个服务事项。"))
    for item in items:
        version = item.published_version
        if version is None:
            raise CaseworkError(_("事项“%(name)s”尚未公布，不能申办。") % {"name": item.name})
        if version.mode != ServiceMode.APPLICATION:
            raise CaseworkError(
                _("事项“%(name)s”为可直接服务事项，凭人才卡直接办理，无需申办。") % {"name": item.name}
            )
        openness = version.check_open_to(talent)
        if not openness:
            raise CaseworkError(
                _("事项“%(name)s”不面向该人才：%(reason)s")
                % {"name": version.name, "reason": openness.reason}
            )
    post = talent.unit_assignments.open().select_related("post").get().post
    application = Application.objects.create(
        number=f"TMP-{uuid.uuid4().hex[:24]}",  # replaced by the id-based number below
        talent=talent,
        unit_post=post,
        window=talent.home_window,
        created_by=by,
        created_at=at,
        note=(note or "")[:MAX_NOTE],
    )
    application.number = f"SQ{_today(at):%Y%m%d}{application.pk:06d}"
    application.save(update_fields=["number"])
    ApplicationItem.objects.bulk_create(
        [
            ApplicationItem(application=application, service_item=item, item_version=item.published_version)
            for item in items
        ]
    )
    CaseEvent.objects.create(
        application=application,
        action=CaseAction.CREATE,
        to_status=ApplicationStatus.DRAFT,
        by=by,
        at=at,
        data={"items": [item.code for item in items]},
    )
    return application


# A task still open to late uploads against a fulfilled notice (after an early resubmission): it has not been
# completed, withdrawn or returned to the window.
LATE_UPLOAD_STATUSES = (
    TaskStatus.PENDING,
    TaskStatus.ACCEPTED,
    TaskStatus.DELEGATED,
    TaskStatus.SUSPENDED,
)


def _same_material(name) -> str:
    return "".join((name or "").split())


@transaction.atomic
def upload_material(application_item, *, key, file, by, at, request=None) -> Material:
    """Attach a file for one material of an item's guide. Checked by content; stored outside the web root.

    Before submission, any material of the guide. A material that several items of the application ask for
    (the ID card, by the same name in each guide) is uploaded once and counts for each: a row is filed for
    every item that lists it, all pointing at the one stored file, so each department still sees the
    document only through its own item (need-to-know) and nobody uploads it twice.

    After submission, only what a request for materials (一次性告知) named: a material of the guide by its
    key, or an extra one the department named in its own words, by ``R<n>`` (its place in the request).
    While the task waits for the supplement, this prepares the resubmission. After an early resubmission
    (the notice is fulfilled) the commissioner may still add what was missing while the task is open: the
    upload attaches to the notice and the department is told, so the late paper is not lost."""
    application = _lock_application(application_item.application)
    if not access.is_unit_commissioner_of(by, application.talent):
        raise NotAllowed(_("只有该人才的单位专员可以上传材料。"))
    guide = application_item.item_version.data.get("materials", [])
    wanted = {m["key"]: m["name"] for m in guide}
    late = False
    if request is None:
        if application.status != ApplicationStatus.DRAFT:
            raise InvalidTransition(_("申办已提交，只能按补正通知补充材料。"))
    else:
        request = (
            MaterialRequest.objects.select_for_update(of=("self",)).select_related("task").get(pk=request.pk)
        )
        if request.task_id != application_item.task_id:
            raise CaseworkError(_("该补正通知不属于此事项。"))
        if request.fulfilled_at is None:
            if request.task.status != TaskStatus.MATERIALS_REQUESTED:
                raise InvalidTransition(_("任务当前不在待补正材料状态。"))
        elif request.task.status in LATE_UPLOAD_STATUSES:
            late = True
        else:
            raise InvalidTransition(
                _("任务已%(status)s，不能再按该补正通知补交材料。")
                % {"status": request.task.get_status_display()}
            )
        asked = {row["upload_key"]: row["name"] for row in request.rows()}
        asked.update({row["ref"]: row["name"] for row in request.rows()})
        wanted = {k: v for k, v in {**wanted, **asked}.items() if k in asked}
    if key not in wanted:
        raise CaseworkError(_("没有编号为“%(key)s”的待交材料。") % {"key": key})
    facts = inspect_upload(file)
    material = Material(
        application=application,
        application_item=application_item,
        key=key,
        name=wanted[key][:200],
        uploaded_by=by,
        uploaded_at=at,
        request=request,
        **facts,
    )
    material.file.save(facts["original_name"], file, save=False)
    material.save()
    shared_with = []
    if request is None:
        # The same document for the other items that ask for it and have none yet: one file, a row for
        # each item (an item that already has its own copy keeps it).
        name = _same_material(wanted[key])
        have = set(application.materials.values_list("application_item_id", "key"))
        for line in application.items.exclude(pk=application_item.pk).select_related("item_version"):
            for spec in line.item_version.data.get("materials", []):
                if _same_material(spec["name"]) == name and (line.pk, spec["key"]) not in have:
                    Material.objects.create(
                        application=application,
                        application_item=line,
                        key=spec["key"],
                        name=spec["name"][:200],
                        file=material.file.name,
                        uploaded_by=by,
                        uploaded_at=at,
                        **facts,
                    )
                    shared_with.append(line.pk)
                    break
    CaseEvent.objects.create(
        application=application,
        task=application_item.task,
        action=CaseAction.UPLOAD,
        by=by,
        at=at,
        note=material.name,
        data={
            "key": key,
            "size": facts["size"],
            "request": request.pk if request else None,
            "late": late,
            "shared_with_items": shared_with,
        },
    )
    if late:
        task = request.task
        notify(
            _users(PostKind.DEPARTMENT, at, department=task.department),
            kind="materials_added",
            title=_("补正后补交的材料：%(number)s") % {"number": task.number},
            body=material.name,
            link=task.get_absolute_url(),
            at=at,
        )
    return material


def missing_materials(application) -> list[tuple[ApplicationItem, dict]]:
    """The required materials of each item's guide that have no file yet."""
    have = set(application.materials.values_list("application_item_id", "key"))
    missing = []
    for item in application.items.select_related("item_version"):
        for material in item.materials_required:
            if (item.pk, material["key"]) not in have:
                missing.append((item, material))
    return missing


@transaction.atomic
def record_consent(application, *, method, note="", by, at, expected_version=None) -> Application:
    """The talent's consent to the application, recorded before submission (how and when)."""
    application = _lock_application(application, expected_version)
    if not access.is_unit_commissioner_of(by, application.talent) and not access.is_talent(
        by, application.talent
    ):
        raise NotAllowed(_("只有人才本人或其单位专员可以记录同意。"))
    _refuse_application_unless(application, "consent")
    application.consent_at = at
    application.consent_method = method
    application.consent_note = (note or "")[:200]
    application.version = F("version") + 1
    application.save(update_fields=["consent_at", "consent_method", "consent_note", "version"])
    application.refresh_from_db(fields=["version"])
    return application


@transaction.atomic
def withdraw_draft_consent(application, *, by, at, expected_version=None) -> Application:
    """The talent takes back the consent recorded on a draft before it is submitted (PIPL art. 15): the
    draft can then not be submitted until consent is recorded again. A submitted application keeps its
    consent record: a withdrawal works for the future only (privacy's ``withdraw_consent``)."""
    application = _lock_application(application, expected_version)
    if not access.is_talent(by, application.talent):
        raise NotAllowed(_("只有人才本人可以撤回同意。"))
    if application.status != ApplicationStatus.DRAFT:
        raise InvalidTransition(_("申办已提交，不能再修改同意记录。"))
    application.consent_at = None
    application.consent_method = ""
    application.consent_note = ""
    application.version = F("version") + 1
    application.save(update_fields=["consent_at", "consent_method", "consent_note", "version"])
    application.refresh_from_db(fields=["version"])
    return application


@transaction.atomic
def submit_application(application, *, by, at, expected_version=None) -> Application:
    """W13/S17: one item goes straight to its department; several go to the talent's home window."""
    application = _lock_application(application, expected_version)
    if not access.is_unit_commissioner_of(by, application.talent):
        raise NotAllowed(_("只有该人才的单位专员可以提交申办。"))
    _refuse_application_unless(application, "submit")
    if application.consent_at is None:
        raise CaseworkError(_("提交前须记录人才本人的同意。"))
    missing = missing_materials(application)
    if missing:
        names = "；".join(f"{item.item_version.name}：{material['name']}" for item, material in missing)
        raise CaseworkError(_("以下必交材料尚未上传：%(names)s") % {"names": names})
    items = list(application.items.select_related("item_version", "service_item__department"))
    application.submitted_at = at
    if len(items) == 1:
        application.route = Route.DEPARTMENT
        _move_application(
            application,
            ApplicationStatus.IN_PROGRESS,
            action=CaseAction.SUBMIT,
            by=by,
            at=at,
            fields=["submitted_at", "route"],
            data={"route": Route.DEPARTMENT},
        )
        _open_task(
            application,
            items[0].service_item.department,
            items,
            committed_days=_committed_days(items),
            action=CaseAction.SUBMIT,
            by=by,
            at=at,
            title=_("新的申办任务：%(number)s"),
            body=_("%(talent)s 申办“%(item)s”，请及时受理。")
            % {"talent": application.talent.name, "item": items[0].item_version.name},
        )
    else:
        application.route = Route.WINDOW
        _move_application(
            application,
            ApplicationStatus.SUBMITTED,
            action=CaseAction.SUBMIT,
            by=by,
            at=at,
            fields=["submitted_at", "route"],
            data={"route": Route.WINDOW},
        )
        # W13: the window's triage (梳理分办) is timed from submission.
        _start_clock(Stage.TRIAGE, application=application, at=at)
        notify(
            _users(PostKind.WINDOW, at, window=application.window),
            kind="application_to_split",
            title=_("待梳理的多事项申办：%(number)s") % {"number": application.number},
            body=_("%(talent)s 申办 %(n)d 个事项，请梳理并分办到各部门。")
            % {"talent": application.talent.name, "n": len(items)},
            link=application.get_absolute_url(),
            at=at,
        )
    return application


def suggested_routes(application) -> dict[int, int]:
    """The catalogue's routing: each application item → its item's competent department (W13)."""
    return {
        item.pk: item.service_item.department_id for item in application.items.select_related("service_item")
    }


@transaction.atomic
def split_application(application, *, routes, by, at, note="", expected_version=None) -> list[Task]:
    """W13: the window commissioner reviews (梳理) a multi-item application and splits it into one task per
    department by management authority. ``routes`` maps every application item id to a department; the
    catalogue's suggestion may be corrected."""
    application = _lock_application(application, expected_version)
    if not access.is_window_over(by, application.talent):
        raise NotAllowed(_("只有属地窗口专员可以梳理分办。"))
    if application.source != Source.UNIT:
        raise InvalidTransition(_("热线工单请使用“指派部门”。"))
    _refuse_application_unless(application, "split")
    items = {item.pk: item for item in application.items.select_related("item_version")}
    routes = {int(k): int(v) for k, v in routes.items()}
    if set(routes) != set(items):
        raise CaseworkError(_("请为每个申办事项指定主管部门。"))
    departments = Department.objects.in_bulk(set(routes.values()))
    if len(departments) != len(set(routes.values())) or not all(d.is_active for d in departments.values()):
        raise CaseworkError(_("指定的主管部门不存在或已停用。"))
    by_department = {}
    for item_id, department_id in routes.items():
        by_department.setdefault(department_id, []).append(items[item_id])
    _move_application(
        application,
        ApplicationStatus.IN_PROGRESS,
        action=CaseAction.SPLIT,
        by=by,
        at=at,
        note=note,
        data={"routes": {str(k): v for k, v in routes.items()}},
    )
    _stop_clocks(application=application, stages=[Stage.TRIAGE], by=by, at=at)
    suggested = suggested_routes(application)
    tasks = []
    for department_id, department_items in sorted(by_department.items()):
        department = departments[department_id]
        corrected = [i.pk for i in department_items if suggested[i.pk] != department_id]
        task = _open_task(
            application,
            department,
            department_items,
            committed_days=_committed_days(department_items),
            action=CaseAction.SPLIT,
            by=by,
            at=at,
            title=_("新的并联办理任务：%(number)s"),
            body=_("%(window)s 分办了 %(talent)s 的申办事项，请及时受理。")
            % {"window": application.window.name, "talent": application.talent.name},
            data={"department": department.name, "corrected_items": corrected},
        )
        tasks.append(task)
    return tasks


# --- the department's work --------------------------------------------------------------------------


@transaction.atomic
def request_materials(task, *, items, note="", by, at, expected_version=None) -> MaterialRequest:
    """一次性告知: before accepting, ask for every missing material at once. A second request on the same
    task is flagged to the window, because it means the first one was not complete."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "request-materials", by=by)
    items = [
        {
            "key": str(i.get("key", ""))[:40],
            "name": _required_text(i.get("name"), _("请写明需补正的材料名称。"))[:200],
            "note": str(i.get("note", ""))[:300],
        }
        for i in items or []
    ]
    if not items:
        raise CaseworkError(_("请一次性列出所有需要补正的材料。"))
    request = MaterialRequest.objects.create(
        task=task, items=items, note=(note or "")[:MAX_NOTE], requested_by=by, requested_at=at
    )
    task.materials_request_count += 1
    fields = ["materials_request_count"]
    second = task.materials_request_count >= 2
    if second:
        task.flagged_to_window = True
        fields.append("flagged_to_window")
    _move(
        task,
        TaskStatus.MATERIALS_REQUESTED,
        action=CaseAction.REQUEST_MATERIALS,
        by=by,
        at=at,
        note=note,
        data={"items": items, "request": request.pk, "count": task.materials_request_count},
        fields=fields,
    )
    # The department's clock stops; the unit's supplement is timed from now (counted against the unit).
    _stop_clocks(task=task, stages=[Stage.ACCEPTANCE], by=by, at=at)
    _start_clock(Stage.SUPPLEMENT, application=task.application, task=task, at=at)
    application = task.application
    notify(
        _unit(application),
        kind="materials_requested",
        title=_("请补正材料：%(number)s") % {"number": task.number},
        body="；".join(i["name"] for i in items),
        link=task.get_absolute_url(),
        at=at,
    )
    _tell_talent(
        task,
        "materials_requested",
        body=_("需补正的材料：%(names)s。您的单位专员将协助补正。")
        % {"names": "；".join(i["name"] for i in items)},
        at=at,
    )
    if second:
        notify(
            _users(PostKind.WINDOW, at, window=application.window),
            kind="materials_requested_again",
            title=_("同一任务第 %(n)d 次要求补正材料：%(number)s")
            % {"n": task.materials_request_count, "number": task.number},
            body=_("%(department)s 未能一次性告知，请关注。") % {"department": task.department.name},
            link=task.get_absolute_url(),
            at=at,
        )
    return request


@transaction.atomic
def resubmit_task(task, *, note="", handovers=None, by, at, expected_version=None) -> Task:
    """一次性告知, then 补正后提交: the unit commissioner sends the task back to the department once every
    material the open notice named is supplied: uploaded against the notice, or handed over in person.

    ``handovers`` maps a notice item's reference (``R1``, ``R2`` …) to the commissioner's note of how and
    to whom the paper was handed over; it is kept on the notice and in the event. Resubmitting with an
    item neither uploaded nor handed over is refused, naming the missing items, and changes nothing."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "resubmit", by=by)
    request = (
        task.material_requests.select_for_update(of=("self",))
        .filter(fulfilled_at__isnull=True)
        .order_by("-requested_at", "-id")
        .first()
    )
    handovers = {str(ref): (text or "").strip() for ref, text in (handovers or {}).items()}
    uploaded, handed_over = [], []
    if request is not None:
        rows = {row["ref"]: row for row in request.rows()}
        unknown = sorted(set(handovers) - set(rows))
        if unknown:
            raise CaseworkError(_("补正通知中没有这些材料：%(refs)s。") % {"refs": "、".join(unknown)})
        supplied = request.supplied()
        missing = []
        for ref, row in rows.items():
            if supplied[ref]:
                uploaded.append(ref)
            elif ref in handovers:
                if not handovers[ref]:
                    raise CaseworkError(
                        _("请说明“%(name)s”当面递交的情况（交给谁、何时）。") % {"name": row["name"]}
                    )
                handed_over.append({"ref": ref, "name": row["name"], "note": handovers[ref][:300]})
            else:
                missing.append(row["name"])
        if missing:
            raise CaseworkError(
                _("以下补正材料尚未上传：%(names)s。已当面递交的，请勾选“已当面递交”并说明。")
                % {"names": "；".join(missing)}
            )
        request.fulfilled_at = at
        request.fulfilled_by = by
        request.handovers = [{"ref": h["ref"], "note": h["note"]} for h in handed_over]
        request.save(update_fields=["fulfilled_at", "fulfilled_by", "handovers"])
    _move(
        task,
        TaskStatus.PENDING,
        action=CaseAction.RESUBMIT,
        by=by,
        at=at,
        note=note,
        data={
            "request": request.pk if request else None,
            "uploaded": uploaded,
            "handed_over": handed_over,
        },
    )
    _stop_clocks(task=task, stages=[Stage.SUPPLEMENT], by=by, at=at)
    _start_clock(Stage.ACCEPTANCE, application=task.application, task=task, at=at)
    body = ""
    if handed_over:
        body = _("当面递交：%(items)s") % {
            "items": "；".join(f"{h['name']}（{h['note']}）" for h in handed_over)
        }
    notify(
        _users(PostKind.DEPARTMENT, at, department=task.department),
        kind="task_resubmitted",
        title=_("材料已补正：%(number)s") % {"number": task.number},
        body=body,
        link=task.get_absolute_url(),
        at=at,
    )
    return task


@transaction.atomic
def accept_task(task, *, by, at, note="", expected_version=None) -> Task:
    """The department accepts the task: the clock starts, the deadline is the committed limit in working
    days (the day of acceptance not counted)."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "accept", by=by)
    working_days = task.committed_days
    external_due_date = task.application.external_due_date
    if external_due_date is not None:
        # S12-2: a hotline order keeps the date the hotline gave; the task is due no later than that. A
        # date already reached leaves the shortest limit here, and the card sweep judges by the hotline's.
        left = calendar.working_days_between(_today(at), external_due_date)
        working_days = max(1, min(working_days, left))
    task.deadline = open_deadline(
        start_date=_today(at),
        working_days=working_days,
        label=f"{task.number} {task.department.name}",
        responsible=_users(PostKind.DEPARTMENT, at, department=task.department),
        at=at,
    )
    task.accepted_at = at
    task.accepted_by = by
    _move(
        task,
        TaskStatus.ACCEPTED,
        action=CaseAction.ACCEPT,
        by=by,
        at=at,
        note=note,
        data={"due_date": task.deadline.due_date.isoformat(), "provisional": task.deadline.is_provisional},
        fields=["deadline", "accepted_at", "accepted_by"],
    )
    _stop_clocks(task=task, stages=[Stage.ACCEPTANCE], by=by, at=at)
    accepted = _("%(department)s 已受理，承诺 %(date)s 前办结。") % {
        "department": task.department.name,
        "date": task.deadline.due_date.isoformat(),
    }
    notify(
        _unit(task.application),
        kind="task_accepted",
        title=_("已受理：%(number)s") % {"number": task.number},
        body=accepted,
        link=task.get_absolute_url(),
        at=at,
    )
    _tell_talent(task, "accepted", body=accepted, at=at)
    return task


@transaction.atomic
def return_task(task, *, reason, by, at, expected_version=None) -> Task:
    """A misrouted task goes back to the window with the reason; the window reroutes it."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "return", by=by)
    reason = _required_text(reason, _("请说明退回原因。"))
    task.return_reason = reason[:300]
    _move(
        task,
        TaskStatus.RETURNED,
        action=CaseAction.RETURN,
        by=by,
        at=at,
        note=reason,
        data={"department": task.department.name},
        fields=["return_reason"],
    )
    _stop_clocks(task=task, stages=[Stage.ACCEPTANCE, Stage.SUPPLEMENT], by=by, at=at)
    _start_clock(Stage.REROUTE, application=task.application, task=task, at=at)
    notify(
        _users(PostKind.WINDOW, at, window=task.application.window),
        kind="task_returned",
        title=_("部门退回任务，请改派：%(number)s") % {"number": task.number},
        body=reason,
        link=task.get_absolute_url(),
        at=at,
    )
    return task


@transaction.atomic
def reroute_task(task, *, department, by, at, note="", expected_version=None) -> Task:
    """The window sends a returned task to the right department; every hop stays in the history."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "reroute", by=by)
    if department.pk == task.department_id:
        raise CaseworkError(_("改派的部门与原部门相同。"))
    if not department.is_active:
        raise CaseworkError(_("该部门已停用。"))
    previous = task.department
    task.department = department
    task.hops += 1
    task.return_reason = ""
    _move(
        task,
        TaskStatus.PENDING,
        action=CaseAction.REROUTE,
        by=by,
        at=at,
        note=note,
        data={"from_department": previous.name, "to_department": department.name, "hop": task.hops},
        fields=["department", "hops", "return_reason"],
    )
    _stop_clocks(task=task, stages=[Stage.REROUTE], by=by, at=at)
    _start_clock(Stage.ACCEPTANCE, application=task.application, task=task, at=at)
    notify(
        _users(PostKind.DEPARTMENT, at, department=department),
        kind="task_new",
        title=_("窗口改派的任务：%(number)s") % {"number": task.number},
        link=task.get_absolute_url(),
        at=at,
    )
    return task


@transaction.atomic
def delegate_task(task, *, undertaking_org, by, at, note="", expected_version=None) -> Task:
    """S12-3: the department hands the task to one of its undertaking institutions; the deadline stays."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "delegate", by=by)
    if undertaking_org.department_id != task.department_id:
        raise CaseworkError(_("只能交给本部门主管的承办机构。"))
    task.undertaking_org = undertaking_org
    _move(
        task,
        TaskStatus.DELEGATED,
        action=CaseAction.DELEGATE,
        by=by,
        at=at,
        note=note,
        data={"undertaking_org": undertaking_org.name},
        fields=["undertaking_org"],
    )
    notify(
        _users(PostKind.UNDERTAKING, at, undertaking_org=undertaking_org),
        kind="task_delegated",
        title=_("主管部门交办的任务：%(number)s") % {"number": task.number},
        body=_("请于 %(date)s 前办结并向部门专员反馈。") % {"date": task.deadline.due_date.isoformat()},
        link=task.get_absolute_url(),
        at=at,
    )
    return task


@transaction.atomic
def report_back(task, *, note, by, at, expected_version=None) -> Task:
    """S13: the undertaking commissioner reports the work done back to the department commissioner."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "report-back", by=by)
    note = _required_text(note, _("请填写办理情况。"))
    _move(task, TaskStatus.ACCEPTED, action=CaseAction.REPORT_BACK, by=by, at=at, note=note)
    notify(
        _users(PostKind.DEPARTMENT, at, department=task.department),
        kind="task_reported_back",
        title=_("承办机构已反馈：%(number)s") % {"number": task.number},
        body=note,
        link=task.get_absolute_url(),
        at=at,
    )
    return task


@transaction.atomic
def suspend_task(task, *, reason, legal_basis, by, at, expected_version=None) -> Suspension:
    """Stop the clock for a period the law excludes (hearing, inspection, expert review…)."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "suspend", by=by)
    legal_basis = _required_text(legal_basis, _("请写明中止计时的法律依据。"))
    suspension = Suspension.objects.create(
        task=task, reason=reason, legal_basis=legal_basis[:300], started_on=_today(at), started_by=by
    )
    task.resume_status = task.status
    _move(
        task,
        TaskStatus.SUSPENDED,
        action=CaseAction.SUSPEND,
        by=by,
        at=at,
        note=legal_basis,
        data={"reason": reason},
        fields=["resume_status"],
    )
    return suspension


@transaction.atomic
def resume_task(task, *, by, at, note="", expected_version=None) -> Suspension:
    """Restart the clock: the due date moves by the working days the suspension excluded."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "resume", by=by)
    suspension = task.suspensions.select_for_update().get(ended_on__isnull=True)
    today = _today(at)
    paused = max(0, calendar.working_days_between(suspension.started_on, today))
    suspension.ended_on = today
    suspension.ended_by = by
    suspension.paused_days = paused
    suspension.save(update_fields=["ended_on", "ended_by", "paused_days"])
    old_due = task.deadline.due_date
    if paused:
        postpone_deadline(
            task.deadline,
            new_due_date=calendar.add_working_days(old_due, paused),
            reason=_("中止计时 %(n)d 个工作日（%(reason)s）")
            % {"n": paused, "reason": suspension.get_reason_display()},
            by=by,
            at=at,
        )
        task.deadline.refresh_from_db()
    back_to = task.resume_status or TaskStatus.ACCEPTED
    task.resume_status = ""
    _move(
        task,
        back_to,
        action=CaseAction.RESUME,
        by=by,
        at=at,
        note=note,
        data={
            "paused_days": paused,
            "old_due_date": old_due.isoformat(),
            "new_due_date": task.deadline.due_date.isoformat(),
        },
        fields=["resume_status"],
    )
    return suspension


def extension_cap_days() -> int:
    """Working days a task's extensions may add in total before one needs the window's approval."""
    return int(settings.HUICAI_EXTENSION_CAP_DAYS)


def _tell_of_extension(task, extension, *, at):
    """The unit commissioner and the talent hear of a new completion date (the explanation W13 asks for)."""
    notify(
        _unit(task.application),
        kind="task_extended",
        title=_("办理延期：%(number)s") % {"number": task.number},
        body=extension.explanation,
        link=task.get_absolute_url(),
        at=at,
    )
    _tell_talent(
        task,
        "extended",
        body=_("新的办结日期：%(date)s。%(explanation)s")
        % {"date": extension.new_due_date.isoformat(), "explanation": extension.explanation},
        at=at,
    )


@transaction.atomic
def extend_task(
    task, *, new_due_date, reason, explanation, explained_via, by, at, expected_version=None
) -> Extension:
    """W13: a task that cannot finish on time — before its deadline — gets a new completion date, an
    explanation to the talent (directly or through the unit commissioner), and is filed with the window
    commissioner, who acknowledges it. Overdue is then judged against the new date.

    The 12345 rules cap what extensions may add: past ``HUICAI_EXTENSION_CAP_DAYS`` working days in total
    for the task, the extension is only requested (超长延期): the window approves or refuses it
    (``approve_extension``, ``refuse_extension``) and until it approves, the deadline does not move."""
    task = _lock_task(task, expected_version)
    # Before the table's guard, which hides the step from the department meanwhile: say why.
    if task.extensions.filter(status=ExtensionStatus.AWAITING_APPROVAL).exists():
        raise InvalidTransition(_("该任务已有一项超长延期在等待窗口审批，请等审批结果后再申请。"))
    _refuse_unless(task, "extend", by=by)
    if _today(at) > task.deadline.due_date:
        raise CaseworkError(_("已超过办结期限，不能再申请延期；请尽快办结。"))
    reason = _required_text(reason, _("请说明延期原因。"))
    explanation = _required_text(explanation, _("请填写向人才所作的说明。"))
    old_due = task.deadline.due_date
    # The same checks as the calendar's postponement, made here too because an extension past the cap
    # does not postpone anything until it is approved.
    if new_due_date is None or new_due_date <= old_due:
        raise CaseworkError(_("新的办结日期须晚于原截止日期 %(date)s。") % {"date": old_due.isoformat()})
    if not calendar.get_calendar().is_working_day(new_due_date):
        raise CaseworkError(_("新的办结日期 %(date)s 不是工作日。") % {"date": new_due_date.isoformat()})
    days = calendar.working_days_between(old_due, new_due_date)
    used = sum(
        task.extensions.filter(status__in=COUNTED_EXTENSION_STATUSES).values_list("working_days", flat=True)
    )
    cap = extension_cap_days()
    over_cap = used + days > cap
    if not over_cap:
        postpone_deadline(task.deadline, new_due_date=new_due_date, reason=reason, by=by, at=at)
        task.deadline.refresh_from_db()
        new_due_date = task.deadline.due_date
    extension = Extension.objects.create(
        task=task,
        reason=reason,
        old_due_date=old_due,
        new_due_date=new_due_date,
        explanation=explanation,
        explained_via=explained_via,
        requested_by=by,
        requested_at=at,
        working_days=days,
        status=ExtensionStatus.AWAITING_APPROVAL if over_cap else ExtensionStatus.FILED,
    )
    _move(
        task,
        task.status,
        action=CaseAction.EXTEND,
        by=by,
        at=at,
        note=reason,
        data={
            "old_due_date": old_due.isoformat(),
            "new_due_date": extension.new_due_date.isoformat(),
            "explained_via": explained_via,
            "extension": extension.pk,
            "working_days": days,
            "total_working_days": used + days,
            "needs_approval": over_cap,
        },
    )
    application = task.application
    if over_cap:
        notify(
            _users(PostKind.WINDOW, at, window=application.window),
            kind="extension_needs_approval",
            title=_("超长延期待审批：%(number)s") % {"number": task.number},
            body=_(
                "累计延期 %(total)d 个工作日，超过 %(cap)d 个工作日的上限。原截止 %(old)s，申请延至 %(new)s。原因：%(reason)s"
            )
            % {
                "total": used + days,
                "cap": cap,
                "old": old_due.isoformat(),
                "new": extension.new_due_date.isoformat(),
                "reason": reason,
            },
            link=task.get_absolute_url(),
            at=at,
        )
        return extension
    notify(
        _users(PostKind.WINDOW, at, window=application.window),
        kind="extension_filed",
        title=_("延期备案待确认：%(number)s") % {"number": task.number},
        body=_("原截止 %(old)s，新办结日期 %(new)s。原因：%(reason)s")
        % {"old": old_due.isoformat(), "new": extension.new_due_date.isoformat(), "reason": reason},
        link=task.get_absolute_url(),
        at=at,
    )
    _tell_of_extension(task, extension, at=at)
    return extension


def _lock_extension(extension):
    return lock_for_update(
        Extension.objects.select_related(
            "task__application__talent__home_window",
            "task__application__unit_post__user",
            "task__application__window",
            "task__department",
            "task__deadline",
        ),
        extension.pk,
        error=StaleVersion,
    )


@transaction.atomic
def acknowledge_extension(extension, *, by, at) -> Extension:
    """The window commissioner acknowledges the filed delay (W13)."""
    extension = _lock_extension(extension)
    task = extension.task
    access.EXTENSION_STEPS.check("acknowledge", extension, by=by, error=InvalidTransition)
    if extension.acknowledged_at is not None:
        raise InvalidTransition(_("该延期已由窗口确认。"))
    extension.acknowledged_by = by
    extension.acknowledged_at = at
    extension.save(update_fields=["acknowledged_by", "acknowledged_at"])
    CaseEvent.objects.create(
        application=task.application,
        task=task,
        action=CaseAction.ACKNOWLEDGE_EXTENSION,
        from_status=task.status,
        to_status=task.status,
        by=by,
        at=at,
        data={"extension": extension.pk},
    )
    return extension


@transaction.atomic
def approve_extension(extension, *, by, at, note="") -> Extension:
    """超长延期: the window approves an extension past the cap; only now does the deadline move, and the
    unit commissioner and the talent are told the new date. The task must still be running."""
    extension = _lock_extension(extension)
    access.EXTENSION_STEPS.check("approve", extension, by=by, error=InvalidTransition)
    task = _lock_task(extension.task)
    if task.status not in (*RUNNING_STATUSES, TaskStatus.SUSPENDED):
        raise InvalidTransition(
            _("任务已%(status)s，无需再批准延期。") % {"status": task.get_status_display()}
        )
    old_due = task.deadline.due_date
    if extension.new_due_date <= old_due:
        raise CaseworkError(_("申请的新办结日期已不晚于当前截止日期，无需批准；请部门重新申请。"))
    postpone_deadline(
        task.deadline, new_due_date=extension.new_due_date, reason=extension.reason, by=by, at=at
    )
    task.deadline.refresh_from_db()
    extension.status = ExtensionStatus.APPROVED
    extension.decided_by = by
    extension.decided_at = at
    extension.decision_reason = (note or "").strip()[:300]
    # Approval is the stronger acknowledgement: the window has seen and accepted the filing.
    extension.acknowledged_by = by
    extension.acknowledged_at = at
    extension.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "acknowledged_by",
            "acknowledged_at",
        ]
    )
    _move(
        task,
        task.status,
        action=CaseAction.APPROVE_EXTENSION,
        by=by,
        at=at,
        note=extension.decision_reason,
        data={
            "extension": extension.pk,
            "old_due_date": old_due.isoformat(),
            "new_due_date": task.deadline.due_date.isoformat(),
        },
    )
    notify(
        [extension.requested_by, *_users(PostKind.DEPARTMENT, at, department=task.department)],
        kind="extension_approved",
        title=_("超长延期已批准：%(number)s") % {"number": task.number},
        body=_("新的办结日期：%(date)s。") % {"date": task.deadline.due_date.isoformat()},
        link=task.get_absolute_url(),
        at=at,
    )
    _tell_of_extension(task, extension, at=at)
    return extension


@transaction.atomic
def refuse_extension(extension, *, reason, by, at) -> Extension:
    """超长延期: the window refuses an extension past the cap, with its reason. The deadline stays; the
    department is told (and must finish by it, or ask again for less)."""
    extension = _lock_extension(extension)
    access.EXTENSION_STEPS.check("refuse", extension, by=by, error=InvalidTransition)
    reason = _required_text(reason, _("请说明不批准的理由。"))
    task = _lock_task(extension.task)
    extension.status = ExtensionStatus.REFUSED
    extension.decided_by = by
    extension.decided_at = at
    extension.decision_reason = reason[:300]
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _move(
        task,
        task.status,
        action=CaseAction.REFUSE_EXTENSION,
        by=by,
        at=at,
        note=reason,
        data={"extension": extension.pk, "due_date": task.deadline.due_date.isoformat()},
    )
    notify(
        [extension.requested_by, *_users(PostKind.DEPARTMENT, at, department=task.department)],
        kind="extension_refused",
        title=_("超长延期未获批准：%(number)s") % {"number": task.number},
        body=_("请于 %(date)s 前办结。理由：%(reason)s")
        % {"date": task.deadline.due_date.isoformat(), "reason": reason},
        link=task.get_absolute_url(),
        at=at,
    )
    return extension


@transaction.atomic
def complete_task(task, *, result, note="", document=None, by, at, expected_version=None) -> Task:
    """The department completes the task with a result (handled, or not handled with the reason) and
    reports to both the unit and the window commissioner (W13). The application closes when no task is
    open."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "complete", by=by)
    if result not in Result.values:
        raise CaseworkError(_("请选择办理结果。"))
    if result == Result.NOT_HANDLED:
        note = _required_text(note, _("不予办理的，须说明理由。"))
    fields = ["result", "result_note", "completed_at", "completed_by"]
    task.completed_at = at
    if document is not None:
        # 结果文书: checked by content, stored under a random name; the original name only for the download.
        facts = inspect_upload(document)
        task.result_document_name = facts["original_name"]
        task.result_document_type = facts["content_type"]
        task.result_document_extension = facts["extension"]
        task.result_document.save(facts["original_name"], document, save=False)
        fields += [
            "result_document",
            "result_document_name",
            "result_document_type",
            "result_document_extension",
        ]
    task.result = result
    task.result_note = (note or "")[:MAX_NOTE]
    task.completed_by = by
    close_deadline(task.deadline, at=at)
    on_time = _today(at) <= task.deadline.due_date
    _move(
        task,
        TaskStatus.COMPLETED,
        action=CaseAction.COMPLETE,
        by=by,
        at=at,
        note=note or "",
        data={"result": result, "on_time": on_time},
        fields=fields,
    )
    application = task.application
    # S11-3: the unit commissioner tells the talent the result; that step is the unit's, timed from now.
    _start_clock(Stage.INFORMING, application=application, task=task, at=at)
    notify(
        [*_unit(application), *_users(PostKind.WINDOW, at, window=application.window)],
        kind="task_completed",
        title=_("已办结：%(number)s（%(result)s）")
        % {"number": task.number, "result": task.get_result_display()},
        body=task.result_note,
        link=task.get_absolute_url(),
        at=at,
    )
    _tell_talent(
        task,
        "completed",
        body=_("办理结果：%(result)s。%(note)s")
        % {"result": task.get_result_display(), "note": task.result_note},
        at=at,
    )
    _close_if_done(application, by=by, at=at)
    return task


@transaction.atomic
def inform_talent(task, *, via, by, at, note="", expected_version=None) -> Task:
    """S11-3: the unit commissioner records that the talent was told the result (when, how)."""
    task = _lock_task(task, expected_version)
    access.require(access.is_unit_commissioner_of(by, task.application.talent))
    _refuse_unless(task, "inform")
    if task.informed_at is not None:
        raise InvalidTransition(_("已记录告知人才。"))
    task.informed_at = at
    task.informed_via = via
    task.informed_by = by
    _move(
        task,
        task.status,
        action=CaseAction.INFORM,
        by=by,
        at=at,
        note=note,
        data={"via": via},
        fields=["informed_at", "informed_via", "informed_by"],
    )
    _stop_clocks(task=task, stages=[Stage.INFORMING], by=by, at=at)
    return task


@transaction.atomic
def withdraw_task(task, *, reason, by, at, expected_version=None) -> Task:
    """The talent or the unit commissioner withdraws one task, with a reason."""
    task = _lock_task(task, expected_version)
    _refuse_unless(task, "withdraw", by=by)
    reason = _required_text(reason, _("请说明撤回原因。"))
    _withdraw_one(task, reason=reason, by=by, at=at)
    _close_if_done(task.application, by=by, at=at)
    return task


def _withdraw_one(task, *, reason, by, at):
    if task.deadline_id and task.deadline.is_open:
        close_deadline(task.deadline, at=at)
    task.withdraw_reason = reason[:300]
    if task.status == TaskStatus.SUSPENDED:
        task.suspensions.filter(ended_on__isnull=True).update(ended_on=_today(at), ended_by=by)
    _stop_clocks(task=task, by=by, at=at)
    _move(
        task,
        TaskStatus.WITHDRAWN,
        action=CaseAction.WITHDRAW,
        by=by,
        at=at,
        note=reason,
        fields=["withdraw_reason"],
    )
    notify(
        _users(PostKind.DEPARTMENT, at, department=task.department),
        kind="task_withdrawn",
        title=_("申办人已撤回：%(number)s") % {"number": task.number},
        body=reason,
        link=task.get_absolute_url(),
        at=at,
    )


@transaction.atomic
def withdraw_application(application, *, reason, by, at, expected_version=None) -> Application:
    """Withdraw a whole application: every open task is withdrawn with the same reason."""
    application = _lock_application(application, expected_version)
    talent = application.talent
    access.require(access.is_unit_commissioner_of(by, talent) or access.is_talent(by, talent))
    _refuse_application_unless(application, "withdraw")
    reason = _required_text(reason, _("请说明撤回原因。"))
    for task in (
        Task.objects.select_for_update(of=("self",))
        .filter(application=application, status__in=OPEN_TASK_STATUSES)
        .select_related("deadline", "department", "application")
    ):
        _withdraw_one(task, reason=reason, by=by, at=at)
    _stop_clocks(application=application, stages=[Stage.TRIAGE], by=by, at=at)
    completed = application.tasks.filter(status=TaskStatus.COMPLETED).exists()
    application.withdraw_reason = reason[:300]
    application.closed_at = at
    _move_application(
        application,
        ApplicationStatus.CLOSED if completed else ApplicationStatus.WITHDRAWN,
        action=CaseAction.WITHDRAW,
        by=by,
        at=at,
        note=reason,
        fields=["withdraw_reason", "closed_at"],
    )
    return application


def _close_if_done(application, *, by, at):
    """An application closes when every task is completed or withdrawn, never with a task open."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.status != ApplicationStatus.IN_PROGRESS:
        return
    if application.tasks.filter(status__in=OPEN_TASK_STATUSES).exists():
        return
    application.closed_at = at
    any_completed = application.tasks.filter(status=TaskStatus.COMPLETED).exists()
    _move_application(
        application,
        ApplicationStatus.CLOSED if any_completed else ApplicationStatus.WITHDRAWN,
        action=CaseAction.CLOSE,
        by=by,
        at=at,
        fields=["closed_at"],
    )


# --- hotline work orders (W10, S12-2) ---------------------------------------------------------------


@transaction.atomic
def open_hotline_case(
    *, talent, source, external_ref, content, by, at, service_item=None, department=None, due_date=None
) -> Application:
    """S12-2: a work order transferred from the 12345 or provincial talent hotline becomes a case.

    With a department (given, or the matched item's), it becomes a task in that department's queue at once;
    otherwise it goes to the talent's home window, which assigns a department (``route_hotline_case``).
    The limit is the item's committed limit, or the working days left until the hotline's own deadline.
    One case per hotline order: the same order id twice is refused by a unique constraint.
    """
    if source not in (Source.HOTLINE_12345, Source.HOTLINE_PROVINCIAL):
        raise CaseworkError(_("未知的热线来源。"))
    external_ref = _required_text(external_ref, _("缺少热线工单号。"))[:64]
    content = _required_text(content, _("缺少诉求内容。"))
    if Application.objects.filter(source=source, external_ref=external_ref).exists():
        raise InvalidTransition(_("该热线工单已经转办。"))
    assignment = talent.unit_assignments.open().select_related("post").first()
    application = Application.objects.create(
        number=f"TMP-{uuid.uuid4().hex[:24]}",
        talent=talent,
        unit_post=assignment.post if assignment else None,
        window=talent.home_window,
        source=source,
        external_ref=external_ref,
        external_due_date=due_date,
        content=content[:MAX_NOTE],
        created_by=by,
        created_at=at,
        submitted_at=at,
    )
    application.number = f"RX{_today(at):%Y%m%d}{application.pk:06d}"
    application.save(update_fields=["number"])
    lines = []
    if service_item is not None and service_item.published_version_id:
        lines = [
            ApplicationItem.objects.create(
                application=application,
                service_item=service_item,
                item_version=service_item.published_version,
            )
        ]
        department = department or service_item.department
    CaseEvent.objects.create(
        application=application,
        action=CaseAction.HOTLINE,
        to_status=ApplicationStatus.DRAFT,
        by=by,
        at=at,
        note=content[:MAX_NOTE],
        data={"source": source, "external_ref": external_ref},
    )
    if department is not None:
        application.route = Route.DEPARTMENT
        _move_application(
            application,
            ApplicationStatus.IN_PROGRESS,
            action=CaseAction.SUBMIT,
            by=by,
            at=at,
            fields=["route", "submitted_at"],
        )
        _hotline_task(application, department, lines, by=by, at=at)
    else:
        application.route = Route.WINDOW
        _move_application(
            application,
            ApplicationStatus.SUBMITTED,
            action=CaseAction.SUBMIT,
            by=by,
            at=at,
            fields=["route", "submitted_at"],
        )
        # The window's routing of an order that matched no item is timed like a triage.
        _start_clock(Stage.TRIAGE, application=application, at=at)
        notify(
            _users(PostKind.WINDOW, at, window=application.window),
            kind="hotline_to_route",
            title=_("待指派的热线工单：%(number)s") % {"number": application.number},
            body=content[:200],
            link=application.get_absolute_url(),
            at=at,
        )
    return application


def _hotline_limit(application, lines, at) -> int:
    if lines and lines[0].item_version.committed_days:
        return lines[0].item_version.committed_days
    if application.external_due_date:
        return max(1, calendar.working_days_between(_today(at), application.external_due_date))
    return HOTLINE_DEFAULT_DAYS


HOTLINE_DEFAULT_DAYS = 5


def _hotline_task(application, department, lines, *, by, at):
    return _open_task(
        application,
        department,
        lines,
        committed_days=_hotline_limit(application, lines, at),
        action=CaseAction.SUBMIT,
        by=by,
        at=at,
        title=_("热线转办任务：%(number)s"),
        body=application.content[:200],
    )


@transaction.atomic
def route_hotline_case(application, *, department, by, at, note="", expected_version=None) -> Task:
    """The window assigns a hotline order that matched no item to the department that handles it."""
    application = _lock_application(application, expected_version)
    if not access.is_window_over(by, application.talent):
        raise NotAllowed(_("只有属地窗口专员可以指派热线工单。"))
    if application.source == Source.UNIT:
        raise InvalidTransition(_("该工单不在待指派状态（可能已被他人指派，请刷新）。"))
    _refuse_application_unless(application, "route")
    lines = list(application.items.select_related("item_version"))
    _move_application(
        application,
        ApplicationStatus.IN_PROGRESS,
        action=CaseAction.ROUTE,
        by=by,
        at=at,
        note=note,
        data={"department": department.name},
    )
    _stop_clocks(application=application, stages=[Stage.TRIAGE], by=by, at=at)
    return _hotline_task(application, department, lines, by=by, at=at)
