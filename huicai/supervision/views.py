"""Supervision pages: the board of cards and orders, the 督办事项 list and pages, and scheduling rounds.

Every page is for staff: anonymous visitors go to the login page, a record outside the user's reach is a
404, and a page or step the user's role does not allow is a 403. State changes are POST and redirect;
a refused form is shown again with its errors next to the fields (status 400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.casework.access import get_task_for_user
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.supervision import access, actions, forms
from huicai.supervision.choices import CardColour, OrderStatus, RoundStatus
from huicai.supervision.export import round_workbook
from huicai.supervision.models import Card, Round, RoundEntry, SupervisionOrder
from huicai.workdays import calendar

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _orders_first(orders):
    """Orders waiting for the department first, then those waiting for the window, then the rest."""
    return orders.annotate(
        rank=Case(
            When(status=OrderStatus.OPEN, then=Value(0)),
            When(status=OrderStatus.ANSWERED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "due_date", "-raised_at", "-id")


# --- the board ----------------------------------------------------------------------------------------


@login_required
def board(request):
    """W9: the cards and orders of the user's jurisdiction (window) or department, newest cards first."""
    user = request.user
    _require(access.can_use_board(user))
    today = timezone.localdate()
    cards = (
        Card.objects.visible_to(user)
        .select_related(
            "application__talent",
            "task",
            "department",
            "order",
            "clock__window",
            "clock__department",
            "clock__employer",
        )
        .order_by("-issued_at", "-id")
    )
    colour = request.GET.get("colour")
    if colour in CardColour.values:
        cards = cards.filter(colour=colour)
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    orders = SupervisionOrder.objects.visible_to(user)
    stats = orders.aggregate(
        waiting=Count("pk", filter=Q(status=OrderStatus.OPEN)),
        answered=Count("pk", filter=Q(status=OrderStatus.ANSWERED)),
        late=Count("pk", filter=Q(status=OrderStatus.OPEN, due_date__lt=today)),
    )
    stats.update(
        Card.objects.visible_to(user)
        .filter(issued_on=today)
        .aggregate(
            yellow_today=Count("pk", filter=Q(colour=CardColour.YELLOW)),
            red_today=Count("pk", filter=Q(colour=CardColour.RED)),
        )
    )
    live = _orders_first(orders.live().select_related("task__application__talent", "task__department"))[:10]
    return render(
        request,
        "supervision/board.html",
        {
            "page": page,
            "stats": stats,
            "live_orders": live,
            "colours": CardColour.choices,
            "today": today,
        },
    )


@login_required
def card_detail(request, pk):
    card = access.get_card_for_user(request.user, pk)
    return render(request, "supervision/card_detail.html", {"card": card, "today": timezone.localdate()})


# --- supervision orders (督办) -------------------------------------------------------------------------


@login_required
def order_list(request):
    """督办事项: open orders first (for a department, the ones waiting for its answer), then the rest."""
    user = request.user
    _require(access.can_use_board(user))
    orders = SupervisionOrder.objects.visible_to(user).select_related(
        "task__application__talent", "task__department", "window"
    )
    status = request.GET.get("status")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    page = Paginator(_orders_first(orders), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/order_list.html",
        {"page": page, "statuses": OrderStatus.choices, "today": timezone.localdate()},
    )


@login_required
def order_create(request, task_pk):
    """W9: a window commissioner raises a 督办 on a task of its jurisdiction."""
    task = get_task_for_user(request.user, task_pk)
    _require(access.can_raise_order(request.user, task))
    form = forms.RaiseOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = actions.raise_order(
                task,
                content=form.cleaned_data["content"],
                due_in_days=form.cleaned_data["due_in_days"],
                due_date=form.cleaned_data["due_date"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("已督办，承办部门须于 %(date)s 前书面答复。") % {"date": order.due_date}
            )
            return redirect(order)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/order_form.html", {"task": task, "form": form}, status=status)


ORDER_STEP_FORMS = {"respond": forms.RespondForm, "close": forms.ReviewForm, "withdraw": forms.WithdrawForm}


def _order_page(request, order, *, bound=None):
    """The order with its history and the forms the user may use; ``bound`` is a refused form to show."""
    user = request.user
    # The steps the user may take now, from the table the actions' guard reads.
    forms_by_name = {
        step.name: ORDER_STEP_FORMS[step.name](prefix=step.name)
        for step in access.ORDER_STEPS.available(user, order)
    }
    if bound is not None:
        forms_by_name[bound.prefix] = bound
    context = {
        "order": order,
        "task": order.task,
        "events": order.events.select_related("by"),
        "cards": order.cards.all(),
        "today": timezone.localdate(),
        **{f"{name}_form": form for name, form in forms_by_name.items()},
    }
    return render(request, "supervision/order_detail.html", context, status=400 if bound is not None else 200)


@login_required
def order_detail(request, pk):
    return _order_page(request, access.get_order_for_user(request.user, pk))


def _order_step(request, pk, *, form_class, prefix, may, run):
    order = access.get_order_for_user(request.user, pk)
    _require(may(request.user, order))
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        return _order_page(request, order, bound=form)
    try:
        run(order, form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error)
        return _order_page(request, order, bound=form)
    return redirect(order)


@login_required
@require_POST
def order_respond(request, pk):
    def run(order, data):
        actions.respond_to_order(order, response=data["response"], by=request.user, at=timezone.now())
        messages.success(request, _("已提交书面答复。"))

    return _order_step(
        request,
        pk,
        form_class=forms.RespondForm,
        prefix="respond",
        may=access.ORDER_STEPS["respond"].may,
        run=run,
    )


@login_required
@require_POST
def order_close(request, pk):
    def run(order, data):
        accept = data["decision"] == forms.ReviewForm.ACCEPT
        actions.close_order(
            order,
            accept=accept,
            note=data["note"],
            due_in_days=data["due_in_days"],
            due_date=data["due_date"],
            by=request.user,
            at=timezone.now(),
        )
        messages.success(request, _("督办已办结。") if accept else _("已退回重办。"))

    return _order_step(
        request, pk, form_class=forms.ReviewForm, prefix="close", may=access.ORDER_STEPS["close"].may, run=run
    )


@login_required
@require_POST
def order_withdraw(request, pk):
    def run(order, data):
        actions.withdraw_order(order, reason=data["reason"], by=request.user, at=timezone.now())
        messages.success(request, _("督办已撤销。"))

    return _order_step(
        request,
        pk,
        form_class=forms.WithdrawForm,
        prefix="withdraw",
        may=access.ORDER_STEPS["withdraw"].may,
        run=run,
    )


# --- scheduling rounds (调度) -------------------------------------------------------------------------


@login_required
def round_list(request):
    user = request.user
    _require(access.can_use_board(user))
    answered = Q(entries__answered_at__isnull=False)
    mine = None
    if not access.is_window_staff(user):
        # A department counts its own entries only.
        mine = Q(entries__department_id__in=access.department_ids(user))
        answered &= mine
    rounds = (
        Round.objects.visible_to(user)
        .select_related("window", "opened_by")
        .annotate(entry_count=Count("entries", filter=mine), answered_count=Count("entries", filter=answered))
        .order_by("-opened_at", "-id")
    )
    status = request.GET.get("status")
    if status in RoundStatus.values:
        rounds = rounds.filter(status=status)
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/round_list.html",
        {"page": page, "statuses": RoundStatus.choices, "can_open": access.holds_a_window_post(user)},
    )


@login_required
def round_create(request):
    """W8: a window opens a scheduling round over its jurisdiction's open tasks."""
    _require(access.holds_a_window_post(request.user))
    windows = access.windows_for_rounds(request.user)
    today = timezone.localdate()
    initial = {"window": windows.first(), "answer_due_date": calendar.add_working_days(today, 2)}
    form = forms.RoundForm(request.POST or None, windows=windows, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = actions.open_round(**form.cleaned_data, by=request.user, at=timezone.now())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("调度已发起，共 %(n)d 项任务。") % {"n": round_.entries.count()})
            return redirect(round_)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/round_form.html", {"form": form}, status=status)


def _round_page(request, round_, *, bound=None):
    """The round, the entries the user may see (paginated), an answer form on each entry the user may
    answer while the round is open, and the report for the window. ``bound`` is (entry id, refused form)."""
    user = request.user
    entries = (
        RoundEntry.objects.visible_to(user)
        .filter(round=round_)
        .select_related("task__application__talent", "task__deadline", "department", "answered_by")
        .order_by("department_id", "id")
    )
    if request.GET.get("unanswered") == "1":
        entries = entries.filter(answered_at__isnull=True)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for entry in page:
        entry.overdue = entry.task.is_overdue_on(today)
        entry.form = None
        if round_.is_open and access.can_answer_entry(user, entry):
            if bound is not None and bound[0] == entry.pk:
                entry.form = bound[1]
            else:
                entry.form = forms.AnswerForm(
                    prefix=f"e{entry.pk}",
                    initial={
                        "progress": entry.progress,
                        "obstacle": entry.obstacle,
                        "expected_date": entry.expected_date,
                    },
                )
    manager = access.can_manage_round(user, round_)
    reader = access.can_read_round_report(user, round_)
    report = None
    if reader:
        report = round_.report if not round_.is_open else round_.build_report(today)
    context = {
        "round": round_,
        "page": page,
        "report": report,
        "can_close": manager and round_.is_open,
        "can_export": reader,
    }
    return render(request, "supervision/round_detail.html", context, status=400 if bound is not None else 200)


@login_required
def round_detail(request, pk):
    return _round_page(request, access.get_round_for_user(request.user, pk))


@login_required
@require_POST
def round_answer(request, pk, entry_pk):
    round_ = access.get_round_for_user(request.user, pk)
    entry = RoundEntry.objects.visible_to(request.user).filter(round=round_, pk=entry_pk).first()
    if entry is None:
        raise Http404
    _require(access.can_answer_entry(request.user, entry))
    form = forms.AnswerForm(request.POST, prefix=f"e{entry.pk}")
    if form.is_valid():
        try:
            actions.answer_entry(entry, **form.cleaned_data, by=request.user, at=timezone.now())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("已答复任务 %(number)s 的进展。") % {"number": entry.task.number})
            target = round_.get_absolute_url()
            page = request.GET.get("page", "")
            return redirect(f"{target}?page={page}" if page.isdigit() else target)
    return _round_page(request, round_, bound=(entry.pk, form))


@login_required
@require_POST
def round_close(request, pk):
    round_ = access.get_round_for_user(request.user, pk)
    _require(access.can_manage_round(request.user, round_))
    try:
        actions.close_round(round_, by=request.user, at=timezone.now())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("调度已结束，报告已保存。"))
    return redirect(round_)


@login_required
def round_export(request, pk):
    """The round's report as an Excel file, for the window; talent names only, and the export audited."""
    round_ = access.get_round_for_user(request.user, pk)
    _require(access.can_read_round_report(request.user, round_))
    report = round_.report if not round_.is_open else round_.build_report(timezone.localdate())
    entries = round_.entries.select_related(
        "task__application__talent", "department", "answered_by"
    ).order_by("department_id", "id")
    content = round_workbook(round_, report, entries)
    audit.record(AuditEvent.Kind.EXPORT, request=request, obj=round_, detail="scheduling round report (xlsx)")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="supervision-round-{round_.pk}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
