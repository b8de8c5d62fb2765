"""Minimal working pages for each step of the flow (the full workbenches come later)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts.roles import Role, get_scope, is_staff_member, takes_part_in_cases
from huicai.casework import access, actions, forms
from huicai.casework.choices import ApplicationStatus, TaskStatus
from huicai.casework.models import Application, Extension, Material, MaterialRequest, Task
from huicai.casework.steps import STEPS_BY_NAME, available_steps
from huicai.catalogue.choices import ServiceMode
from huicai.catalogue.models import ServiceItem
from huicai.commissioners.models import UnitAssignment
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.org.models import Department
from huicai.talents.models import Talent

PAGE_SIZE = 25

STEP_FORMS = {
    "request-materials": forms.RequestMaterialsForm,
    "accept": forms.NoteForm,
    "return": forms.ReasonForm,
    "resubmit": forms.ResubmitForm,
    "reroute": forms.RerouteForm,
    "delegate": forms.DelegateForm,
    "report-back": forms.ReportBackForm,
    "suspend": forms.SuspendForm,
    "resume": forms.NoteForm,
    "extend": forms.ExtendForm,
    "complete": forms.CompleteForm,
    "inform": forms.InformForm,
    "withdraw": forms.ReasonForm,
}


def _step_form(name, task, data=None, files=None):
    form_class = STEP_FORMS[name]
    kwargs = {"prefix": name, "initial": {"version": task.version}}
    if name == "request-materials":
        materials = []
        for line in task.items.select_related("item_version"):
            materials += line.item_version.data.get("materials", [])
        kwargs["materials"] = materials
    if name == "delegate":
        kwargs["department"] = task.department
    if name == "resubmit":
        request = _open_request(task)
        kwargs["rows"] = request.rows() if request is not None else []
    if name == "reroute":
        kwargs["suggested"] = catalogue_departments(task)
    return form_class(data, files, **kwargs)


def catalogue_departments(task) -> list[int]:
    """The departments the catalogue gives the task's items, other than the one holding it (issue 12: the
    reroute picker suggests them)."""
    ids = task.items.values_list("service_item__department_id", flat=True).order_by("pk")
    return [pk for pk in dict.fromkeys(ids) if pk and pk != task.department_id]


def _step_data(name, form):
    data = dict(form.cleaned_data)
    if name == "request-materials":
        data["items"] = form.requested_items()
    if name == "resubmit":
        data["handovers"] = form.handovers()
    return data


def _open_request(task):
    """The notice the task waits for (一次性告知), if any."""
    return task.material_requests.filter(fulfilled_at__isnull=True).order_by("-requested_at", "-id").first()


def _line_for(lines, row):
    """The application item a notice's material is filed under: the item whose guide lists it, else the
    task's first item (a material the department named in its own words)."""
    if row["key"]:
        for line in lines:
            if any(spec["key"] == row["key"] for spec in line.item_version.data.get("materials", [])):
                return line
    return lines[0] if lines else None


def _supplement(task, user):
    """What the unit commissioner supplies on the task page, item by item against the notice: the open
    notice while the task waits for it, or, after an early resubmission while the task is open, the last
    notice (further uploads still attach to it and the department is told). None for anyone else."""
    if not access.is_unit_commissioner_of(user, task.application.talent):
        return None
    if task.status == TaskStatus.MATERIALS_REQUESTED:
        request, late = _open_request(task), False
    elif task.status in actions.LATE_UPLOAD_STATUSES:
        request = task.material_requests.order_by("-requested_at", "-id").first()
        late = True
    else:
        return None
    if request is None:
        return None
    lines = list(task.items.select_related("item_version"))
    supplied = request.supplied(list(request.materials.all()))
    handed = request.handed_over_refs
    rows = [
        {
            **row,
            "files": supplied[row["ref"]],
            "handed_over": row["ref"] in handed,
            "line": _line_for(lines, row),
        }
        for row in request.rows()
    ]
    return {"request": request, "rows": rows, "late": late}


@login_required
def application_list(request):
    if not takes_part_in_cases(request.user):
        raise PermissionDenied
    applications = (
        Application.objects.visible_to(request.user)
        .select_related("talent", "window", "unit_post__user")
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = get_scope(request.user)
    return render(
        request,
        "casework/application_list.html",
        {"page": page, "statuses": ApplicationStatus.choices, "can_create": Role.UNIT in scope.roles},
    )


@login_required
def task_list(request):
    """The caller's queue: open tasks they can see, soonest deadline first; overdue and due-soon marked.
    Commissioners only: a talent follows their tasks on their own applications' pages."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    # W9: a task under a 督办 waiting for the department's answer stays at the top of the queue. A real
    # cycle: supervision builds on casework (its orders are on tasks), and this queue shows its orders.
    from huicai.supervision.models import in_queue_order

    tasks = in_queue_order(
        Task.objects.visible_to(request.user)
        .open()
        .with_extension_flags()
        .select_related("application__talent", "department", "deadline", "undertaking_org")
    )
    status = request.GET.get("status")
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/task_list.html",
        {"page": page, "today": timezone.localdate(), "statuses": TaskStatus.choices},
    )


@login_required
def application_create(request):
    scope = get_scope(request.user)
    if Role.UNIT not in scope.roles:
        raise PermissionDenied
    talents = Talent.objects.visible_to(request.user).filter(
        pk__in=UnitAssignment.objects.open().filter(post_id__in=scope.unit_post_ids).values("talent_id")
    )
    items = (
        ServiceItem.objects.published()
        .filter(published_version__mode=ServiceMode.APPLICATION)
        .order_by("code")
    )
    form = forms.NewApplicationForm(request.POST or None, talents=talents, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            application = actions.create_application(
                talent=form.cleaned_data["talent"],
                items=list(form.cleaned_data["items"]),
                note=form.cleaned_data["note"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("申办已创建，请上传材料并记录人才同意后提交。"))
            return redirect(application)
    return render(request, "casework/application_form.html", {"form": form})


def _application_context(request, application, **extra):
    # Need-to-know: a department or institution sees its own tasks, their items and materials only.
    part = access.application_part_for(request.user, application)
    lines = list(
        part.items(application.items.select_related("item_version", "service_item__department", "task"))
    )
    materials = list(part.materials(application.materials.select_related("application_item")))
    for line in lines:
        have = {m.key for m in materials if m.application_item_id == line.pk}
        line.material_rows = [
            {
                "spec": spec,
                "files": [m for m in materials if m.application_item_id == line.pk and m.key == spec["key"]],
            }
            for spec in line.item_version.data.get("materials", [])
        ]
        line.missing = [spec for spec in line.materials_required if spec["key"] not in have]
    tasks = list(part.tasks(application.tasks.select_related("department", "deadline", "undertaking_org")))
    user = request.user
    is_unit = access.is_unit_commissioner_of(user, application.talent)
    # 一次性告知: what each task waiting for materials asked for, to upload before resubmitting.
    open_requests = []
    if is_unit:
        lines_by_task = {}
        for line in lines:
            lines_by_task.setdefault(line.task_id, line)
        for material_request in MaterialRequest.objects.filter(
            task__application=application, task__status="materials_requested", fulfilled_at__isnull=True
        ).select_related("task"):
            rows = [
                {"key": item.get("key") or f"R{n}", "name": item["name"], "note": item.get("note", "")}
                for n, item in enumerate(material_request.items, start=1)
            ]
            open_requests.append(
                {
                    "request": material_request,
                    "line": lines_by_task.get(material_request.task_id),
                    "rows": rows,
                }
            )
    is_window = access.is_window_over(user, application.talent)

    def offers(step):
        return access.APPLICATION_STEPS[step].allows(application)

    context = {
        "application": application,
        "part": part,
        "lines": lines,
        "tasks": tasks,
        # W13/W16: each open step of the case, who holds it and until when (a task holder sees the steps of
        # its own tasks and those of the application as a whole, not its siblings').
        "open_steps": [
            step
            for step in application.open_steps(tasks=tasks)
            if step.task is None or part.sees_task(step.task)
        ],
        "today": timezone.localdate(),
        "events": part.events(application.events.select_related("by", "task").order_by("at", "id")),
        # The states each form is offered in come from the table the actions' guard reads.
        "can_edit": is_unit and offers("submit"),
        "can_split": bool(is_window) and offers("split") and application.source == "unit",
        "can_route": bool(is_window) and offers("route") and application.source != "unit",
        "can_withdraw": (is_unit or access.is_talent(user, application.talent)) and offers("withdraw"),
        "open_requests": open_requests,
        "consent_form": forms.ConsentForm(prefix="consent", initial={"version": application.version}),
        "withdraw_form": forms.ReasonForm(prefix="withdraw", initial={"version": application.version}),
        "departments": Department.objects.filter(is_active=True).order_by("division__code", "id"),
        "suggested": actions.suggested_routes(application)
        if application.status == ApplicationStatus.SUBMITTED
        else {},
    }
    context.update(extra)
    return context


@login_required
def application_detail(request, pk):
    application = access.get_application_for_user(request.user, pk)
    return render(request, "casework/application_detail.html", _application_context(request, application))


def _refused(request, error, target):
    if isinstance(error, actions.StaleVersion):
        messages.error(request, error.messages[0])
        response = redirect(target)
        response.status_code = 303
        return response
    messages.error(request, "；".join(error.messages))
    return redirect(target)


@login_required
@require_POST
def application_step(request, pk, step):
    application = access.get_application_for_user(request.user, pk)
    now = timezone.now()
    try:
        if step == "upload":
            form = forms.UploadForm(request.POST, request.FILES)
            if not form.is_valid():
                raise actions.CaseworkError(_("请选择要上传的文件。"))
            line = application.items.filter(pk=form.cleaned_data["line"]).first()
            if line is None:
                raise Http404
            material_request = None
            if request.POST.get("request"):
                material_request = MaterialRequest.objects.filter(
                    pk=int(request.POST["request"]) if request.POST["request"].isdigit() else 0,
                    task__application=application,
                ).first()
                if material_request is None:
                    raise Http404
            actions.upload_material(
                line,
                key=form.cleaned_data["key"],
                file=form.cleaned_data["file"],
                by=request.user,
                at=now,
                request=material_request,
            )
            messages.success(request, _("材料已上传。"))
        elif step == "consent":
            form = forms.ConsentForm(request.POST, prefix="consent")
            if not form.is_valid():
                raise actions.CaseworkError(_("请选择同意方式。"))
            actions.record_consent(
                application,
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
                by=request.user,
                at=now,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("已记录人才同意。"))
        elif step == "submit":
            actions.submit_application(
                application, by=request.user, at=now, expected_version=request.POST.get("version")
            )
            messages.success(request, _("申办已提交。"))
        elif step == "split":
            routes = {
                int(key.removeprefix("route-")): int(value)
                for key, value in request.POST.items()
                if key.startswith("route-") and key.removeprefix("route-").isdigit() and value.isdigit()
            }
            actions.split_application(
                application,
                routes=routes,
                note=request.POST.get("note", "")[:2000],
                by=request.user,
                at=now,
                expected_version=request.POST.get("version"),
            )
            messages.success(request, _("已分办到各主管部门。"))
        elif step == "route":
            department = Department.objects.filter(
                pk=request.POST.get("department") or 0, is_active=True
            ).first()
            if department is None:
                raise actions.CaseworkError(_("请选择承办部门。"))
            actions.route_hotline_case(
                application,
                department=department,
                note=request.POST.get("note", "")[:2000],
                by=request.user,
                at=now,
                expected_version=request.POST.get("version"),
            )
            messages.success(request, _("已指派到 %(department)s。") % {"department": department.name})
        elif step == "withdraw":
            form = forms.ReasonForm(request.POST, prefix="withdraw")
            if not form.is_valid():
                raise actions.CaseworkError(_("请说明撤回原因。"))
            actions.withdraw_application(
                application,
                reason=form.cleaned_data["reason"],
                by=request.user,
                at=now,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("申办已撤回。"))
        else:
            raise Http404
    except ValidationError as error:  # CaseworkError and the validators of workdays and uploads
        return _refused(request, error, application)
    return redirect(application)


@login_required
def task_detail(request, pk, bound=None):
    task = access.get_task_for_user(request.user, pk)
    # Steps with a form of their own; the extension's acknowledgement is a button on its row.
    steps = [step for step in available_steps(request.user, task) if step.name in STEP_FORMS]
    step_forms = [
        (step, bound if bound is not None and bound.prefix == step.name else _step_form(step.name, task))
        for step in steps
    ]
    context = {
        "task": task,
        "application": task.application,
        "lines": task.items.select_related("item_version"),
        "materials": task.application.materials.filter(application_item__task=task).select_related(
            "application_item"
        ),
        "events": task.events.select_related("by").order_by("at", "id"),
        "extensions": [
            (extension, [s.name for s in access.EXTENSION_STEPS.available(request.user, extension)])
            for extension in task.extensions.select_related(
                "requested_by", "acknowledged_by", "decided_by", "task__application__talent__home_window"
            )
        ],
        "decision_form": forms.ExtensionDecisionForm(),
        "extension_cap": actions.extension_cap_days(),
        "suspensions": task.suspensions.all(),
        "requests": task.material_requests.all(),
        "supplement": _supplement(task, request.user),
        "step_forms": step_forms,
        "today": timezone.localdate(),
        "can_acknowledge": access.is_window_over(request.user, task.application.talent),
        # Who holds this task's open steps and until when (the acceptance, supplement, reroute, informing).
        "open_steps": [step for step in task.application.open_steps(tasks=[task]) if step.task == task],
    }
    return render(request, "casework/task_detail.html", context, status=400 if bound is not None else 200)


@login_required
@require_POST
def task_step(request, pk, step):
    task = access.get_task_for_user(request.user, pk)
    spec = STEPS_BY_NAME.get(step)
    if spec is None or step not in STEP_FORMS:
        raise Http404
    if not spec.may(request.user, task):
        raise PermissionDenied
    form = _step_form(step, task, request.POST, request.FILES)
    if not form.is_valid():
        return task_detail(request, pk, bound=form)
    try:
        spec.run(
            task,
            _step_data(step, form),
            by=request.user,
            at=timezone.now(),
            expected_version=form.cleaned_data.get("version"),
        )
    except actions.StaleVersion as error:
        messages.error(request, error.messages[0])
        return redirect(task)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return task_detail(request, pk, bound=form)
    messages.success(request, _("已完成：%(step)s") % {"step": spec.label})
    return redirect(task)


@login_required
@require_POST
def task_upload(request, pk):
    """The unit commissioner uploads one material named in the task's notice, on the task page beside the
    补正后提交 button (or after an early resubmission, while the task is open)."""
    task = access.get_task_for_user(request.user, pk)
    material_request = task.material_requests.filter(
        pk=request.POST.get("request") if (request.POST.get("request") or "").isdigit() else 0
    ).first()
    if material_request is None:
        raise Http404
    row = next((r for r in material_request.rows() if r["upload_key"] == request.POST.get("key")), None)
    file = request.FILES.get("file")
    try:
        if row is None:
            raise actions.CaseworkError(_("补正通知中没有这项材料。"))
        if file is None:
            raise actions.CaseworkError(_("请选择要上传的文件。"))
        line = _line_for(list(task.items.select_related("item_version")), row)
        if line is None:
            raise actions.CaseworkError(_("该任务没有申办事项，不能上传材料。"))
        actions.upload_material(
            line,
            key=row["upload_key"],
            file=file,
            by=request.user,
            at=timezone.now(),
            request=material_request,
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        response = redirect(task.get_absolute_url() + "#supplement")
        return response
    messages.success(request, _("已上传：%(name)s") % {"name": row["name"]})
    return redirect(task.get_absolute_url() + "#supplement")


@login_required
def result_document_download(request, pk):
    """结果文书: served only to those who see the task (the talent, their unit commissioner, the window chain,
    the task's own department or institution; another department of the same application gets a 404), as
    an attachment under its original, sanitised name; every download audited."""
    task = Task.objects.visible_to(request.user).filter(pk=pk).exclude(result_document="").first()
    if task is None:
        raise Http404
    audit.record(AuditEvent.Kind.EXPORT, request=request, obj=task, detail="result document download")
    response = FileResponse(
        task.result_document.open("rb"),
        as_attachment=True,
        filename=task.result_document_name or f"{task.number}{task.result_document_extension}",
        content_type=task.result_document_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def extension_decide(request, pk, decision):
    """超长延期: the window approves or refuses an extension past the cap."""
    extension = (
        Extension.objects.filter(task__in=Task.objects.visible_to(request.user), pk=pk)
        .select_related("task")
        .first()
    )
    if extension is None or decision not in ("approve", "refuse"):
        raise Http404
    if not access.EXTENSION_STEPS[decision].may(request.user, extension):
        raise PermissionDenied
    form = forms.ExtensionDecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if decision == "approve":
            actions.approve_extension(extension, note=reason, by=request.user, at=timezone.now())
            messages.success(request, _("已批准超长延期。"))
        else:
            actions.refuse_extension(extension, reason=reason, by=request.user, at=timezone.now())
            messages.success(request, _("已不批准超长延期。"))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect(extension.task)


@login_required
@require_POST
def extension_acknowledge(request, pk):
    extension = (
        Extension.objects.filter(task__in=Task.objects.visible_to(request.user), pk=pk)
        .select_related("task")
        .first()
    )
    if extension is None:
        raise Http404
    try:
        actions.acknowledge_extension(extension, by=request.user, at=timezone.now())
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已确认延期备案。"))
    return redirect(extension.task)


@login_required
def material_download(request, pk):
    """Served only through this permission check, as an attachment with a sanitised name; audited."""
    material = Material.objects.visible_to(request.user).filter(pk=pk).select_related("application").first()
    if material is None:
        raise Http404
    audit.record(AuditEvent.Kind.EXPORT, request=request, obj=material, detail="material download")
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name,
        content_type=material.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
