"""Pages of 好差评 and rectification (W10): 待评价 and the rating form for talents (phone first) and unit
commissioners; the rectification list and its forms for departments and windows.

Every state change goes through actions.py; a refusal is shown as the action's Chinese message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.casework.models import Task
from huicai.directservices.models import DirectService
from huicai.ratings import access, actions, forms
from huicai.ratings.choices import (
    ACTIVE_RECTIFICATION_STATUSES,
    Channel,
    Mode,
    RectificationAction,
    RectificationStatus,
    Ruling,
)
from huicai.ratings.models import Rating, Rectification

PAGE_SIZE = 25


@login_required
def pending(request):
    """待评价: what the talent (or the unit commissioner, for their talents) may still rate."""
    if not access.is_rater(request.user):
        raise PermissionDenied
    entries = access.get_pending_services(request.user, today=timezone.localdate())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ratings/rating_pending.html",
        {"page": page, "window_days": actions.rating_window_days()},
    )


def _rate(request, *, task=None, direct_service=None, talent, completed_at, service_name, department_name):
    channel = access.rater_channel(request.user, talent)
    if channel is None:
        raise PermissionDenied
    is_direct = direct_service is not None
    mode = request.POST.get("mode") or request.GET.get("mode") or Mode.OFFLINE
    if mode not in Mode.values or is_direct:
        mode = Mode.OFFLINE
    form = forms.RatingForm(request.POST or None, mode=mode)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rate_service(
                task=task,
                direct_service=direct_service,
                mode=mode,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("ratings:pending")
    return render(
        request,
        "ratings/rating_form.html",
        {
            "form": form,
            "mode": mode,
            "can_switch_mode": not is_direct,
            "other_mode": Mode.ONLINE if mode == Mode.OFFLINE else Mode.OFFLINE,
            "channel": Channel(channel),
            "talent": talent,
            "service_name": service_name,
            "department_name": department_name,
            "completed_at": completed_at,
            "deadline": actions.rating_deadline(completed_at) if completed_at else None,
        },
    )


@login_required
def rate_task(request, pk):
    task = (
        Task.objects.visible_to(request.user)
        .filter(pk=pk)
        .select_related("application__talent", "department")
        .first()
    )
    if task is None:
        raise Http404
    line = task.items.select_related("item_version").order_by("id").first()
    return _rate(
        request,
        task=task,
        talent=task.application.talent,
        completed_at=task.completed_at,
        service_name=line.item_version.name if line else task.number,
        department_name=task.department.name,
    )


@login_required
def rate_service(request, pk):
    service = (
        DirectService.objects.visible_to(request.user)
        .filter(pk=pk)
        .select_related("talent", "item_version", "department")
        .first()
    )
    if service is None:
        raise Http404
    return _rate(
        request,
        direct_service=service,
        talent=service.talent,
        completed_at=service.served_at,
        service_name=service.item_version.name,
        department_name=service.department.name,
    )


@login_required
def rating_list(request):
    """The ratings the user may see, newest first. The rater is shown by channel only."""
    ratings = (
        Rating.objects.visible_to(request.user)
        .select_related("department", "talent", "task", "rectification")
        .order_by("-rated_at", "-id")
    )
    page = Paginator(ratings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ratings/rating_list.html", {"page": page})


@login_required
def rectification_list(request):
    """整改: the department's rectifications, or those in the window's jurisdiction; active ones first
    by due date (``?status=`` for one state, ``?status=all`` for every one)."""
    if not access.handles_rectifications(request.user):
        raise PermissionDenied
    rectifications = Rectification.objects.visible_to(request.user).select_related(
        "department", "window", "talent"
    )
    status = request.GET.get("status", "")
    if status in RectificationStatus.values:
        rectifications = rectifications.filter(status=status)
    elif status != "all":
        rectifications = rectifications.filter(status__in=ACTIVE_RECTIFICATION_STATUSES)
    rectifications = rectifications.order_by("due_date", "opened_at", "id")
    page = Paginator(rectifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ratings/rectification_list.html",
        {
            "page": page,
            "statuses": RectificationStatus.choices,
            "status": status,
            "today": timezone.localdate(),
        },
    )


@login_required
def rectification_detail(request, pk):
    rectification = access.get_rectification_for_user(request.user, pk)
    user = request.user
    is_department = access.is_department_of(user, rectification)
    is_window = access.is_window_over(user, rectification) and access.handles_rectifications(user)

    def offers(step):
        # The states each step may be taken from: the table the actions' guard reads.
        return access.RECTIFICATION_STEPS[step].allows(rectification)

    events = list(rectification.events.select_related("by").order_by("at", "id"))
    show_appeal = access.handles_rectifications(user)
    for event in events:
        # The appeal's reasons are between the department and the window.
        event.shown_note = event.note if show_appeal or event.action != RectificationAction.APPEAL else ""
    initial = {"version": rectification.version}
    context = {
        "rectification": rectification,
        "ratings": rectification.ratings.select_related("department").order_by("rated_at", "id"),
        "events": events,
        "today": timezone.localdate(),
        "show_appeal": show_appeal,
        "respond_form": forms.RespondForm(prefix="respond", initial=initial)
        if is_department and offers("respond")
        else None,
        # One appeal per rectification: after a rejected one the action refuses another.
        "appeal_form": forms.AppealForm(prefix="appeal", initial=initial)
        if is_department and offers("appeal") and rectification.ruling != Ruling.REJECTED
        else None,
        "callback_form": forms.CallbackForm(prefix="callback", initial=initial)
        if is_window and offers("callback")
        else None,
        "rule_form": forms.RuleForm(prefix="rule", initial=initial) if is_window and offers("rule") else None,
    }
    return render(request, "ratings/rectification_detail.html", context)


STEP_FORMS = {
    "respond": forms.RespondForm,
    "appeal": forms.AppealForm,
    "callback": forms.CallbackForm,
    "rule": forms.RuleForm,
}


def _run_step(step, rectification, data, *, by, at):
    version = data.get("version")
    if step == "respond":
        return actions.respond_rectification(
            rectification,
            kind=data["kind"],
            note=data["note"],
            promised_date=data["promised_date"],
            by=by,
            at=at,
            expected_version=version,
        )
    if step == "appeal":
        return actions.appeal_rectification(
            rectification,
            reason=data["reason"],
            evidence=data["evidence"],
            by=by,
            at=at,
            expected_version=version,
        )
    if step == "callback":
        return actions.record_callback(
            rectification,
            satisfied=data["result"] == "satisfied",
            note=data["note"],
            by=by,
            at=at,
            expected_version=version,
        )
    return actions.rule_on_appeal(
        rectification,
        upheld=data["ruling"] == Ruling.UPHELD,
        note=data["note"],
        by=by,
        at=at,
        expected_version=version,
    )


STEP_DONE = {
    "respond": _("整改情况已答复，窗口将回访人才。"),
    "appeal": _("申诉已提交，等待窗口裁定。"),
    "callback": _("回访结果已记录。"),
    "rule": _("裁定已记录。"),
}


@login_required
@require_POST
def rectification_step(request, pk, step):
    if step not in STEP_FORMS:
        raise Http404
    rectification = access.get_rectification_for_user(request.user, pk)
    # Seen but not theirs to act on: the department answers and appeals, the window calls back and rules.
    if not access.RECTIFICATION_STEPS[step].may(request.user, rectification):
        raise PermissionDenied
    form = STEP_FORMS[step](request.POST, prefix=step)
    if not form.is_valid():
        errors = [str(message) for field_errors in form.errors.values() for message in field_errors]
        messages.error(request, "；".join(errors))
        return redirect(rectification)
    try:
        _run_step(step, rectification, form.cleaned_data, by=request.user, at=timezone.now())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, STEP_DONE[step])
    return redirect(rectification)
