"""The pages of commissioner management (S19–S22). Every row through its ``visible_to`` (404 outside), every
change through one action; refusals come back as a message and change nothing."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts.roles import Role, get_scope
from huicai.commissioners.models import Post
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.org.models import Window
from huicai.staffing import access, actions, forms, scoring, selectors
from huicai.staffing.choices import ChangeStatus, Component, NoticeStatus, Period
from huicai.staffing.models import (
    AccountabilityNotice,
    ChangeRecord,
    CommendationList,
    Scorecard,
    TrainingMaterial,
    TrainingSession,
    WeightsVersion,
)

PAGE_SIZE = 30


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _window_staff(user) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or Role.WINDOW in scope.roles


def _require_window_staff(user):
    if not _window_staff(user):
        raise PermissionDenied


def _own_windows(user):
    scope = get_scope(user)
    if scope.is_superuser:
        return Window.objects.all()
    return Window.objects.subtree_of(Window.objects.filter(pk__in=scope.window_ids))


def _version(form_or_post):
    value = form_or_post.get("version") if hasattr(form_or_post, "get") else None
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _refused(request, error):
    messages.error(request, "；".join(error.messages))


def _errors(form):
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
def home(request):
    """The window's management page; a commissioner who is not window staff goes to their own scorecards."""
    if not access.manages_staffing(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    changes = ChangeRecord.objects.visible_to(request.user)
    return render(
        request,
        "staffing/home.html",
        {
            "pending": changes.filter(status=ChangeStatus.PENDING).count(),
            "overdue": changes.overdue_on(today).count(),
            "filed": changes.filter(status=ChangeStatus.FILED).count(),
            "can_set_weights": access.sets_weights(request.user),
        },
    )


# -- S19: change records ----------------------------------------------------------------------------------


@login_required
def change_list(request):
    today = timezone.localdate()
    show = request.GET.get("show") or "open"
    records = (
        ChangeRecord.objects.visible_to(request.user)
        .select_related("post__user", "window", "deadline")
        .order_by("deadline__due_date", "pk")
    )
    if show == "open":
        records = records.exclude(status=ChangeStatus.ACKNOWLEDGED)
    elif show == "overdue":
        records = records.overdue_on(today)
    else:
        records = records.order_by("-change_date", "-pk")
    return render(
        request,
        "staffing/change_list.html",
        {"page": _page(request, records), "show": show, "today": today},
    )


def _filable_posts(user):
    """The posts whose changes ``user`` files: the posts of their own unit, department or institution."""
    scope = get_scope(user)
    return (
        Post.objects.filter(
            Q(employer_id__in=scope.employer_ids)
            | Q(department_id__in=scope.department_ids)
            | Q(undertaking_org_id__in=scope.undertaking_org_ids)
            | Q(window_id__in=scope.window_ids)
        )
        .filter(active_to__isnull=True)
        .select_related("user")
        .order_by("kind", "pk")
    )


@login_required
def change_create(request):
    posts = _filable_posts(request.user)
    form = forms.ContactChangeForm(request.POST or None, posts=posts)
    if request.method == "POST" and form.is_valid():
        try:
            record = actions.file_contact_change(
                form.cleaned_data["post"],
                description=form.cleaned_data["description"],
                change_date=form.cleaned_data["change_date"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已报备，等待窗口确认备案。"))
            return redirect(record)
    return render(request, "staffing/change_form.html", {"form": form})


@login_required
def change_detail(request, pk):
    record = access.get_for_user(
        ChangeRecord.objects.select_related(
            "post__user", "window", "deadline", "filed_by", "acknowledged_by"
        ),
        request.user,
        pk,
    )
    steps = {step.name for step in actions.CHANGE_STEPS.available(request.user, record)}
    return render(
        request,
        "staffing/change_detail.html",
        {
            "record": record,
            "events": record.events.select_related("by"),
            "steps": steps,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def change_step(request, pk, step):
    record = access.get_for_user(ChangeRecord.objects.all(), request.user, pk)
    action = {"file": actions.file_change, "acknowledge": actions.acknowledge_change}.get(step)
    if action is None:
        raise Http404
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(record)
    try:
        action(
            record,
            note=form.cleaned_data["note"],
            by=request.user,
            at=timezone.now(),
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已报备。") if step == "file" else _("已确认备案。"))
    return redirect(record)


# -- S20: training ----------------------------------------------------------------------------------------


@login_required
def session_list(request):
    sessions = (
        TrainingSession.objects.visible_to(request.user)
        .select_related("window")
        .order_by("-session_date", "-pk")
    )
    return render(
        request,
        "staffing/session_list.html",
        {"page": _page(request, sessions), "can_create": _window_staff(request.user)},
    )


@login_required
def session_create(request):
    _require_window_staff(request.user)
    form = forms.SessionForm(request.POST or None, windows=_own_windows(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.create_training_session(by=request.user, at=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已登记培训。"))
            return redirect(session)
    return render(request, "staffing/session_form.html", {"form": form})


def _candidates(user, session):
    day = datetime.datetime.combine(
        session.session_date, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    return (
        Post.objects.visible_to(user)
        .active_at(day)
        .exclude(training_attendances__session=session)
        .select_related("user", "employer", "window", "department", "undertaking_org")
        .order_by("kind", "pk")
    )


@login_required
def session_detail(request, pk):
    session = access.get_for_user(
        TrainingSession.objects.select_related("window", "created_by"), request.user, pk
    )
    can_manage = access.keeps_registry_of(request.user, session.window)
    attendances = session.attendances.select_related("post__user", "post__employer", "post__window").order_by(
        "post__kind", "pk"
    )
    return render(
        request,
        "staffing/session_detail.html",
        {
            "session": session,
            "page": _page(request, attendances),
            "materials": session.materials.all(),
            "can_manage": can_manage,
            "attendance_form": forms.AttendanceForm(posts=_candidates(request.user, session))
            if can_manage
            else None,
            "material_form": forms.MaterialForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def session_attendance(request, pk):
    session = access.get_for_user(TrainingSession.objects.select_related("window"), request.user, pk)
    if not access.keeps_registry_of(request.user, session.window):
        raise PermissionDenied
    form = forms.AttendanceForm(request.POST, posts=_candidates(request.user, session))
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(session)
    try:
        added = actions.record_attendance(
            session, posts=list(form.cleaned_data["posts"]), by=request.user, at=timezone.now()
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已登记 %(count)s 名专员参训。") % {"count": added})
    return redirect(session)


@login_required
@require_POST
def session_material(request, pk):
    session = access.get_for_user(TrainingSession.objects.select_related("window"), request.user, pk)
    if not access.keeps_registry_of(request.user, session.window):
        raise PermissionDenied
    form = forms.MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(session)
    try:
        actions.add_training_material(
            session, file=form.cleaned_data["file"], by=request.user, at=timezone.now()
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已上传培训材料。"))
    return redirect(session)


@login_required
def material_download(request, pk):
    """Served only through the session's permission check, as an attachment with a sanitised name."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    material = (
        TrainingMaterial.objects.filter(pk=pk, session__in=TrainingSession.objects.visible_to(request.user))
        .select_related("session")
        .first()
    )
    if material is None:
        raise Http404
    audit.record(AuditEvent.Kind.EXPORT, request=request, obj=material, detail="training material download")
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name,
        content_type=material.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def training_hours(request):
    """S20: each commissioner's training hours in a year, fewest first, those below the minimum marked."""
    _require_window_staff(request.user)
    windows = _own_windows(request.user).order_by("path")
    window = (
        windows.filter(pk=request.GET.get("window") or 0).first()
        if request.GET.get("window", "").isdigit()
        else None
    )
    window = window or windows.first()
    year = forms.parse_year(request.GET.get("year"), timezone.localdate().year)
    rows = selectors.training_hours(window=window, year=year) if window else []
    minimum = scoring.training_minimum_hours()
    if request.GET.get("below") == "1":
        rows = [row for row in rows if row[1] < minimum]
    return render(
        request,
        "staffing/training_hours.html",
        {
            "windows": windows,
            "window": window,
            "year": year,
            "minimum": minimum,
            "page": _page(request, rows),
            "summary": selectors.training_summary(window=window, year=year) if window else None,
            "below": request.GET.get("below") == "1",
        },
    )


# -- S21: weights and scorecards --------------------------------------------------------------------------


@login_required
def weights(request):
    _require_window_staff(request.user)
    current = actions.current_weights()
    form = forms.WeightsForm(
        request.POST or None,
        initial_weights={c: current.weight_of(c) for c in Component.values} if current else None,
    )
    if request.method == "POST":
        if not access.sets_weights(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                version = actions.create_weights_version(
                    weights=form.weights(), note=form.cleaned_data["note"], by=request.user, at=timezone.now()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已制定%(version)s考核权重。") % {"version": version})
                return redirect("staffing:weights")
    versions = WeightsVersion.objects.select_related("created_by").order_by("-number")
    return render(
        request,
        "staffing/weights.html",
        {
            "form": form,
            "page": _page(request, versions),
            "components": Component.choices,
            "can_set": access.sets_weights(request.user),
        },
    )


def _period_filter(request):
    period = request.GET.get("period")
    if period not in Period.values:
        period = Period.YEAR
    today = timezone.localdate()
    if period == Period.YEAR:
        start = datetime.date(forms.parse_year(request.GET.get("year"), today.year - 1), 1, 1)
    else:
        start = forms.parse_month(request.GET.get("month")) or (
            today.replace(day=1) - datetime.timedelta(days=1)
        ).replace(day=1)
    return period, start


@login_required
def scorecard_list(request):
    _require_window_staff(request.user)
    period, start = _period_filter(request)
    cards = (
        Scorecard.objects.visible_to(request.user)
        .filter(period=period, period_start=start)
        .select_related(
            "post__user",
            "post__employer",
            "post__window",
            "post__department",
            "post__undertaking_org",
            "window",
        )
        .order_by("-total", "post_id")
    )
    return render(
        request,
        "staffing/scorecard_list.html",
        {"page": _page(request, cards), "period": period, "start": start, "periods": Period.choices},
    )


@login_required
def scorecard_detail(request, pk):
    card = access.get_for_user(
        Scorecard.objects.select_related(
            "post__user",
            "post__employer",
            "post__window",
            "post__department",
            "post__undertaking_org",
            "window",
            "weights",
        ),
        request.user,
        pk,
    )
    return render(
        request,
        "staffing/scorecard_detail.html",
        {
            "card": card,
            "rows": card.rows(),
            "can_manage": access.keeps_registry_of(request.user, card.window),
            "notices": card.notices.visible_to(request.user),
        },
    )


@login_required
@require_POST
def scorecard_recompute(request, pk):
    card = access.get_for_user(Scorecard.objects.select_related("window", "post"), request.user, pk)
    if not access.keeps_registry_of(request.user, card.window):
        raise PermissionDenied
    actions.compute_scorecard(
        card.post, period=card.period, period_start=card.period_start, at=timezone.now()
    )
    messages.success(request, _("已按最新数据重新计算。"))
    return redirect(card)


@login_required
def scorecard_evidence(request, pk, component):
    """Every figure's records: the rows the figure counted, from the same query."""
    if component not in Component.values:
        raise Http404
    card = access.get_for_user(Scorecard.objects.select_related("post__user", "window"), request.user, pk)
    start, end = card.bounds
    lists = scoring.evidence(component, card.post, start, end, today=timezone.localdate(card.computed_at))
    pages = {
        name: Paginator(rows, PAGE_SIZE).get_page(request.GET.get(f"{name}_page"))
        for name, rows in lists.items()
    }
    return render(
        request,
        "staffing/scorecard_evidence.html",
        {
            "card": card,
            "component": Component(component),
            "figure": card.figures.get(component, {}),
            "pages": pages,
        },
    )


@login_required
def mine(request):
    """A commissioner's own scorecards and notices (S21, S22): built for a phone."""
    if not access.has_scorecards(request.user):
        raise PermissionDenied
    cards = (
        Scorecard.objects.filter(post__user=request.user)
        .select_related("post__employer", "post__window", "post__department", "post__undertaking_org")
        .order_by("-period_start", "period", "pk")
    )
    notices = (
        AccountabilityNotice.objects.visible_to(request.user)
        .filter(post__user=request.user)
        .order_by("-drafted_at")
    )
    return render(request, "staffing/mine.html", {"page": _page(request, cards), "notices": notices[:20]})


# -- S22: commendation and accountability ------------------------------------------------------------------


@login_required
def commendation_list(request):
    _require_window_staff(request.user)
    form = forms.CommendationForm(
        request.POST or None,
        windows=_own_windows(request.user),
        initial={"year": timezone.localdate().year - 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            commendation = actions.draft_commendation_list(
                by=request.user, at=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已起草表扬名单。"))
            return redirect(commendation)
    lists = CommendationList.objects.visible_to(request.user).select_related("window", "decided_by")
    return render(request, "staffing/commendation_list.html", {"form": form, "page": _page(request, lists)})


@login_required
def commendation_detail(request, pk):
    commendation = access.get_for_user(
        CommendationList.objects.select_related("window", "drafted_by", "decided_by"), request.user, pk
    )
    entries = commendation.entries.select_related(
        "scorecard__post__user",
        "scorecard__post__employer",
        "scorecard__post__window",
        "scorecard__post__department",
        "scorecard__post__undertaking_org",
    )
    return render(
        request,
        "staffing/commendation_detail.html",
        {
            "commendation": commendation,
            "entries": entries,
            "can_decide": commendation.status == "draft"
            and access.manages_window(request.user, commendation.window),
            "form": forms.DecisionForm(initial={"version": commendation.version}),
        },
    )


@login_required
@require_POST
def commendation_decide(request, pk):
    commendation = access.get_for_user(CommendationList.objects.select_related("window"), request.user, pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(commendation)
    try:
        actions.decide_commendation_list(
            commendation,
            note=form.cleaned_data["text"],
            by=request.user,
            at=timezone.now(),
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已决定表扬名单。"))
    return redirect(commendation)


@login_required
def notice_list(request):
    _require_window_staff(request.user)
    notices = AccountabilityNotice.objects.visible_to(request.user).select_related("post__user", "window")
    year = forms.parse_year(request.GET.get("year"), timezone.localdate().year - 1)
    threshold = scoring.failing_total()
    failing = (
        Scorecard.objects.visible_to(request.user)
        .filter(period=Period.YEAR, period_start=datetime.date(year, 1, 1), total__lt=threshold)
        .exclude(notices__isnull=False)
        .select_related("post__user", "window")
        .order_by("total", "pk")
    )
    return render(
        request,
        "staffing/notice_list.html",
        {
            "page": _page(request, notices),
            "failing": failing[:50],
            "year": year,
            "threshold": threshold,
        },
    )


@login_required
def notice_create(request, pk):
    card = access.get_for_user(Scorecard.objects.select_related("post__user", "window"), request.user, pk)
    if not access.keeps_registry_of(request.user, card.window) or card.period != Period.YEAR:
        raise PermissionDenied
    form = forms.NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = actions.draft_accountability_notice(
                post=card.post,
                year=card.period_start.year,
                scorecard=card,
                reason=form.cleaned_data["reason"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已起草通报。"))
            return redirect(notice)
    return render(request, "staffing/notice_form.html", {"form": form, "card": card})


@login_required
def notice_detail(request, pk):
    notice = access.get_for_user(
        AccountabilityNotice.objects.select_related(
            "post__user", "window", "scorecard", "drafted_by", "issued_by", "responded_by", "decided_by"
        ),
        request.user,
        pk,
    )
    steps = {step.name for step in actions.NOTICE_STEPS.available(request.user, notice)}
    initial = {"version": notice.version}
    return render(
        request,
        "staffing/notice_detail.html",
        {
            "notice": notice,
            "interviews": notice.interviews.select_related("recorded_by"),
            "events": notice.events.select_related("by"),
            "steps": steps,
            "interview_form": forms.InterviewForm(initial=initial),
            "response_form": forms.ResponseForm(initial=initial),
            "decision_form": forms.DecisionForm(initial=initial),
            "is_draft": notice.status == NoticeStatus.DRAFT,
        },
    )


@login_required
@require_POST
def notice_step(request, pk, step):
    notice = access.get_for_user(
        AccountabilityNotice.objects.select_related("window", "post"), request.user, pk
    )
    at = timezone.now()
    try:
        if step == "issue":
            actions.issue_notice(notice, by=request.user, at=at, expected_version=_version(request.POST))
            done = _("已发出通报。")
        elif step == "interview":
            form = forms.InterviewForm(request.POST)
            if not form.is_valid():
                messages.error(request, _errors(form))
                return redirect(notice)
            data = dict(form.cleaned_data)
            version = data.pop("version")
            actions.record_interview(notice, by=request.user, at=at, expected_version=version, **data)
            done = _("已记录约谈。")
        elif step in ("respond", "decide"):
            form = (forms.ResponseForm if step == "respond" else forms.DecisionForm)(request.POST)
            if not form.is_valid():
                messages.error(request, _errors(form))
                return redirect(notice)
            version = form.cleaned_data["version"]
            if step == "respond":
                actions.respond_to_notice(
                    notice,
                    response=form.cleaned_data["text"],
                    by=request.user,
                    at=at,
                    expected_version=version,
                )
                done = _("已回复。")
            else:
                actions.decide_notice(
                    notice,
                    decision=form.cleaned_data["text"],
                    by=request.user,
                    at=at,
                    expected_version=version,
                )
                done = _("已记录处理决定。")
        else:
            raise Http404
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return redirect(notice)
