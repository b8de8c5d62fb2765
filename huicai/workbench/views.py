"""The workbenches: one board per role, the sections of each board, the new-application wizard, the
one-click actions of the boards, and the managers' dashboard.

A board shows the first page of each of its sections; each section also has its own URL, answered with
the partial for an HTMX request (filters, pages, one-click actions swap only that section) and with a
page of its own otherwise, so everything works without JavaScript and from the keyboard. State changes
are POST only and call casework's actions; refusals are shown next to the form that caused them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts.roles import get_scope
from huicai.casework import access as casework_access
from huicai.casework import actions
from huicai.casework.choices import ApplicationStatus, Route
from huicai.casework.forms import ConsentForm, InformForm, RerouteForm, UploadForm
from huicai.casework.models import Extension, Task
from huicai.catalogue.choices import Category, ServiceMode
from huicai.catalogue.models import ServiceItem
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.org.models import Department
from huicai.talents.models import Talent, id_number_ref, looks_like_id_number
from huicai.workbench import boards, dashboard, forms
from huicai.workbench.access import (
    BOARD_LABELS,
    DASHBOARD,
    QUEUE,
    TALENT,
    UNIT,
    WINDOW,
    boards_for,
    get_draft_for_wizard,
    get_my_talent,
    require_board,
)

BOARD_URLS = {
    TALENT: "workbench:talent",
    UNIT: "workbench:unit",
    WINDOW: "workbench:window",
    QUEUE: "workbench:queue",
    DASHBOARD: "workbench:dashboard",
}


def _clock(now):
    return boards.Clock.on(timezone.localdate(now))


def _board_context(request, current, **extra):
    held = boards_for(request.user)
    return {
        "board": current,
        "board_links": [(b, BOARD_LABELS[b], reverse(BOARD_URLS[b])) for b in held],
        **extra,
    }


def _page_number(params):
    return params.get("page") or 1


# --- sections -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One section of a board: the board it belongs to, how to read it, and its partial template."""

    name: str
    board: str
    title: str
    build: Callable  # (request, params, now) -> dict for the template
    template: str


def _talent_applications(request, params, now, talent=None):
    if talent is None:
        talent = Talent.objects.visible_to(request.user).filter(pk=get_scope(request.user).talent_id).first()
    return {"page": boards.talent_applications(request.user, talent, _page_number(params))}


def _unit_talents(request, params, now):
    today = timezone.localdate(now)
    form = forms.TalentSearchForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "form": form,
        "page": boards.unit_talents(request.user, today=today, data=data, page_number=_page_number(params)),
        "expiring_count": boards.count_expiring(request.user, today),
        "warning_days": boards.CARD_EXPIRY_WARNING_DAYS,
    }


def _unit_materials(request, params, now):
    page = boards.unit_materials_requested(request.user, _page_number(params))
    return {"page": boards.mark_stages(page, timezone.localdate(now))}


def _unit_results(request, params, now, errors=None):
    page = boards.unit_results_to_pass_on(request.user, _page_number(params))
    boards.mark_stages(page, timezone.localdate(now))
    for task in page:
        task.inform_form = InformForm(prefix=f"inform-{task.pk}", initial={"version": task.version})
    return {"page": page, "errors": errors or {}}


def _unit_drafts(request, params, now):
    return {"page": boards.unit_drafts(request.user, _page_number(params))}


def _unit_applications(request, params, now):
    form = forms.ApplicationStatusForm(params or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return {
        "form": form,
        "page": boards.unit_applications(request.user, status=status, page_number=_page_number(params)),
    }


def _departments():
    return list(
        Department.objects.filter(is_active=True).select_related("division").order_by("division__code", "id")
    )


def _window_intake(request, params, now, errors=None, bound=None):
    page = boards.window_intake(request.user, _page_number(params))
    boards.mark_stages(page, timezone.localdate(now))
    departments = _departments()
    for application in page:
        lines = list(application.items.all())
        if bound is not None and bound[0] == application.pk:
            application.split_form = bound[1]
        else:
            application.split_form = forms.SplitForm(
                prefix=f"split-{application.pk}",
                lines=lines,
                departments=departments,
                initial={"version": application.version},
            )
        application.route_fields = [(line, application.split_form[f"route-{line.pk}"]) for line in lines]
    return {"page": page, "errors": errors or {}}


def _window_returned(request, params, now, errors=None, bound=None):
    page = boards.window_returned(request.user, _page_number(params))
    boards.mark_stages(page, timezone.localdate(now))
    for task in page:
        if bound is not None and bound[0] == task.pk:
            task.reroute_form = bound[1]
        else:
            task.reroute_form = RerouteForm(prefix=f"reroute-{task.pk}", initial={"version": task.version})
    return {"page": page, "errors": errors or {}}


def _window_extensions(request, params, now, errors=None):
    return {"page": boards.window_extensions(request.user, _page_number(params)), "errors": errors or {}}


def _window_supervision(request, params, now):
    clock = _clock(now)
    return {
        "page": boards.supervision_rows(request.user, clock, _page_number(params)),
        "due_soon_days": boards.DUE_SOON_WORKING_DAYS,
    }


def _window_supervision_tasks(request, params, now):
    clock = _clock(now)
    form = forms.SupervisionFilterForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    department = data.get("department")
    return {
        "form": form,
        "page": boards.supervision_tasks(
            request.user,
            clock,
            department_id=department.pk if department else None,
            state=data.get("state", ""),
            page_number=_page_number(params),
        ),
    }


def _window_unassigned(request, params, now):
    return {"page": boards.window_unassigned(request.user, _page_number(params))}


def _queue_tasks(request, params, now):
    clock = _clock(now)
    form = forms.TaskStateForm(params or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    return {
        "form": form,
        "page": boards.queue_tasks(request.user, clock, state=state, page_number=_page_number(params)),
        "counts": boards.queue_counts(request.user, clock),
    }


SECTIONS = {
    section.name: section
    for section in [
        Section(
            "talent_applications",
            TALENT,
            "我的申办",
            _talent_applications,
            "workbench/partials/talent_applications.html",
        ),
        Section("unit_talents", UNIT, "我的人才", _unit_talents, "workbench/partials/unit_talents.html"),
        Section(
            "unit_materials", UNIT, "待补正材料", _unit_materials, "workbench/partials/unit_materials.html"
        ),
        Section(
            "unit_results",
            UNIT,
            "待告知人才的办理结果",
            _unit_results,
            "workbench/partials/unit_results.html",
        ),
        Section("unit_drafts", UNIT, "未提交的申办草稿", _unit_drafts, "workbench/partials/unit_drafts.html"),
        Section(
            "unit_applications",
            UNIT,
            "全部申办",
            _unit_applications,
            "workbench/partials/unit_applications.html",
        ),
        Section(
            "window_intake",
            WINDOW,
            "待梳理分办的多事项申办",
            _window_intake,
            "workbench/partials/window_intake.html",
        ),
        Section(
            "window_returned",
            WINDOW,
            "部门退回待改派的任务",
            _window_returned,
            "workbench/partials/window_returned.html",
        ),
        Section(
            "window_extensions",
            WINDOW,
            "待确认的延期备案",
            _window_extensions,
            "workbench/partials/window_extensions.html",
        ),
        Section(
            "window_supervision",
            WINDOW,
            "督办看板",
            _window_supervision,
            "workbench/partials/window_supervision.html",
        ),
        Section(
            "window_supervision_tasks",
            WINDOW,
            "督办任务清单",
            _window_supervision_tasks,
            "workbench/partials/window_supervision_tasks.html",
        ),
        Section(
            "window_unassigned",
            WINDOW,
            "无在岗单位专员的人才",
            _window_unassigned,
            "workbench/partials/window_unassigned.html",
        ),
        Section("queue_tasks", QUEUE, "我的办理队列", _queue_tasks, "workbench/partials/queue_tasks.html"),
    ]
}


def _section_context(request, name, params, now, **extra):
    section = SECTIONS[name]
    context = section.build(request, params, now, **extra)
    context.update(
        name=name,
        title=section.title,
        template=section.template,
        url=reverse("workbench:section", args=[name]),
        query=_query_without_page(params),
    )
    return context


def _query_without_page(params):
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


def _render_section(request, name, now, *, status=200, flash="", **extra):
    """The section alone for HTMX, else a page holding only this section (filters and pages work without
    JavaScript)."""
    params = request.GET if request.method == "GET" else QueryDict()
    s = _section_context(request, name, params, now, **extra)
    s["flash"] = flash
    if request.htmx:
        return render(request, s["template"], {"s": s}, status=status)
    context = _board_context(request, SECTIONS[name].board, s=s)
    return render(request, "workbench/section_page.html", context, status=status)


def _talent_search_redirect(request, url):
    """Answer a POSTed talent search with the URL of its results, an ID number in it only as its keyed
    hash: the number never appears in an address, an access log or the browser's history."""
    form = forms.TalentSearchForm(request.POST)
    params = {}
    if form.is_valid():
        data = form.cleaned_data
        q = data["q"].strip()
        if looks_like_id_number(q):
            params["ref"] = id_number_ref(q)
        elif q:
            params["q"] = q
        elif data["ref"]:
            params["ref"] = data["ref"]
        if data["category"]:
            params["category"] = data["category"].pk
        if data["expiring"]:
            params["expiring"] = "on"
    return redirect(f"{url}?{urlencode(params)}" if params else url)


@login_required
def section(request, name):
    spec = SECTIONS.get(name)
    if spec is None:
        raise Http404
    require_board(request.user, spec.board)
    if request.method == "POST" and name == "unit_talents":
        return _talent_search_redirect(request, reverse("workbench:section", args=[name]))
    return _render_section(request, name, timezone.now())


def _sections(request, names, now):
    empty = QueryDict()
    return {name: _section_context(request, name, empty, now) for name in names}


# --- boards ---------------------------------------------------------------------------------------------


@login_required
def home(request):
    """The first board the person holds (see access.BOARD_ORDER); the others are a tab away."""
    held = boards_for(request.user)
    if not held:
        return render(request, "workbench/no_board.html", _board_context(request, None))
    return BOARD_VIEWS[held[0]](request)


@login_required
def talent_board(request):
    """W16 on a phone: cards and their QR codes, the unit commissioner, every application with each task's
    progress, booking, policies for me, messages."""
    require_board(request.user, TALENT)
    now = timezone.now()
    today = timezone.localdate(now)
    data = boards.talent_board(request.user, at=now, today=today)
    data.update(boards.talent_follow_ups(request.user, today=today))
    data["sections"] = {
        "talent_applications": _section_context(
            request, "talent_applications", QueryDict(), now, talent=data["talent"]
        )
    }
    return render(
        request, "workbench/talent_board.html", _board_context(request, TALENT, **data, today=today)
    )


@login_required
def unit_board(request):
    """S11: my talents, a new application, everything waiting on me, all my applications."""
    require_board(request.user, UNIT)
    now = timezone.now()
    names = ["unit_materials", "unit_results", "unit_drafts", "unit_talents", "unit_applications"]
    context = _board_context(
        request,
        UNIT,
        sections=_sections(request, names, now),
        follow_ups=boards.unit_follow_ups(request.user, today=timezone.localdate(now)),
    )
    return render(request, "workbench/unit_board.html", context)


@login_required
def window_board(request):
    """S14, W9, W13: intake to split, returned tasks to reroute, delays to acknowledge, the supervision board
    and the talents without a unit commissioner."""
    require_board(request.user, WINDOW)
    now = timezone.now()
    names = [
        "window_intake",
        "window_returned",
        "window_extensions",
        "window_supervision",
        "window_unassigned",
    ]
    context = _board_context(
        request,
        WINDOW,
        sections=_sections(request, names, now),
        record_url=boards.url_or_none("directservices:record"),
        follow_ups=boards.window_follow_ups(request.user, today=timezone.localdate(now)),
    )
    return render(request, "workbench/window_board.html", context)


@login_required
def queue_board(request):
    """S12, S13: my queue by deadline with due-soon and overdue marked; the counter (card number or QR)."""
    require_board(request.user, QUEUE)
    now = timezone.now()
    context = _board_context(
        request,
        QUEUE,
        sections=_sections(request, ["queue_tasks"], now),
        record_url=boards.url_or_none("directservices:record"),
        services_url=boards.url_or_none("directservices:services"),
        appointments_url=boards.url_or_none("directservices:appointments"),
        services=boards.recent_direct_services(request.user),
        appointments_to_confirm=boards.count_appointments_to_confirm(request.user, at=now),
        follow_ups=boards.queue_follow_ups(request.user),
    )
    return render(request, "workbench/queue_board.html", context)


# --- one-click actions on the boards --------------------------------------------------------------------


def _after_action(request, name, now, *, ok, error=None, **extra):
    """Re-render the section for HTMX (success or refusal shown in it), else redirect to the board."""
    if request.htmx:
        return _render_section(request, name, now, flash=ok if error is None else "", **extra)
    if error is None:
        messages.success(request, ok)
    else:
        messages.error(request, "；".join(error))
    return redirect(BOARD_URLS[SECTIONS[name].board])


def _messages_of(error):
    return list(getattr(error, "messages", None) or [str(error)])


@login_required
@require_POST
def split(request, pk):
    """W13: the window splits a multi-item application into one task per department."""
    require_board(request.user, WINDOW)
    application = casework_access.get_application_for_user(request.user, pk)
    lines = list(application.items.select_related("item_version", "service_item"))
    form = forms.SplitForm(request.POST, prefix=f"split-{pk}", lines=lines, departments=_departments())
    now = timezone.now()
    if not form.is_valid():
        return _after_action(
            request, "window_intake", now, ok="", error=[_("请检查各事项的主管部门。")], bound=(pk, form)
        )
    try:
        tasks = actions.split_application(
            application,
            routes=form.routes(),
            note=form.cleaned_data["note"],
            by=request.user,
            at=now,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        return _after_action(
            request, "window_intake", now, ok="", error=_messages_of(error), errors={pk: _messages_of(error)}
        )
    return _after_action(
        request,
        "window_intake",
        now,
        ok=_("%(number)s 已分办为 %(n)d 个任务。") % {"number": application.number, "n": len(tasks)},
    )


@login_required
@require_POST
def reroute(request, pk):
    """A misrouted task goes to the right department."""
    require_board(request.user, WINDOW)
    task = casework_access.get_task_for_user(request.user, pk)
    form = RerouteForm(request.POST, prefix=f"reroute-{pk}")
    now = timezone.now()
    if not form.is_valid():
        return _after_action(
            request, "window_returned", now, ok="", error=[_("请选择改派的部门。")], bound=(pk, form)
        )
    try:
        actions.reroute_task(
            task,
            department=form.cleaned_data["department"],
            note=form.cleaned_data["note"],
            by=request.user,
            at=now,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        return _after_action(
            request,
            "window_returned",
            now,
            ok="",
            error=_messages_of(error),
            errors={pk: _messages_of(error)},
        )
    return _after_action(
        request,
        "window_returned",
        now,
        ok=_("%(number)s 已改派至 %(department)s。")
        % {"number": task.number, "department": form.cleaned_data["department"].name},
    )


@login_required
@require_POST
def acknowledge(request, pk):
    """W13: the window acknowledges a delay the department filed."""
    require_board(request.user, WINDOW)
    extension = (
        Extension.objects.filter(task__in=Task.objects.visible_to(request.user), pk=pk)
        .select_related("task")
        .first()
    )
    if extension is None:
        raise Http404
    now = timezone.now()
    try:
        actions.acknowledge_extension(extension, by=request.user, at=now)
    except ValidationError as error:
        return _after_action(
            request,
            "window_extensions",
            now,
            ok="",
            error=_messages_of(error),
            errors={pk: _messages_of(error)},
        )
    return _after_action(
        request,
        "window_extensions",
        now,
        ok=_("已确认 %(number)s 的延期备案。") % {"number": extension.task.number},
    )


@login_required
@require_POST
def inform(request, pk):
    """S11-3: the unit commissioner records that the talent was told the result."""
    require_board(request.user, UNIT)
    task = casework_access.get_task_for_user(request.user, pk)
    form = InformForm(request.POST, prefix=f"inform-{pk}")
    now = timezone.now()
    if not form.is_valid():
        return _after_action(
            request,
            "unit_results",
            now,
            ok="",
            error=[_("请选择告知方式。")],
            errors={pk: [_("请选择告知方式。")]},
        )
    try:
        actions.inform_talent(
            task,
            via=form.cleaned_data["via"],
            note=form.cleaned_data["note"],
            by=request.user,
            at=now,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        return _after_action(
            request, "unit_results", now, ok="", error=_messages_of(error), errors={pk: _messages_of(error)}
        )
    return _after_action(
        request, "unit_results", now, ok=_("已记录告知 %(number)s 的结果。") % {"number": task.number}
    )


# --- the new-application wizard (S11-1, W13) ------------------------------------------------------------

WIZARD_STEPS = [
    ("talent", "选择人才"),
    ("items", "选择事项"),
    ("materials", "上传材料"),
    ("consent", "人才同意"),
    ("review", "核对提交"),
]


def _wizard_context(request, step, **extra):
    return _board_context(request, UNIT, steps=WIZARD_STEPS, step=step, **extra)


@login_required
def apply_talent(request):
    """Step 1: choose the talent (searchable, paginated)."""
    require_board(request.user, UNIT)
    if request.method == "POST":
        return _talent_search_redirect(request, reverse("workbench:apply"))
    now = timezone.now()
    form = forms.TalentSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = boards.unit_talents(
        request.user, today=timezone.localdate(now), data=data, page_number=_page_number(request.GET)
    )
    context = _wizard_context(request, "talent", form=form, page=page, query=_query_without_page(request.GET))
    template = "workbench/partials/apply_talent_rows.html" if request.htmx else "workbench/apply_talent.html"
    return render(request, template, context)


def _items_open_to(talent):
    """The published by-application items open to the talent, in catalogue order — judged as
    casework.actions.create_application judges them, so nothing offered here is refused there."""
    items = list(
        ServiceItem.objects.published()
        .filter(published_version__mode=ServiceMode.APPLICATION)
        .select_related("published_version__department")
        .order_by("category", "code")
    )
    return [item for item in items if item.published_version.check_open_to(talent)]


def _grouped(items):
    order = {value: rank for rank, value in enumerate(Category.values)}
    groups = {}
    for item in sorted(items, key=lambda i: (order.get(i.published_version.category, 99), i.code)):
        groups.setdefault(item.published_version.get_category_display(), []).append(item)
    return list(groups.items())


@login_required
def apply_items(request, talent_pk):
    """Step 2: choose the items, each with its guide (conditions, materials, limits, where)."""
    require_board(request.user, UNIT)
    talent = get_my_talent(request.user, talent_pk)
    items = _items_open_to(talent)
    queryset = ServiceItem.objects.filter(pk__in=[item.pk for item in items])
    form = forms.ItemsForm(request.POST or None, items=queryset)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                application = actions.create_application(
                    talent=talent,
                    items=list(form.cleaned_data["items"].order_by("category", "code")),
                    note=form.cleaned_data["note"],
                    by=request.user,
                    at=timezone.now(),
                )
            except ValidationError as error:
                for message in _messages_of(error):
                    form.add_error("items", message)
            else:
                messages.success(
                    request, _("申办草稿已创建：%(number)s。请上传材料。") % {"number": application.number}
                )
                return redirect("workbench:apply_materials", application.pk)
    chosen = {str(value) for value in (form["items"].value() or [])}
    context = _wizard_context(
        request, "items", talent=talent, form=form, groups=_grouped(items), chosen=chosen
    )
    return render(request, "workbench/apply_items.html", context, status=status)


def _material_rows(application):
    """Each line with its guide's materials and the files uploaded for each."""
    lines = list(application.items.select_related("item_version", "service_item__department").order_by("id"))
    files = list(application.materials.order_by("uploaded_at", "id"))
    for line in lines:
        line.rows = [
            {
                "spec": spec,
                "files": [f for f in files if f.application_item_id == line.pk and f.key == spec["key"]],
            }
            for spec in line.item_version.data.get("materials", [])
        ]
        line.missing = [
            row["spec"] for row in line.rows if row["spec"].get("required", True) and not row["files"]
        ]
    return lines


def _draft_or_leave(request, pk):
    """The draft to prepare, or a redirect to its page when it has been submitted meanwhile."""
    application = get_draft_for_wizard(request.user, pk)
    if application.status != ApplicationStatus.DRAFT:
        messages.info(request, _("该申办已提交，不能再修改。"))
        return application, redirect(application)
    return application, None


@login_required
def apply_materials(request, pk):
    """Step 3: upload what each item's guide asks for (checked by content; stored outside the web root)."""
    require_board(request.user, UNIT)
    application, leave = _draft_or_leave(request, pk)
    if leave:
        return leave
    errors = {}
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        target = (request.POST.get("line"), request.POST.get("key"))
        status = 400
        if not form.is_valid():
            errors[target] = form.errors.get("file") or [_("请选择要上传的文件。")]
        else:
            line = application.items.filter(pk=form.cleaned_data["line"]).first()
            if line is None:
                raise Http404
            try:
                actions.upload_material(
                    line,
                    key=form.cleaned_data["key"],
                    file=form.cleaned_data["file"],
                    by=request.user,
                    at=timezone.now(),
                )
            except ValidationError as error:
                errors[target] = _messages_of(error)
            else:
                if not request.htmx:
                    messages.success(request, _("材料已上传。"))
                    return redirect("workbench:apply_materials", pk)
                status = 200
    lines = _material_rows(application)
    context = _wizard_context(request, "materials", application=application, lines=lines, errors=errors)
    if request.htmx:
        # htmx swaps 2xx only: a refused file comes back as 200 with the error beside its field.
        return render(request, "workbench/partials/apply_materials_lines.html", context)
    return render(request, "workbench/apply_materials.html", context, status=status)


@login_required
def apply_consent(request, pk):
    """Step 4: record how and when the talent agreed."""
    require_board(request.user, UNIT)
    application, leave = _draft_or_leave(request, pk)
    if leave:
        return leave
    initial = {"version": application.version}
    if application.consent_method:
        initial.update(method=application.consent_method, note=application.consent_note)
    form = ConsentForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.record_consent(
                    application,
                    method=form.cleaned_data["method"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                    at=timezone.now(),
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                for message in _messages_of(error):
                    form.add_error(None, message)
            else:
                return redirect("workbench:apply_review", pk)
    context = _wizard_context(request, "consent", application=application, form=form)
    return render(request, "workbench/apply_consent.html", context, status=status)


@login_required
def apply_review(request, pk):
    """Step 5: everything at a glance, and where it goes before it goes (W13: one item to its department,
    several to the window)."""
    require_board(request.user, UNIT)
    application, leave = _draft_or_leave(request, pk)
    if leave:
        return leave
    errors = []
    status = 200
    if request.method == "POST":
        try:
            application = actions.submit_application(
                application, by=request.user, at=timezone.now(), expected_version=request.POST.get("version")
            )
        except ValidationError as error:
            errors = _messages_of(error)
            status = 400
            application = get_draft_for_wizard(request.user, pk)
        else:
            if application.route == Route.DEPARTMENT:
                task = application.tasks.select_related("department").get()
                note = _("已直接报送 %(department)s。") % {"department": task.department.name}
            else:
                note = _("已报送 %(window)s 梳理分办。") % {"window": application.window.name}
            messages.success(request, _("申办 %(number)s 已提交，") % {"number": application.number} + note)
            return redirect("workbench:unit")
    lines = _material_rows(application)
    departments = {line.service_item.department.name for line in lines}
    context = _wizard_context(
        request,
        "review",
        application=application,
        lines=lines,
        missing=[(line, spec) for line in lines for spec in line.missing],
        to_department=lines[0].service_item.department if len(lines) == 1 else None,
        departments=sorted(departments),
        errors=errors,
    )
    return render(request, "workbench/apply_review.html", context, status=status)


# --- the managers' dashboard (W17) ---------------------------------------------------------------------


@login_required
def dashboard_page(request):
    require_board(request.user, DASHBOARD)
    board = dashboard.build(request.user, today=timezone.localdate())
    stats = [(label, board["stats"][key], key) for key, label in dashboard.STAT_LABELS]
    context = _board_context(
        request, DASHBOARD, dash=board, stats=stats, charts=list(board["charts"].values())
    )
    return render(request, "workbench/dashboard.html", context)


@login_required
def dashboard_data(request):
    """The chart data as JSON, scoped to the manager's jurisdiction; drawn by static/workbench/dashboard.js."""
    require_board(request.user, DASHBOARD)
    board = dashboard.build(request.user, today=timezone.localdate())
    return JsonResponse(dashboard.as_json(board), json_dumps_params={"ensure_ascii": False})


@login_required
def dashboard_export(request):
    """The figures behind the charts as Excel; audited as an export (SECURITY.md)."""
    require_board(request.user, DASHBOARD)
    form = forms.ExportForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404
    chart = form.cleaned_data.get("chart") if form.is_bound else ""
    today = timezone.localdate()
    board = dashboard.build(request.user, today=today)
    content = dashboard.export_workbook(board, keys={chart} if chart else None)
    audit.record(AuditEvent.Kind.EXPORT, request=request, detail=f"workbench dashboard:{chart or 'all'}")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="huicai-dashboard-{today:%Y%m%d}.xlsx"'
    return response


@login_required
def dashboard_applications(request):
    """The list behind the per-month and per-category charts."""
    require_board(request.user, DASHBOARD)
    form = forms.DashboardApplicationsForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        applications = dashboard.applications_in_scope(request.user).none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        applications = dashboard.applications_list(
            request.user,
            month=data.get("month"),
            category=data.get("category", ""),
            window=data.get("window"),
        )
    page = boards.paginate(applications, _page_number(request.GET), size=25)
    context = _board_context(request, DASHBOARD, form=form, page=page, query=_query_without_page(request.GET))
    return render(request, "workbench/dashboard_applications.html", context)


@login_required
def dashboard_tasks(request):
    """The list behind the on-time and open/overdue charts."""
    require_board(request.user, DASHBOARD)
    clock = _clock(timezone.now())
    form = forms.DashboardTasksForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        tasks = dashboard.tasks_in_scope(request.user).none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        tasks = dashboard.tasks_list(
            request.user,
            clock,
            state=data.get("state", ""),
            department=data.get("department"),
            window=data.get("window"),
        )
    page = boards.paginate(tasks, _page_number(request.GET), size=25)
    for task in page:
        task.flag = clock.flag(task)
    context = _board_context(request, DASHBOARD, form=form, page=page, query=_query_without_page(request.GET))
    return render(request, "workbench/dashboard_tasks.html", context)


BOARD_VIEWS = {
    TALENT: talent_board,
    UNIT: unit_board,
    WINDOW: window_board,
    QUEUE: queue_board,
    DASHBOARD: dashboard_page,
}
