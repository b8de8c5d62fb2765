"""Pages of filings (W14, S18): the list (mine to file, filed with me), a filing with its versions, the
steps (remarks, file, refile, accept, return), the downloads, and the tree of a period's filing status.

Every state change goes through actions.py; a refusal is shown as the action's Chinese message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts.roles import get_scope
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.filings import access, actions, exports, forms, periods, snapshots
from huicai.filings.choices import SUBMITTED, FilingAction, FilingKind, FilingStatus
from huicai.filings.models import Filing, FilingVersion
from huicai.org.choices import WindowLevel
from huicai.org.models import Window

PAGE_SIZE = 25


@login_required
def filing_list(request):
    """The filings the user may see, latest period first: ``box=mine`` those they file, ``box=incoming``
    those filed with their windows."""
    if not access.files_anything(request.user):
        raise PermissionDenied
    form = forms.FilterForm(request.GET or None)
    filings = Filing.objects.visible_to(request.user).select_related(*access.FILING_RELATED)
    data = form.cleaned_data if form.is_valid() else {}
    scope = get_scope(request.user)
    if data.get("box") == "mine":
        filings = filings.filter(
            Q(filer_post_id__in=scope.unit_post_ids) | Q(filer_window_id__in=scope.window_ids)
        )
    elif data.get("box") == "incoming":
        filings = filings.filter(parent_window_id__in=scope.window_ids)
    if data.get("kind"):
        filings = filings.filter(kind=data["kind"])
    if data.get("status"):
        filings = filings.filter(status=data["status"])
    if data.get("window"):
        filings = filings.filter(parent_window_id=data["window"])
    if data.get("period"):
        # The filings whose period lies within the chosen one (a quarter: its months and itself).
        filings = filings.filter(
            period_start_date__gte=data["period"].start, period_end_date__lte=data["period"].end
        )
    filings = filings.order_by("-period_start_date", "due_date", "id")
    page = Paginator(filings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "filings/filing_list.html",
        {
            "page": page,
            "form": form,
            "today": timezone.localdate(),
            "is_window": access.is_window_staff(request.user),
        },
    )


def _outcomes(events):
    """{version number: (action, event)} of the parent's answer to each version."""
    outcomes = {}
    for event in events:
        if event.action in (FilingAction.ACCEPT, FilingAction.RETURN) and event.number:
            outcomes[event.number] = event
    return outcomes


def _selected_version(filing, versions, requested):
    if not versions:
        return None
    number = filing.current_number
    if requested and requested.isdigit():
        number = int(requested)
    match = next((v for v in versions if v.number == number), None)
    if match is None:
        raise Http404
    return FilingVersion.objects.select_related("filed_by").get(pk=match.pk)


def _snapshot_context(request, snapshot):
    talents = Paginator(snapshot["talents"], PAGE_SIZE).get_page(request.GET.get("page"))
    by_id = {row["id"]: row for row in snapshot["talents"]}
    services = Paginator(snapshot["services"], PAGE_SIZE).get_page(request.GET.get("spage"))
    shown = {row["id"]: row for row in talents}
    for service in services:
        if service["talent"] in by_id:
            shown[service["talent"]] = by_id[service["talent"]]
    names = access.names_for(request.user, list(shown.values()))
    talent_rows = [
        {
            **row,
            "shown_name": names[row["id"]],
            "count_values": [row["counts"][k] for k in snapshots.COUNT_KINDS],
        }
        for row in talents
    ]
    service_rows = [
        {**s, "type_label": snapshots.SERVICE_TYPES[s["type"]], "talent_name": names.get(s["talent"], "")}
        for s in services
    ]
    included = [
        {**f, "kind_label": FilingKind(f["kind"]).label, "status_label": FilingStatus(f["status"]).label}
        for f in snapshot["filings"]
    ]
    counts = [(snapshots.COUNT_LABELS[k], snapshot["counts"].get(k, 0)) for k in snapshots.COUNT_LABELS]
    return {
        "snapshot": snapshot,
        "counts": counts,
        "count_headers": [snapshots.COUNT_LABELS[k] for k in snapshots.COUNT_KINDS],
        "talents_page": talents,
        "talent_rows": talent_rows,
        "services_page": services,
        "service_rows": service_rows,
        "included": included,
    }


@login_required
def filing_detail(request, pk):
    filing = access.get_filing_for_user(request.user, pk)
    events = list(filing.events.select_related("by").order_by("at", "id"))
    versions = list(
        filing.versions.select_related("filed_by")
        .only("id", "filing_id", "number", "checksum", "talent_count", "filed_at", "filed_by__full_name")
        .order_by("number")
    )
    selected = _selected_version(filing, versions, request.GET.get("v"))
    outcomes = _outcomes(events)
    for version in versions:
        version.outcome = outcomes.get(version.number)
    steps = {step.name for step in access.FILING_STEPS.available(request.user, filing)}
    initial = {"version": filing.version, "remarks": filing.remarks}
    context = {
        "filing": filing,
        "events": events,
        "versions": versions,
        "selected": selected,
        "selected_outcome": outcomes.get(selected.number) if selected else None,
        "is_current": selected is not None and selected.number == filing.current_number,
        "today": timezone.localdate(),
        "late": filing.is_late_on(timezone.localdate()),
        "remarks_form": forms.RemarksForm(initial=initial, prefix="remarks") if "remarks" in steps else None,
        "file_step": next((s for s in ("file", "refile") if s in steps), None)
        if not filing.is_building
        else None,
        "accept_form": forms.AcceptForm(initial=initial, prefix="accept") if "accept" in steps else None,
        "return_form": forms.ReturnForm(initial=initial, prefix="return") if "return" in steps else None,
    }
    if selected is not None:
        context["checksum_holds"] = selected.checksum_holds()
        context.update(_snapshot_context(request, selected.snapshot))
    elif not filing.is_building and not actions.is_large(filing):
        # A draft: what the data says now, before the filer adds remarks and files it (W14).
        context["preview"] = True
        context.update(_snapshot_context(request, snapshots.build_snapshot(filing, remarks=filing.remarks)))
    return render(request, "filings/filing_detail.html", context)


@login_required
def filing_progress(request, pk):
    """The progress bar of a filing being built by the task worker (polled by HTMX)."""
    filing = access.get_filing_for_user(request.user, pk)
    return render(request, "filings/partials/progress.html", {"filing": filing})


STEP_FORMS = {
    "remarks": forms.RemarksForm,
    "file": forms.FileForm,
    "refile": forms.FileForm,
    "accept": forms.AcceptForm,
    "return": forms.ReturnForm,
}

STEP_DONE = {
    "remarks": _("说明已保存。"),
    "file": _("已报送，等待上级窗口审核。"),
    "refile": _("已重新报送，等待上级窗口审核。"),
    "accept": _("已接收。"),
    "return": _("已退回，报送方修改后可重新报送。"),
}


def _run_step(step, filing, data, *, by, at):
    version = data.get("version")
    if step == "remarks":
        return actions.save_remarks(filing, remarks=data["remarks"], by=by, at=at, expected_version=version)
    if step in ("file", "refile"):
        return actions.file_filing(filing, remarks=data["remarks"], by=by, at=at, expected_version=version)
    if step == "accept":
        return actions.accept_filing(filing, by=by, at=at, expected_version=version)
    return actions.return_filing(filing, reason=data["reason"], by=by, at=at, expected_version=version)


@login_required
@require_POST
def filing_step(request, pk, step):
    if step not in STEP_FORMS:
        raise Http404
    filing = access.get_filing_for_user(request.user, pk)
    # Seen but not theirs to act on: the filer files, the parent window accepts or returns.
    if not access.FILING_STEPS[step].may(request.user, filing):
        raise PermissionDenied
    prefix = "remarks" if step in ("file", "refile") else step
    form = STEP_FORMS[step](request.POST, prefix=prefix)
    if not form.is_valid():
        errors = [str(message) for field_errors in form.errors.values() for message in field_errors]
        messages.error(request, "；".join(errors))
        return redirect(filing)
    try:
        filing = _run_step(step, filing, form.cleaned_data, by=request.user, at=timezone.now())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if filing.is_building:
            messages.success(request, _("备案人数较多，快照正在后台生成，完成后自动报送。"))
        else:
            messages.success(request, STEP_DONE[step])
    return redirect(filing)


FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.workbook),
    "pdf": ("application/pdf", exports.pdf),
}


@login_required
def download(request, pk, number, fmt):
    """A filed version as Excel or PDF, from its frozen snapshot; audited, since it lists talents."""
    if fmt not in FORMATS:
        raise Http404
    filing = access.get_filing_for_user(request.user, pk)
    version = FilingVersion.objects.filter(filing=filing, number=number).first()
    if version is None:
        raise Http404
    content_type, build = FORMATS[fmt]
    body = build(filing, version, user=request.user)
    audit.record(
        AuditEvent.Kind.EXPORT,
        request=request,
        obj=filing,
        detail=f"filing v{number} {fmt} {version.checksum[:12]}",
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(filing, version, fmt)}"'
    return response


# --- the tree ------------------------------------------------------------------------------------------


def _tree_rows(user, quarter, today):
    """Each window in the user's sight, city → counties → parks, with its quarterly filing for
    ``quarter``, a county's annual filing for the quarter's year, and the unit reports filed with it for the
    months of the quarter (filed / due / accepted / late). Four queries whatever the tree's size."""
    scope = get_scope(user)
    windows = Window.objects.filter(is_active=True)
    if not scope.is_superuser:
        windows = windows.subtree_of(Window.objects.filter(pk__in=scope.window_ids))
    windows = list(windows.order_by("path"))
    ids = [w.pk for w in windows]
    year = periods.containing(periods.YEAR, quarter.start)
    own = Filing.objects.filter(filer_window_id__in=ids).filter(
        Q(kind=FilingKind.QUARTERLY, period_start_date=quarter.start)
        | Q(kind=FilingKind.ANNUAL, period_start_date=year.start)
    )
    by_window = {}
    for filing in own:
        by_window[(filing.filer_window_id, filing.kind)] = filing
    unit = (
        Filing.objects.filter(
            kind=FilingKind.UNIT,
            parent_window_id__in=ids,
            period_start_date__gte=quarter.start,
            period_end_date__lte=quarter.end,
        )
        .values("parent_window_id")
        .annotate(
            due=Count("pk"),
            filed=Count("pk", filter=Q(status__in=SUBMITTED)),
            accepted=Count("pk", filter=Q(status=FilingStatus.ACCEPTED)),
        )
        .order_by()
    )
    unit_counts = {row["parent_window_id"]: row for row in unit}
    late_units = dict(
        Filing.objects.filter(
            kind=FilingKind.UNIT,
            parent_window_id__in=ids,
            period_start_date__gte=quarter.start,
            period_end_date__lte=quarter.end,
        )
        .filter(Q(first_filed_date__isnull=True, due_date__lt=today) | Q(first_filed_date__gt=F("due_date")))
        .values_list("parent_window_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    root_depth = min((w.path.count("/") for w in windows), default=1)
    rows = []
    for window in windows:
        quarterly = by_window.get((window.pk, FilingKind.QUARTERLY))
        annual = by_window.get((window.pk, FilingKind.ANNUAL))
        counts = unit_counts.get(window.pk, {})
        rows.append(
            {
                "window": window,
                "depth": window.path.count("/") - root_depth,
                "files_quarterly": window.level in actions.FILING_LEVELS[FilingKind.QUARTERLY]
                and window.parent_id,
                "files_annual": window.level == WindowLevel.COUNTY,
                "quarterly": quarterly,
                "quarterly_late": quarterly.is_late_on(today) if quarterly else False,
                "annual": annual,
                "annual_late": annual.is_late_on(today) if annual else False,
                "unit_due": counts.get("due", 0),
                "unit_filed": counts.get("filed", 0),
                "unit_accepted": counts.get("accepted", 0),
                "unit_late": late_units.get(window.pk, 0),
            }
        )
    return rows


@login_required
def tree(request):
    """The tree's filing status for one quarter (``?period=2026-Q1``): the city sees the whole tree, a
    county its own subtree; each window with its quarterly and annual filings (status, filed and accepted
    dates, late flags) and its children's unit reports."""
    if not access.is_window_staff(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    token = request.GET.get("period", "")
    error = ""
    quarter = periods.last_completed(FilingKind.QUARTERLY, today)
    if token:
        try:
            chosen = periods.parse(token)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            quarter = periods.containing(periods.QUARTER, chosen.start)
    rows = _tree_rows(request.user, quarter, today)
    quarters = [quarter.previous(), quarter, quarter.next()]
    return render(
        request,
        "filings/tree.html",
        {"rows": rows, "quarter": quarter, "quarters": quarters, "error": error, "today": today},
        status=400 if error else 200,
    )
