from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huicai.accounts.roles import Role, get_scope
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.org.models import Window
from huicai.talents import actions
from huicai.talents.access import can_reveal_personal_data, get_talent_for_user
from huicai.talents.forms import TalentFilterForm, TalentForm
from huicai.talents.models import Talent

PAGE_SIZE = 25


@login_required
def talent_list(request):
    form = TalentFilterForm(request.GET or None, user=request.user)
    talents = Talent.objects.visible_to(request.user).select_related("category", "employer", "home_window")
    if form.is_valid():
        talents = talents.matching(form.cleaned_data)
    talents = talents.with_open_assignments().order_by("name", "id")
    page = Paginator(talents, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = get_scope(request.user)
    can_register = scope.is_superuser or Role.WINDOW in scope.roles
    template = "talents/partials/talent_rows.html" if request.htmx else "talents/talent_list.html"
    return render(request, template, {"form": form, "page": page, "can_register": can_register})


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
    return render(
        request,
        "talents/talent_detail.html",
        {
            "talent": talent,
            "cards": cards,
            "assignments": assignments,
            "applications": applications,
            "can_reveal": can_reveal_personal_data(request.user, talent),
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
