"""Pages for difficulties and check-ins: the register, recording, handling, and the check-in rounds.

The talent-facing pages (recording, their own list, their check-in entry) are single-column and work on
a phone. Every state change is a POST that calls one action and redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huicai.accounts.roles import Role, get_scope, takes_part_in_cases
from huicai.catalogue.models import ServiceItem
from huicai.org.models import Window
from huicai.outreach import access, actions, forms
from huicai.outreach.choices import (
    PENDING_DIFFICULTY_STATUSES,
    DifficultyKind,
    DifficultyStatus,
    EntryStatus,
    HolderLevel,
    RoundStatus,
)
from huicai.outreach.models import CheckinEntry, CheckinRound, Difficulty
from huicai.talents.models import Talent

PAGE_SIZE = 25


# --- difficulties -----------------------------------------------------------------------------------


@login_required
def difficulty_list(request):
    """The register: everything the user may see, newest first, filtered by status, kind and "mine"."""
    if not takes_part_in_cases(request.user):
        raise PermissionDenied
    difficulties = (
        Difficulty.objects.visible_to(request.user)
        .select_related("talent", "holder_window", "holder_department")
        .order_by("-recorded_at", "-id")
    )
    status = request.GET.get("status")
    if status in DifficultyStatus.values:
        difficulties = difficulties.filter(status=status)
    elif status == "pending":
        difficulties = difficulties.filter(status__in=PENDING_DIFFICULTY_STATUSES)
    kind = request.GET.get("kind")
    if kind in DifficultyKind.values:
        difficulties = difficulties.filter(kind=kind)
    if request.GET.get("mine") == "1":
        difficulties = access.held_by(difficulties, request.user)
    page = Paginator(difficulties, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/difficulty_list.html",
        {
            "page": page,
            "statuses": DifficultyStatus.choices,
            "kinds": DifficultyKind.choices,
            "can_record": _recordable_talents(request.user).exists(),
        },
    )


def _recordable_talents(user):
    return Talent.objects.visible_to(user).order_by("name", "id")


@login_required
def difficulty_create(request):
    scope = get_scope(request.user)
    talents = _recordable_talents(request.user)
    is_self = bool(scope.talent_id) and not (set(scope.roles) - {Role.TALENT})
    if not talents.exists():
        raise PermissionDenied
    form = forms.DifficultyForm(request.POST or None, talents=None if is_self else talents)
    if request.method == "POST" and form.is_valid():
        talent = Talent.objects.get(pk=scope.talent_id) if is_self else form.cleaned_data["talent"]
        try:
            difficulty = actions.record_difficulty(
                talent=talent,
                kind=form.cleaned_data["kind"],
                category=form.cleaned_data["category"],
                content=form.cleaned_data["content"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已登记，处理进展会通知您。"))
            return redirect(difficulty)
    return render(request, "outreach/difficulty_form.html", {"form": form, "is_self": is_self})


def _catalogue_items(user):
    return (
        (ServiceItem.objects.visible_to(user) | ServiceItem.objects.published()).distinct().order_by("code")
    )


STEPS = access.STEPS
DONE = {
    "start": gettext_lazy("已开始处理。"),
    "escalate": gettext_lazy("已上报。"),
    "respond": gettext_lazy("已答复。"),
    "close": gettext_lazy("已关闭。"),
    "link-catalogue": gettext_lazy("已关联服务事项调整。"),
}


def _step_form(step, user, data=None):
    if step == "escalate":
        return forms.EscalateForm(data, prefix=step)
    if step == "respond":
        return forms.RespondForm(data, prefix=step)
    if step == "link-catalogue":
        return forms.LinkCatalogueForm(data, prefix=step, items=_catalogue_items(user))
    return forms.NoteForm(data, prefix=step)


def _run_step(step, difficulty, data, *, by, at):
    """The one action behind each step of the detail page."""
    if step == "start":
        return actions.start_difficulty(difficulty, note=data["note"], by=by, at=at)
    if step == "escalate":
        return actions.escalate_difficulty(difficulty, note=data["note"], by=by, at=at)
    if step == "respond":
        return actions.respond_to_difficulty(
            difficulty, response=data["response"], resolved=data["resolved"], by=by, at=at
        )
    if step == "close":
        return actions.close_difficulty(difficulty, note=data["note"], by=by, at=at)
    item, version = data["item"], None
    if data.get("version_number"):
        version = item.versions.filter(number=data["version_number"]).first()
        if version is None:
            raise actions.OutreachError(_("该服务事项没有第 %(n)d 版。") % {"n": data["version_number"]})
    return actions.link_catalogue_change(
        difficulty, item=item, version=version, note=data["note"], by=by, at=at
    )


def _difficulty_context(request, difficulty, bound=None):
    """The detail page: what happened, and a form for each step the user may take now."""
    step_forms = []
    for step in access.allowed_steps(request.user, difficulty):
        form = bound[1] if bound and bound[0] == step else _step_form(step, request.user)
        step_forms.append((step, form))
    target = None
    if any(step == "escalate" for step, _form in step_forms):
        target = (
            difficulty.holder_window.parent
            if difficulty.holder_level == HolderLevel.WINDOW
            else difficulty.talent.home_window
        )
    return {
        "difficulty": difficulty,
        "events": difficulty.events.select_related("by", "window").order_by("at", "id"),
        "step_forms": step_forms,
        "escalation_target": target,
    }


@login_required
def difficulty_detail(request, pk):
    difficulty = access.get_difficulty_for_user(request.user, pk)
    return render(request, "outreach/difficulty_detail.html", _difficulty_context(request, difficulty))


@login_required
@require_POST
def difficulty_step(request, pk, step):
    difficulty = access.get_difficulty_for_user(request.user, pk)
    if step not in STEPS:
        raise Http404
    form = _step_form(step, request.user, request.POST)
    if not form.is_valid():
        context = _difficulty_context(request, difficulty, bound=(step, form))
        return render(request, "outreach/difficulty_detail.html", context, status=400)
    try:
        _run_step(step, difficulty, form.cleaned_data, by=request.user, at=timezone.now())
    except actions.NotAllowed:
        raise
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, DONE[step])
    return redirect(difficulty)


# --- check-in rounds (the window) ------------------------------------------------------------------


def _own_windows(user):
    # Check-ins are run by a window's own commissioners; the system administrator holds no window.
    scope = get_scope(user)
    return list(Window.objects.filter(pk__in=scope.window_ids).order_by("path"))


@login_required
def round_list(request):
    """The window's rounds and those below it, with each one's progress (answered / total)."""
    scope = get_scope(request.user)
    if not (scope.window_ids or scope.is_superuser):
        raise PermissionDenied
    rounds = (
        CheckinRound.objects.visible_to(request.user)
        .with_progress()
        .select_related("window", "opened_by")
        .order_by("-opened_at", "-id")
    )
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/round_list.html", {"page": page})


@login_required
def round_create(request):
    windows = _own_windows(request.user)
    if not windows:
        raise PermissionDenied
    form = forms.RoundForm(
        request.POST or None,
        windows=Window.objects.filter(pk__in=[w.pk for w in windows]).order_by("path"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            checkin_round = actions.open_checkin_round(
                window=form.cleaned_data["window"],
                title=form.cleaned_data["title"],
                due_date=form.cleaned_data["due_date"],
                note=form.cleaned_data["note"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已发起状态调度，并通知了各单位专员。"))
            return redirect(checkin_round)
    return render(request, "outreach/round_form.html", {"form": form})


@login_required
def round_detail(request, pk):
    checkin_round = access.get_round_for_user(request.user, pk)
    entries = checkin_round.entries.select_related("talent__employer", "answered_by").order_by(
        "talent__name", "id"
    )
    status = request.GET.get("status")
    if status in EntryStatus.values:
        entries = entries.filter(status=status)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/round_detail.html",
        {
            "round": checkin_round,
            "page": page,
            "statuses": EntryStatus.choices,
            "can_close": checkin_round.status == RoundStatus.OPEN
            and access.is_staff_of_window(request.user, checkin_round.window),
        },
    )


@login_required
@require_POST
def round_close(request, pk):
    checkin_round = access.get_round_for_user(request.user, pk)
    try:
        unanswered = actions.close_checkin_round(checkin_round, by=request.user, at=timezone.now())
    except actions.NotAllowed:
        raise
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("本轮调度已结束，%(n)d 位人才未答复。") % {"n": unanswered})
    return redirect(checkin_round)


# --- answering (unit commissioners and talents) ----------------------------------------------------


def _answerable(user):
    return (
        access.entries_to_answer(CheckinEntry.objects.all(), user)
        .filter(round__status=RoundStatus.OPEN)
        .select_related("round__window", "talent__employer", "answered_by")
        .order_by("status", "round__due_date", "talent__name", "id")
    )


@login_required
def pending(request):
    """待答复: the entries of the user's talents (or the talent's own) in open rounds, one form each."""
    if not access.answers_checkins(request.user):
        raise PermissionDenied
    entries = _answerable(request.user)
    if request.GET.get("all") != "1":
        entries = entries.filter(status=EntryStatus.PENDING)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, forms.AnswerForm.for_entry(entry)) for entry in page]
    return render(request, "outreach/pending.html", {"page": page, "rows": rows})


@login_required
@require_POST
def entry_answer(request, pk):
    entry = access.get_entry_for_user(request.user, pk)
    form = forms.AnswerForm.for_entry(entry, data=request.POST)
    error = None
    if form.is_valid():
        try:
            entry = actions.answer_checkin(
                entry,
                employment_status=form.cleaned_data["employment_status"],
                lives_in_linyi=form.cleaned_data["lives_in_linyi"],
                note=form.cleaned_data["note"],
                by=request.user,
                at=timezone.now(),
            )
        except actions.NotAllowed:
            raise
        except ValidationError as caught:
            error = "；".join(caught.messages)
    else:
        error = "；".join(message for messages_ in form.errors.values() for message in messages_)
    if request.htmx:
        entry = CheckinEntry.objects.select_related("round__window", "talent__employer", "answered_by").get(
            pk=entry.pk
        )
        row_form = form if error else forms.AnswerForm.for_entry(entry)
        return render(
            request,
            "outreach/partials/entry_row.html",
            # 200 even for a refusal: htmx swaps only successful responses, and the row shows the error.
            {"entry": entry, "form": row_form, "error": error, "saved": not error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已答复：%(talent)s。") % {"talent": entry.talent.name})
    return redirect("outreach:pending")
