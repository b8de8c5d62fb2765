"""The archive pages: the talent's own (phone first), the per-talent archive for their unit commissioner and
their window chain, the reason staff state before opening it, and the PDF and Excel exports.

Every view and export is audited (actions.record_reading); staff without a live reason are sent to state one.
"""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from huicai.accounts.roles import get_scope
from huicai.archives import access, actions, export, timeline
from huicai.archives.choices import Basis, Reading
from huicai.archives.forms import FilterForm, ReasonForm
from huicai.core.transitions import ActionRefused

PAGE_SIZE = 20


def _reason_for(request, talent, basis, at):
    """The live reason staff read under, or None; ``(None, redirect)`` when staff have none yet."""
    if basis not in access.NEEDS_REASON:
        return None, None
    reason = actions.live_reason(talent, by=request.user, at=at)
    if reason is None:
        query = urlencode({"next": request.get_full_path()})
        url = f"{reverse('archives:reason', args=[talent.pk])}?{query}"
        # A reason that lapsed while paging by HTMX: the whole page goes to the form, not the list's box.
        return None, HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return reason, None


def _filters(form):
    """What the filter form asks for, as ``entries()`` arguments and as words for the audit and the export
    (the end day is included: the query runs to the midnight after it)."""
    data = form.cleaned_data if form.is_bound else {}
    start, end, kind = data.get("start"), data.get("end"), data.get("kind") or ""
    kinds = [kind] if kind else list(timeline.KINDS)
    until = end + datetime.timedelta(days=1) if end else None
    words = "{}–{}".format(start.isoformat() if start else "", end.isoformat() if end else "")
    period = _("%(start)s 至 %(end)s") % {
        "start": start.isoformat() if start else _("最早"),
        "end": end.isoformat() if end else _("现在"),
    }
    audit_detail = f"period {words}; kind {kind or 'all'}"
    return {"start": start, "end": until, "kinds": kinds}, period, audit_detail


def _entries(request, talent, query):
    return timeline.entries(
        talent, start=query["start"], end=query["end"], viewer=request.user, kinds=query["kinds"]
    )


@login_required
@require_GET
def mine(request):
    """The signed-in talent's own archive; anyone else has no "my archive" (403, as the menu says)."""
    talent_id = get_scope(request.user).talent_id
    if not talent_id:
        raise PermissionDenied
    return _show(request, talent_id)


@login_required
@require_GET
def archive(request, pk):
    return _show(request, pk)


def _show(request, pk):
    """The archive, newest first, a page at a time; an HTMX request (filters, pages) gets the list alone."""
    now = timezone.now()
    talent, basis = access.get_archive_talent_for_user(request.user, pk)
    reason, go_state_one = _reason_for(request, talent, basis, now)
    if go_state_one:
        return go_state_one
    form = FilterForm(request.GET or None)
    context = {
        "talent": talent,
        "basis": basis,
        "reason": reason,
        "form": form,
        "is_talent": basis == Basis.TALENT,
    }
    template = "archives/partials/entries.html" if request.htmx else "archives/archive_detail.html"
    if form.is_bound and not form.is_valid():
        # Bad filters read nothing, so nothing is audited.
        return render(request, template, context, status=400)
    query, period, audit_detail = _filters(form)
    rows = _entries(request, talent, query)
    rows.reverse()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    actions.record_reading(
        talent,
        reading=Reading.VIEW,
        by=request.user,
        at=now,
        request=request,
        reason=reason,
        detail=audit_detail,
    )
    context.update(page=page, period=period, export_query=_export_query(request))
    return render(request, template, context)


def _export_query(request):
    """The filters of the page, for the export links (the page number is no filter)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def export_pdf(request, pk):
    return _export(request, pk, Reading.PDF)


@login_required
@require_GET
def export_xlsx(request, pk):
    return _export(request, pk, Reading.XLSX)


CONTENT_TYPES = {
    Reading.PDF: ("application/pdf", "pdf"),
    Reading.XLSX: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def _export(request, pk, reading):
    """The archive as a file, oldest first, with the page's filters. The file name carries the talent's
    row number, never their name (personal data stays out of URLs, file names and logs)."""
    now = timezone.now()
    talent, basis = access.get_archive_talent_for_user(request.user, pk)
    reason, go_state_one = _reason_for(request, talent, basis, now)
    if go_state_one:
        return go_state_one
    form = FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {
            "talent": talent,
            "basis": basis,
            "reason": reason,
            "form": form,
            "is_talent": basis == Basis.TALENT,
        }
        return render(request, "archives/archive_detail.html", context, status=400)
    query, period, audit_detail = _filters(form)
    rows = _entries(request, talent, query)
    build = export.archive_pdf if reading == Reading.PDF else export.archive_workbook
    body = build(
        talent,
        rows,
        kinds=query["kinds"],
        generated_at=now,
        period=period,
        viewer_name=request.user.get_full_name() or request.user.get_username(),
    )
    actions.record_reading(
        talent, reading=reading, by=request.user, at=now, request=request, reason=reason, detail=audit_detail
    )
    content_type, extension = CONTENT_TYPES[reading]
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localtime(now).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="archive-{talent.pk}-{stamp}.{extension}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reason(request, pk):
    """Staff say why they open the archive before it opens (the talent and their unit commissioner skip
    this page). A refused or incomplete reason is shown again with the Chinese message, and nothing is kept."""
    now = timezone.now()
    talent, basis = access.get_archive_talent_for_user(request.user, pk)
    target = request.GET.get("next") or ""
    if not target.startswith(reverse("archives:talent", args=[talent.pk])):
        target = reverse("archives:talent", args=[talent.pk])  # only back into this archive: no open redirect
    if basis not in access.NEEDS_REASON:
        return redirect(target)
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.state_reason(
                    talent,
                    purpose=form.cleaned_data["purpose"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                    at=now,
                    request=request,
                )
            except ActionRefused as error:
                form.add_error(None, error.messages)
            else:
                return redirect(target)
        status = 400
    context = {"talent": talent, "basis": basis, "form": form, "next": target}
    return render(request, "archives/archive_reason.html", context, status=status)
