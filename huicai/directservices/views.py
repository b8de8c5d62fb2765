"""The counter (record a direct service on a card), the list of services, and the appointment pages.

Looking a card up is a POST, so card numbers and ID numbers never appear in URLs or access logs; the
result renders on the same page with the form to record the service. State changes are POST and redirect.
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

from huicai.accounts.roles import Role, get_scope, takes_part_in_cases
from huicai.catalogue.choices import ServiceMode
from huicai.catalogue.models import ServiceItem
from huicai.commissioners.models import Post, UnitAssignment
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.directservices import access, actions, cards, forms
from huicai.directservices.choices import AppointmentStatus, Outcome
from huicai.directservices.models import Appointment, DirectService
from huicai.org.models import Window
from huicai.talents.models import Talent

PAGE_SIZE = 25


# --- the counter -------------------------------------------------------------------------------------


def _record_form(result, data=None):
    return forms.RecordForm(
        data, cards=result.valid_cards, items=[row for row in result.items if row.can_record]
    )


@login_required
def record(request):
    """W12 at the counter: look the talent up by card (or QR code, or ID number), then record the service."""
    now = timezone.now()
    if not access.is_serving_commissioner(request.user, at=now):
        raise PermissionDenied
    today = timezone.localdate(now)
    lookup_form = forms.LookupForm(prefix="lookup", today=today)
    context = {"lookup_form": lookup_form, "result": None, "form": None}
    status = 200
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "lookup":
        lookup_form = context["lookup_form"] = forms.LookupForm(request.POST, prefix="lookup", today=today)
        if lookup_form.is_valid():
            try:
                result = cards.look_up(
                    request,
                    card_text=lookup_form.cleaned_data["card"],
                    id_number=lookup_form.cleaned_data["id_number"],
                    at=now,
                )
            except cards.TooManyLookups as error:
                lookup_form.add_error(None, str(error))
                status = 429
            else:
                if result is None:
                    lookup_form.add_error(None, _("未找到该人才卡或人员，请核对卡号、二维码或证件号码。"))
                    status = 404
                else:
                    context.update(result=result, form=_record_form(result))
        else:
            status = 400
    elif step == "record":
        # Posting a card number here is a look-up too: audited and limited the same way, so this step
        # cannot be used to probe card numbers around the look-up's limit.
        if cards.too_many_failed_lookups(request.user, at=now):
            raise PermissionDenied
        try:
            talent, card = cards.find_talent(card_text=request.POST.get("card", ""))
        except cards.InvalidCardCode:
            talent = None
        if talent is None:
            audit.record(
                AuditEvent.Kind.DENIED,
                request=request,
                at=now,
                result="not_found",
                detail=cards.LOOKUP_AUDIT_DETAIL,
            )
            raise Http404
        # The same talent's other cards may be chosen when the look-up was by ID number.
        result = cards.describe(talent, None, user=request.user, at=now)
        form = _record_form(result, request.POST)
        form.fields["card"].choices = [(card.number, card.number) for card, _refusal in result.cards]
        form.fields["item"].choices = [
            (item.code, item.code) for item in ServiceItem.objects.published().only("code")
        ]
        context.update(result=result, form=form)
        if form.is_valid():
            chosen = next(c for c, _refusal in result.cards if c.number == form.cleaned_data["card"])
            item = ServiceItem.objects.select_related("published_version").get(code=form.cleaned_data["item"])
            try:
                service = actions.record_direct_service(
                    card=chosen,
                    item=item,
                    place=form.cleaned_data["place"],
                    outcome=form.cleaned_data["outcome"],
                    outcome_reason=form.cleaned_data["outcome_reason"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                    at=now,
                )
            except actions.NotAllowed as error:
                form.add_error("item", str(error))
                status = 403
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                status = 400
            else:
                messages.success(
                    request,
                    _("已登记：%(talent)s · %(item)s（%(outcome)s）")
                    % {
                        "talent": service.talent.name,
                        "item": service.item_version.name,
                        "outcome": service.get_outcome_display(),
                    },
                )
                return redirect("directservices:services")
        else:
            status = 400
        audit.record(
            AuditEvent.Kind.REVEAL,
            request=request,
            at=now,
            obj=talent,
            detail=f"{cards.LOOKUP_AUDIT_DETAIL}:card",
        )
        # Show only the choices that make sense again.
        form.fields["card"].choices = [
            (c.number, f"{c.get_kind_display()} {c.number}") for c in result.valid_cards
        ]
        form.fields["item"].choices = [
            (row.item.code, f"{row.item.code} {row.version.name}") for row in result.items if row.can_record
        ]
    return render(request, "directservices/record.html", context, status=status)


@login_required
def service_list(request):
    if not takes_part_in_cases(request.user):
        raise PermissionDenied
    services = DirectService.objects.visible_to(request.user).select_related(*access.SERVICE_RELATED)
    outcome = request.GET.get("outcome")
    if outcome in Outcome.values:
        services = services.filter(outcome=outcome)
    talent = request.GET.get("talent", "")
    if talent.isdigit():
        services = services.filter(talent_id=int(talent))
    page = Paginator(services.order_by("-served_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directservices/service_list.html",
        {
            "page": page,
            "outcomes": Outcome.choices,
            "can_record": access.is_serving_commissioner(request.user, at=timezone.now()),
        },
    )


# --- appointments ------------------------------------------------------------------------------------


def _may_book(scope) -> bool:
    return bool(scope.talent_id) or Role.UNIT in scope.roles


@login_required
def appointment_list(request):
    if not takes_part_in_cases(request.user):
        raise PermissionDenied
    appointments = Appointment.objects.visible_to(request.user).select_related(
        "talent", "item_version", "post__user", "window"
    )
    status = request.GET.get("status")
    if status in AppointmentStatus.values:
        appointments = appointments.filter(status=status)
    page = Paginator(appointments.order_by("-starts_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directservices/appointment_list.html",
        {"page": page, "statuses": AppointmentStatus.choices, "can_book": _may_book(get_scope(request.user))},
    )


def _bookable_talents(user, scope):
    if scope.talent_id:
        return Talent.objects.filter(pk=scope.talent_id)
    return Talent.objects.filter(
        pk__in=UnitAssignment.objects.open().filter(post_id__in=scope.unit_post_ids).values("talent_id")
    ).order_by("name", "id")


@login_required
def appointment_create(request):
    scope = get_scope(request.user)
    if not _may_book(scope):
        raise PermissionDenied
    now = timezone.now()
    items = (
        ServiceItem.objects.published()
        .filter(published_version__mode=ServiceMode.DIRECT)
        .select_related("published_version")
        .order_by("code")
    )
    # W12: only the commissioners who provide the chosen service are offered (the form's item, or the
    # ?item= the page asks for when the item changes); none before an item is chosen.
    code = request.POST.get("item") or request.GET.get("item") or ""
    chosen = items.filter(code=code).first() if code else None
    form = forms.AppointmentForm(
        request.POST or None,
        talents=_bookable_talents(request.user, scope),
        items=items,
        posts=access.posts_serving(chosen.published_version, at=now) if chosen else Post.objects.none(),
        windows=Window.objects.filter(is_active=True).order_by("path"),
        initial={"item": chosen.code} if chosen else {},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            starts_at, ends_at = actions.slot(data["service_date"], data["start_time"], data["end_time"])
            try:
                appointment = actions.book_appointment(
                    talent=data["talent"],
                    item=data["item"],
                    post=data["post"],
                    window=data["window"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    note=data["note"],
                    by=request.user,
                    at=now,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("预约已提交，等待专员确认。"))
                return redirect(appointment)
    return render(request, "directservices/appointment_form.html", {"form": form}, status=status)


STEP_FORMS = {
    "confirm": forms.NoteForm,
    "decline": forms.ReasonForm,
    "cancel": forms.ReasonForm,
    "complete": forms.CompleteForm,
}


def _available_steps(user, appointment, *, at):
    """The steps this person may take now, from the table the actions' guard reads (a step shown is a step
    the action will allow)."""
    return [step.name for step in access.APPOINTMENT_STEPS.available(user, appointment, at=at)]


@login_required
def appointment_detail(request, pk, bound=None, status=200):
    appointment = access.get_appointment_for_user(request.user, pk)
    now = timezone.now()
    steps = _available_steps(request.user, appointment, at=now)
    step_forms = [
        (
            name,
            STEP_LABELS[name],
            bound
            if bound is not None and bound.prefix == name
            else STEP_FORMS[name](prefix=name, initial={"version": appointment.version}),
        )
        for name in steps
    ]
    return render(
        request,
        "directservices/appointment_detail.html",
        {
            "appointment": appointment,
            "events": appointment.events.select_related("by").order_by("at", "id"),
            "step_forms": step_forms,
        },
        status=status,
    )


STEP_LABELS = {
    "confirm": "确认预约",
    "decline": "婉拒预约",
    "cancel": "取消预约",
    "complete": "登记服务并完成",
}


@login_required
@require_POST
def appointment_step(request, pk, step):
    appointment = access.get_appointment_for_user(request.user, pk)
    if step not in STEP_FORMS:
        raise Http404
    now = timezone.now()
    commissioner = access.is_commissioner_side(request.user, appointment, at=now)
    # Confirming, declining and completing are the commissioner's; cancelling is either side's.
    if not (commissioner or (step == "cancel" and access.is_talent_side(request.user, appointment))):
        raise PermissionDenied
    if step not in _available_steps(request.user, appointment, at=now):
        messages.error(
            request,
            _("预约当前状态为“%(status)s”，不能执行此操作（可能已被对方处理）。")
            % {"status": appointment.get_status_display()},
        )
        return redirect(appointment)
    form = STEP_FORMS[step](request.POST, prefix=step)
    if not form.is_valid():
        return appointment_detail(request, pk, bound=form, status=400)
    data, version = form.cleaned_data, form.cleaned_data.get("version")
    try:
        if step == "confirm":
            actions.confirm_appointment(
                appointment, note=data["note"], by=request.user, at=now, expected_version=version
            )
        elif step == "decline":
            actions.decline_appointment(
                appointment, reason=data["reason"], by=request.user, at=now, expected_version=version
            )
        elif step == "cancel":
            actions.cancel_appointment(
                appointment, reason=data["reason"], by=request.user, at=now, expected_version=version
            )
        else:
            actions.complete_appointment(
                appointment,
                place=data["place"],
                outcome=data["outcome"],
                outcome_reason=data["outcome_reason"],
                note=data["note"],
                by=request.user,
                at=now,
                expected_version=version,
            )
    except actions.StaleVersion as error:
        messages.error(request, error.messages[0])
        return redirect(appointment)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return appointment_detail(request, pk, bound=form, status=400)
    messages.success(request, _("已完成：%(step)s") % {"step": STEP_LABELS[step]})
    return redirect(appointment)
