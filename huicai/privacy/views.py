"""The talent's "my data" page (phone first), their exports and requests; the window's request queue.

Every state change calls actions.py; a refusal is shown as the action's Chinese message.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts.roles import get_scope
from huicai.casework.models import Application
from huicai.privacy import access, actions, export, forms, retention
from huicai.privacy.choices import RequestKind, RequestStatus
from huicai.privacy.models import DataRequest
from huicai.talents.models import Talent


def _my_talent(request):
    """The signed-in talent's own record; anyone else has no "my data" page (404)."""
    talent_id = get_scope(request.user).talent_id
    talent = (
        Talent.objects.select_related("category", "employer", "home_window").filter(pk=talent_id).first()
        if talent_id
        else None
    )
    if talent is None:
        raise Http404
    return talent


def _refusal(error) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or _("您无权执行此操作。")


@login_required
def my_data(request):
    """PIPL art. 45: everything held about me, who looked at it, my consents and my requests."""
    talent = _my_talent(request)
    applications = (
        talent.applications.filter(consent_at__isnull=False)
        .select_related("consent_withdrawal")
        .order_by("-consent_at")
    )
    context = {
        "talent": talent,
        "cards": talent.cards.order_by("-issued_date"),
        "applications": applications,
        "requests": talent.data_requests.order_by("-filed_at"),
        "access_log": access.access_log(talent)[:50],
        # What the other apps keep about me, by kind (titles and counts only: the reasons are for staff).
        "holdings": [row for row in retention.holdings(talent) if row["count"]],
        "form": forms.DataRequestForm(),
        "working_days": _working_days(),
    }
    return render(request, "privacy/my_data.html", context)


def _working_days():
    from django.conf import settings

    return settings.HUICAI_PRIVACY_REQUEST_WORKING_DAYS


@login_required
def export_json(request):
    talent = _my_talent(request)
    data = export.personal_data(talent)
    actions.record_self_export(talent, fmt="json", by=request.user, at=timezone.now(), request=request)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
def export_pdf(request):
    talent = _my_talent(request)
    body = export.render_pdf(export.personal_data(talent))
    actions.record_self_export(talent, fmt="pdf", by=request.user, at=timezone.now(), request=request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="my-data.pdf"'
    return response


@login_required
@require_POST
def file_request(request):
    talent = _my_talent(request)
    form = forms.DataRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择请求类型并说明内容。"))
        return redirect("privacy:mine")
    try:
        data_request = actions.file_request(
            talent,
            kind=form.cleaned_data["kind"],
            details=form.cleaned_data["details"],
            by=request.user,
            at=timezone.now(),
            request=request,
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request,
            _("请求已提交，属地窗口将于 %(due)s 前答复。") % {"due": data_request.due_date.isoformat()},
        )
    return redirect("privacy:mine")


@login_required
@require_POST
def withdraw_consent(request, pk):
    talent = _my_talent(request)
    # Only the talent's own applications: another's is not found.
    application = Application.objects.filter(pk=pk, talent=talent).first()
    if application is None:
        raise Http404
    try:
        actions.withdraw_consent(application, by=request.user, at=timezone.now(), request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request, _("已撤回同意。此前依同意办理的事项不受影响，今后的申办将重新征求您的同意。")
        )
    return redirect("privacy:mine")


@login_required
def request_list(request):
    """The window's queue of requests, oldest deadline first."""
    scope = get_scope(request.user)
    if not scope.window_paths:
        raise PermissionDenied
    requests = (
        DataRequest.objects.visible_to(request.user)
        .select_related("talent", "window")
        .order_by("status", "due_date", "id")
    )
    return render(request, "privacy/request_list.html", {"requests": requests, "today": timezone.localdate()})


@login_required
def request_detail(request, pk):
    data_request = access.get_request_for_user(request.user, pk)
    answerable = access.can_answer(request.user, data_request)
    form = forms.AnswerForm(request.POST or None)
    if request.method == "POST":
        if not answerable:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.answer_request(
                    data_request,
                    outcome=form.cleaned_data["outcome"],
                    answer=form.cleaned_data["answer"],
                    by=request.user,
                    at=timezone.now(),
                    request=request,
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _refusal(error))
            else:
                messages.success(request, _("已答复。"))
            return redirect("privacy:request", pk=data_request.pk)
    return render(
        request,
        "privacy/request_detail.html",
        {
            "data_request": data_request,
            "form": form,
            "can_answer": answerable and data_request.status == RequestStatus.OPEN,
            "today": timezone.localdate(),
            # What the other apps hold and what a deletion or restriction does to it: for the window only.
            "holdings": retention.holdings(data_request.talent)
            if answerable and data_request.kind != RequestKind.CORRECTION
            else None,
        },
    )
