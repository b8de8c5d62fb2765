from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from huicai.accounts.roles import Role, get_scope
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.org.models import Window
from huicai.talents import actions
from huicai.talents.access import can_reveal_personal_data, get_talent_for_user
from huicai.talents.forms import TalentFilterForm, TalentForm
from huicai.talents.models import Talent, id_number_ref, looks_like_id_number

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
    talents = talents.with_open_assignments().order_by("name", "id")
    page = Paginator(talents, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = get_scope(request.user)
    can_register = scope.is_superuser or Role.WINDOW in scope.roles
    template = "talents/partials/talent_rows.html" if request.htmx else "talents/talent_list.html"
    context = {
        "form": form,
        "page": page,
        "can_register": can_register,
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
