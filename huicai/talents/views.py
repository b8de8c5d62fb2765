from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from huicai.accounts.roles import Role, get_scope, is_staff_member
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.org.models import Window
from huicai.talents import actions
from huicai.talents.access import (
    can_edit_talent,
    can_invite_talent,
    can_reveal_personal_data,
    get_talent_for_user,
)
from huicai.talents.forms import (
    ActivationForm,
    AssignUnitCommissionerForm,
    ChangeEmployerForm,
    TalentFilterForm,
    TalentForm,
)
from huicai.talents.models import (
    Talent,
    TalentInvitation,
    id_number_ref,
    invitation_status,
    looks_like_id_number,
)

PAGE_SIZE = 25


def search_params(data) -> dict:
    """The list's filters as URL parameters, with an ID number replaced by its keyed hash."""
    params = {}
    for name in ("window", "employer", "category"):
        if data.get(name):
            params[name] = data[name].pk
    q = (data.get("q") or "").strip()
    if looks_like_id_number(q):
        params["ref"] = id_number_ref(q)
    elif q:
        params["q"] = q
    elif data.get("ref"):
        params["ref"] = data["ref"]
    return params


@login_required
def talent_list(request):
    """The talents in the user's jurisdiction, filtered. The search form is POSTed and answered with a
    redirect whose URL carries an ID number only as its keyed hash, so no ID number lands in an access
    log, the browser history or a Referer header (SECURITY.md: no personal data in URLs)."""
    if not is_staff_member(request.user):
        raise PermissionDenied  # a talent sees themself on their own board, not in a register
    if request.method == "POST":
        form = TalentFilterForm(request.POST, user=request.user)
        if form.is_valid():
            return redirect(f"{reverse('talents:list')}?{urlencode(search_params(form.cleaned_data))}")
        talents = Talent.objects.none()
    else:
        q = request.GET.get("q", "").strip()
        if looks_like_id_number(q):
            # An old link or a typed address: take the number out of the address bar at once.
            params = request.GET.copy()
            params.pop("q")
            params["ref"] = id_number_ref(q)
            return redirect(f"{reverse('talents:list')}?{params.urlencode()}")
        form = TalentFilterForm(request.GET or None, user=request.user)
        talents = Talent.objects.visible_to(request.user)
        if form.is_valid():
            talents = talents.matching(form.cleaned_data)
        elif form.is_bound:
            # A filter that could not be read shows nobody (with the form's message), not everybody.
            talents = talents.none()
    talents = talents.select_related("category", "employer", "home_window")
    recent_invitations = Prefetch(
        "invitations",
        queryset=TalentInvitation.objects.order_by("-sent_at", "-id"),
        to_attr="recent_invitations",
    )
    talents = talents.with_open_assignments().prefetch_related(recent_invitations).order_by("name", "id")
    page = Paginator(talents, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for talent in page:
        talent.account_status = invitation_status(talent, now, invitations=talent.recent_invitations)
    scope = get_scope(request.user)
    can_register = scope.is_superuser or Role.WINDOW in scope.roles
    can_invite = can_register or bool(scope.unit_post_ids)
    template = "talents/partials/talent_rows.html" if request.htmx else "talents/talent_list.html"
    context = {
        "form": form,
        "page": page,
        "can_register": can_register,
        "can_invite": can_invite,
        "searched_by_id_number": bool(request.method == "GET" and request.GET.get("ref")),
    }
    return render(request, template, context)


@login_required
def talent_detail(request, pk):
    talent = get_talent_for_user(request.user, pk)
    today = timezone.localdate()
    cards = [(card, card.state_on(today)) for card in talent.cards.all()]
    assignments = talent.unit_assignments.select_related("post__user", "assigned_by").all()
    # W14/S18: the talent's record of services, scoped like every other read of casework data. Read through
    # the ``applications`` relation casework declares: casework builds on talents, not the reverse.
    applications = (
        talent.applications.visible_to(request.user).select_related("window").order_by("-created_at")[:20]
    )
    can_edit = can_edit_talent(request.user, talent)
    return render(
        request,
        "talents/talent_detail.html",
        {
            "talent": talent,
            "cards": cards,
            "assignments": assignments,
            "applications": applications,
            "events": talent.events.select_related("by"),
            "can_reveal": can_reveal_personal_data(request.user, talent),
            "can_edit": can_edit,
            "can_invite": can_invite_talent(request.user, talent),
            "invitation_status": invitation_status(talent, timezone.now()),
            "employer_form": ChangeEmployerForm(user=request.user) if can_edit else None,
            "assign_form": AssignUnitCommissionerForm(talent=talent) if can_edit else None,
        },
    )


@login_required
@require_POST
def talent_reveal(request, pk):
    """Show the full ID number and phone to a role that needs them, and record the reveal (who, whose,
    when) in the audit log kept for three years."""
    talent = get_talent_for_user(request.user, pk)
    if not can_reveal_personal_data(request.user, talent):
        audit.record(AuditEvent.Kind.DENIED, request=request, obj=talent, result="denied", detail="reveal")
        raise PermissionDenied
    audit.record(AuditEvent.Kind.REVEAL, request=request, obj=talent, detail="id_number,mobile")
    return render(request, "talents/talent_reveal.html", {"talent": talent})


@login_required
def talent_create(request):
    scope = get_scope(request.user)
    if not (scope.is_superuser or Role.WINDOW in scope.roles):
        raise PermissionDenied
    windows = (
        Window.objects.all()
        if scope.is_superuser
        else Window.objects.subtree_of(Window.objects.filter(pk__in=scope.window_ids))
    )
    form = TalentForm(request.POST or None, user=request.user, windows=windows)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "unit_commissioner"}
        try:
            talent = actions.register_talent(
                by=request.user,
                at=timezone.now(),
                unit_commissioner=form.cleaned_data["unit_commissioner"],
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已登记人才 {talent.name}。")
            return redirect(talent)
    return render(request, "talents/talent_form.html", {"form": form})


@login_required
@require_POST
def talent_invite(request, pk):
    """Send (or re-send) the talent an activation link by SMS (issue 11 §2)."""
    talent = get_talent_for_user(request.user, pk)
    if not can_invite_talent(request.user, talent):
        raise PermissionDenied
    try:
        actions.invite_talent(talent, by=request.user, at=timezone.now())
    except actions.InvitationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已向 {talent.name} 发送开通账号的短信邀请，72小时内有效。")
    return redirect(talent)


@login_required
@require_POST
def talent_invite_bulk(request):
    """Invite every selected talent, or every talent in the user's reach not yet invited (after an
    import). Only talents the user may invite are touched; the rest are not named."""
    scope = get_scope(request.user)
    if not (scope.is_superuser or Role.WINDOW in scope.roles or scope.unit_post_ids):
        raise PermissionDenied
    talents = Talent.objects.visible_to(request.user).filter(user__isnull=True).select_related("home_window")
    ids = [int(value) for value in request.POST.getlist("talent") if value.isdigit()]
    if ids:
        talents = talents.filter(pk__in=ids)
    else:
        # "All not yet invited": no invitation, or only ones that lapsed or were superseded.
        live = TalentInvitation.objects.filter(used_at__isnull=True, superseded_at__isnull=True)
        talents = talents.exclude(pk__in=live.filter(expires_at__gt=timezone.now()).values("talent_id"))
    allowed = [talent for talent in talents.order_by("pk") if can_invite_talent(request.user, talent)]
    result = actions.invite_talents(allowed, by=request.user, at=timezone.now())
    messages.success(request, f"已发送 {result['sent']} 份邀请。")
    for name, reason in result["refused"].items():
        messages.error(request, f"{name}：{reason}")
    return redirect("talents:list")


@login_required
@require_POST
def talent_change_employer(request, pk):
    """Window staff record a talent's new employer; the unit commissioner follows (S6)."""
    talent = get_talent_for_user(request.user, pk, write=True)
    form = ChangeEmployerForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            actions.change_employer(
                talent,
                employer=form.cleaned_data["employer"],
                unit_post=form.cleaned_data["unit_post"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request, f"已将 {talent.name} 的用人单位改为 {form.cleaned_data['employer'].name}。"
            )
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(talent)


@login_required
@require_POST
def talent_assign(request, pk):
    """Window staff give a talent another unit commissioner of the same employer, or one to a talent in
    the coverage gap (S6)."""
    from huicai.commissioners.actions import assign_unit_commissioner

    talent = get_talent_for_user(request.user, pk, write=True)
    form = AssignUnitCommissionerForm(request.POST, talent=talent)
    if form.is_valid():
        try:
            assign_unit_commissioner(
                talent,
                post=form.cleaned_data["post"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已为 {talent.name} 指定单位专员 {form.cleaned_data['post'].user}。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(talent)


def talent_activate(request, token):
    """The activation link's page (public: the talent has no account yet). The link carries only the
    token; an unusable one says why, without telling whose it was."""
    now = timezone.now()
    try:
        invitation = actions.get_invitation(token, at=now)
    except actions.InvitationError as exc:
        # A token nobody was sent is not found (404); a link that was sent but is used up, replaced or
        # expired is gone (410).
        status = 404 if getattr(exc, "code", None) == "unknown" else 410
        return render(request, "talents/talent_activate.html", {"error": exc.messages[0]}, status=status)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.activate_account(
                token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                at=now,
            )
        except actions.InvitationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error("password1" if field == "password" else field, errors)
            else:
                status = 404 if getattr(exc, "code", None) == "unknown" else 410
                return render(
                    request, "talents/talent_activate.html", {"error": exc.messages[0]}, status=status
                )
        else:
            messages.success(request, "账号已开通，请用刚才设置的用户名和密码登录。")
            return redirect("accounts:login")
    return render(request, "talents/talent_activate.html", {"form": form, "name": invitation.talent.name})
