"""The windows' pages for the provincial sync (W15): the outbox and its delivery, the download of the
changes since a cursor, and the reconciliation of a provincial list. Window staff see their subtree; the
system administrator the city; anyone else gets a 404."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.provsync import actions, formats
from huicai.provsync.access import get_reconciliation_for_user, may_resend, require_sync
from huicai.provsync.choices import Verdict
from huicai.provsync.forms import OutboxDownloadForm, ReconciliationForm
from huicai.provsync.models import ProvincialBatch, ProvincialChange, Reconciliation


@login_required
def home(request):
    require_sync(request.user)
    changes = ProvincialChange.objects.visible_to(request.user)
    context = {
        "latest": changes.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "change_count": changes.count(),
        "cursor": ProvincialBatch.objects.cursor(),
        "configured": actions.sync_configured(),
        "may_resend": may_resend(request.user),
        "batches": ProvincialBatch.objects.all()[:10],
        "download_form": OutboxDownloadForm(),
        "reconcile_form": ReconciliationForm(),
        "reconciliations": Reconciliation.objects.visible_to(request.user).select_related("by", "window")[
            :10
        ],
    }
    context["pending"] = changes.filter(pk__gt=context["cursor"]).count()
    return render(request, "provsync/sync_home.html", context)


@login_required
def download(request):
    """The changes after ``since`` in the user's jurisdiction; masked, or in full when asked for, which is
    recorded as an export of personal data."""
    require_sync(request.user)
    form = OutboxDownloadForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("参数有误。"), status=400)
    since = form.cleaned_data["since"] or 0
    reveal = form.cleaned_data["reveal"]
    changes = ProvincialChange.objects.visible_to(request.user).after(since)
    if reveal:
        audit.record(
            AuditEvent.Kind.EXPORT,
            request=request,
            detail=f"provincial outbox after {since} ({form.cleaned_data['format']})",
        )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    if form.cleaned_data["format"] == "jsonl":
        response = StreamingHttpResponse(
            formats.write_jsonl(changes.iterator(chunk_size=1000), reveal=reveal),
            content_type="application/x-ndjson; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="province-changes-{since}-{stamp}.jsonl"'
        return response
    content = formats.write_xlsx(changes.iterator(chunk_size=1000), reveal=reveal)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"province-changes-{since}-{stamp}.xlsx",
        content_type=formats.XLSX_CONTENT_TYPE,
    )


@login_required
@require_POST
def resend(request, pk):
    require_sync(request.user)
    batch = get_object_or_404(ProvincialBatch, pk=pk)
    if not may_resend(request.user):
        raise PermissionDenied
    try:
        actions.resend_batch(batch, by=request.user, at=timezone.now())
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已安排重新发送。"))
    return redirect("provsync:home")


@login_required
@require_POST
def reconcile(request):
    require_sync(request.user)
    form = ReconciliationForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            reconciliation = actions.reconcile(
                uploaded, by=request.user, at=timezone.now(), file_name=uploaded.name
            )
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            return redirect("provsync:reconciliation", pk=reconciliation.pk)
    messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("provsync:home")


@login_required
def reconciliation_detail(request, pk):
    reconciliation = get_reconciliation_for_user(request.user, pk)
    verdict = request.GET.get("verdict", "")
    rows = [r for r in reconciliation.report if not verdict or r["verdict"] == verdict]
    return render(
        request,
        "provsync/reconciliation_detail.html",
        {
            "reconciliation": reconciliation,
            "rows": rows[:500],
            "truncated": len(rows) > 500,
            "verdicts": [(v.value, v.label, reconciliation.counts.get(v.value, 0)) for v in Verdict],
            "verdict": verdict,
            "labels": dict(Verdict.choices),
        },
    )


@login_required
def reconciliation_report(request, pk):
    reconciliation = get_reconciliation_for_user(request.user, pk)
    return FileResponse(
        io.BytesIO(formats.write_reconciliation_xlsx(reconciliation)),
        as_attachment=True,
        filename=f"reconciliation-{reconciliation.pk}.xlsx",
        content_type=formats.XLSX_CONTENT_TYPE,
    )
