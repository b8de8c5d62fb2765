"""Pages of 惠才卡 applications (S11-4): the unit applies, the window reviews, the talent sees the card."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts.roles import get_scope
from huicai.cards import access, actions
from huicai.cards.choices import ApplicationStatus
from huicai.cards.forms import (
    ApplyForm,
    LostForm,
    ResubmitForm,
    ReturnForm,
    RevokeForm,
    VerifyForm,
    VersionForm,
)
from huicai.cards.models import CardApplication
from huicai.casework.uploads import safe_name
from huicai.commissioners.access import unit_talent_ids
from huicai.core import audit, ratelimit
from huicai.core.models import AuditEvent
from huicai.directservices.cards import InvalidCardCode, card_qr_payload, read_card_text
from huicai.talents.models import Talent, TalentCard

PAGE_SIZE = 25


def _errors(exc) -> str:
    return "；".join(exc.messages) if hasattr(exc, "messages") else str(exc)


@login_required
def application_list(request):
    if not access.uses_cards(request.user):
        raise PermissionDenied
    applications = CardApplication.objects.visible_to(request.user).select_related("talent", "window", "card")
    status = request.GET.get("status")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    page = Paginator(applications.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    scope = get_scope(request.user)
    return render(
        request,
        "cards/application_list.html",
        {
            "page": page,
            "statuses": ApplicationStatus.choices,
            "may_apply": bool(scope.unit_post_ids),
            "today": timezone.localdate(),
        },
    )


@login_required
def talents_to_apply_for(request):
    """The unit commissioner's talents, searchable and paged, each with an "apply" link (no 1,000-option list)."""
    scope = get_scope(request.user)
    if not scope.unit_post_ids:
        raise PermissionDenied
    talents = (
        Talent.objects.filter(pk__in=unit_talent_ids(scope)).select_related("category").order_by("name", "pk")
    )
    query = (request.GET.get("q") or "").strip()[:50]
    if query:
        talents = talents.filter(name__contains=query)
    page = Paginator(talents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cards/talents.html", {"page": page, "q": query})


@login_required
def apply(request, talent_pk):
    scope = get_scope(request.user)
    talent = Talent.objects.filter(pk__in=unit_talent_ids(scope)).select_related("category", "home_window")
    try:
        talent = talent.get(pk=int(talent_pk))
    except (Talent.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    form = ApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(f.name, f) for f in form.cleaned_data["materials"]]
        try:
            application = actions.submit_card_application(
                talent=talent,
                kind=form.cleaned_data["kind"],
                purpose=form.cleaned_data["purpose"],
                note=form.cleaned_data["note"],
                files=files,
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("申请已提交，等待窗口审核。"))
            return redirect("cards:detail", application.pk)
    return render(
        request, "cards/apply.html", {"form": form, "talent": talent}, status=400 if form.errors else 200
    )


@login_required
def detail(request, pk):
    application = access.get_application_for_user(request.user, pk)
    steps = access.allowed_steps(request.user, application)
    return render(
        request,
        "cards/detail.html",
        {
            "application": application,
            "steps": steps,
            "materials": application.materials.select_related("uploaded_by"),
            "events": application.events.select_related("by"),
            "return_form": ReturnForm(initial={"version": application.version}),
            "resubmit_form": ResubmitForm(initial={"version": application.version}),
            "version_form": VersionForm(initial={"version": application.version}),
            "staff": not access.is_talent_user(request.user) or get_scope(request.user).window_ids,
        },
    )


@login_required
@require_POST
def step(request, pk, name):
    application = access.get_application_for_user(request.user, pk)
    forms = {"approve": VersionForm, "return": ReturnForm, "resubmit": ResubmitForm, "withdraw": VersionForm}
    if name not in forms:
        raise Http404
    form = forms[name](request.POST, request.FILES or None)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("cards:detail", application.pk)
    data, now, version = form.cleaned_data, timezone.now(), form.cleaned_data["version"]
    try:
        if name == "approve":
            actions.approve_card_application(application, by=request.user, at=now, expected_version=version)
        elif name == "return":
            actions.return_card_application(
                application, reason=data["reason"], by=request.user, at=now, expected_version=version
            )
        elif name == "resubmit":
            files = [(f.name, f) for f in data["materials"]]
            actions.resubmit_card_application(
                application, note=data["note"], files=files, by=request.user, at=now, expected_version=version
            )
        else:
            actions.withdraw_card_application(application, by=request.user, at=now, expected_version=version)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已办理。"))
    return redirect("cards:detail", application.pk)


@login_required
def material(request, pk, material_pk):
    application = access.get_application_for_user(request.user, pk)
    try:
        item = application.materials.get(pk=int(material_pk))
    except (ValueError, OverflowError, application.materials.model.DoesNotExist):
        raise Http404 from None
    audit.record(
        AuditEvent.Kind.EXPORT,
        request=request,
        obj=application,
        detail=f"cards material {item.pk}",
        subject_ref=f"talent:{application.talent_id}",
    )
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=safe_name(item.original_name),
        content_type=item.content_type,
    )


def _qr_svg(card):
    code = segno.make(card_qr_payload(card), error="m")
    svg = code.svg_inline(scale=5, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-svg")
    return format_html(
        '<figure class="qr" role="img" aria-label="{}">{}</figure>', _("人才卡二维码"), mark_safe(svg)
    )  # noqa: S308 - segno's own SVG


@login_required
def mine(request):
    """The talent's cards with their QR codes, and their applications: made for the phone."""
    scope = get_scope(request.user)
    if not scope.talent_id:
        raise PermissionDenied
    today = timezone.localdate()
    cards = TalentCard.objects.filter(talent_id=scope.talent_id).order_by("kind", "-issued_date")
    shown = [
        {"card": card, "state": card.state_on(today), "qr": _qr_svg(card) if card.is_valid_on(today) else ""}
        for card in cards
    ]
    applications = CardApplication.objects.visible_to(request.user).filter(talent_id=scope.talent_id)[:20]
    return render(
        request, "cards/mine.html", {"cards": shown, "applications": applications, "lost_form": LostForm()}
    )


@login_required
@require_POST
def report_lost(request, card_pk):
    card = access.get_card_for_user(request.user, card_pk)
    form = LostForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("说明过长。"))
    else:
        try:
            actions.report_card_lost(card, note=form.cleaned_data["note"], by=request.user, at=timezone.now())
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("已挂失。可由单位专员申请补办。"))
    return redirect("cards:mine" if get_scope(request.user).talent_id == card.talent_id else "cards:list")


@login_required
@require_POST
def revoke(request, card_pk):
    card = access.get_card_for_user(request.user, card_pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因（500 字以内）。"))
    else:
        try:
            actions.revoke_card(card, reason=form.cleaned_data["reason"], by=request.user, at=timezone.now())
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("人才卡已撤销。"))
    return redirect("cards:list")


def verify(request):
    """Anyone may check whether a card is genuine and valid today: kind, tier, validity; never the holder."""
    form = VerifyForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        key = f"cards-verify:{audit.client_ip(request) or '-'}"
        if ratelimit.hit(key, seconds=60, at=timezone.now()) > 20:
            form.add_error(None, _("查询过于频繁，请一分钟后再试。"))
            status = 429
        else:
            try:
                number = read_card_text(form.cleaned_data["code"])
            except InvalidCardCode as exc:
                form.add_error("code", str(exc))
                status = 400
            else:
                card = TalentCard.objects.filter(number=number).first()
                today = timezone.localdate()
                result = (
                    {"found": False}
                    if card is None
                    else {
                        "found": True,
                        "kind": card.get_kind_display(),
                        "tier": card.level,
                        "valid_until": card.valid_until_date,
                        "state": card.state_on(today),
                        "state_display": TalentCard(status=card.state_on(today)).get_status_display(),
                        "valid": card.is_valid_on(today),
                    }
                )
    elif request.method == "POST":
        status = 400
    return render(request, "cards/verify.html", {"form": form, "result": result}, status=status)
