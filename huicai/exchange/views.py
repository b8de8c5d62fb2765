"""Pages of the exchange: templates to download, exports, uploads with their dry run and progress bar, the
confirmation, and the import history (issue 11 part 1). Window staff only; each sees their own subtree."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.exchange import actions, files, tasks
from huicai.exchange.access import get_batch_for_user, require_exchange
from huicai.exchange.kinds import KINDS, ExchangeError, RowStatus, export_rows
from huicai.exchange.models import ImportBatch

REPORT_ROWS_SHOWN = 200


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("数据类型"), choices=[])
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.label) for k in KINDS.values()]


class ConfirmForm(forms.Form):
    skip_errors = forms.BooleanField(label=gettext_lazy("跳过错误行，只导入无误的行"), required=False)


def _kind_or_404(code):
    kind = KINDS.get(code)
    if kind is None:
        raise Http404
    return kind


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)


@login_required
def exchange_home(request):
    """The kinds with their template and export, the upload form, and the user's import history."""
    require_exchange(request.user)
    batches = ImportBatch.objects.visible_to(request.user).select_related("created_by")[:50]
    return render(
        request,
        "exchange/exchange_home.html",
        {"kinds": KINDS.values(), "form": UploadForm(), "batches": batches},
    )


@login_required
def template_download(request, kind):
    """An empty template of ``kind``: the Chinese headers, and an instruction sheet."""
    require_exchange(request.user)
    kind = _kind_or_404(kind)
    content = files.write_xlsx(kind, [])
    return _download(content, f"{kind.label}导入模板.xlsx", files.XLSX_CONTENT_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def export_download(request, kind):
    """The user's jurisdiction of ``kind`` in the template's format, masked unless asked to reveal;
    every export of personal data is audited, a revealing one as such. Revealing takes a POST (like the
    talent page's reveal), so no link or image can make a browser fetch full ID numbers."""
    require_exchange(request.user)
    kind = _kind_or_404(kind)
    data = request.POST if request.method == "POST" else request.GET
    reveal = request.method == "POST" and data.get("reveal") == "1"
    fmt = "csv" if data.get("format") == "csv" else "xlsx"
    rows = export_rows(kind, request.user, reveal=reveal, at=timezone.now())
    audit.record(
        AuditEvent.Kind.EXPORT,
        request=request,
        detail=f"exchange:{kind.code}:{'revealed' if reveal else 'masked'}:{fmt}",
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "csv":
        return _download(files.write_csv(kind, rows), f"{kind.label}-{stamp}.csv", "text/csv; charset=utf-8")
    return _download(files.write_xlsx(kind, rows), f"{kind.label}-{stamp}.xlsx", files.XLSX_CONTENT_TYPE)


@login_required
@require_POST
def upload(request):
    """Keep the file as a new batch and hand its dry run to the worker; the batch page shows progress."""
    require_exchange(request.user)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            batch = actions.create_batch(
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            transaction.on_commit(lambda: tasks.enqueue(tasks.plan_import_batch, batch.pk))
            return redirect(batch)
    batches = ImportBatch.objects.visible_to(request.user).select_related("created_by")[:50]
    return render(
        request,
        "exchange/exchange_home.html",
        {"kinds": KINDS.values(), "form": form, "batches": batches},
        status=400,
    )


def _batch_context(batch):
    report = batch.report or {}
    rows = report.get("rows", [])
    # Errors first: they are what the person has to fix.
    errors = [r for r in rows if r["status"] == RowStatus.ERROR]
    others = [r for r in rows if r["status"] != RowStatus.ERROR and r["status"] != RowStatus.UNCHANGED]
    shown = (errors + others)[:REPORT_ROWS_SHOWN]
    labels = {s.value: s.label for s in RowStatus}
    for row in shown:
        row["status_label"] = labels.get(row["status"], row["status"])
    return {
        "batch": batch,
        "report": report,
        "shown_rows": shown,
        "hidden_count": max(0, len(errors) + len(others) - len(shown)),
        "counts": [(labels[k], batch.counts.get(k, 0), k) for k in labels],
        "has_errors": bool(report.get("file_errors")) or batch.counts.get(RowStatus.ERROR, 0) > 0,
        "confirm_form": ConfirmForm(),
    }


@login_required
def batch_detail(request, pk):
    """One import: its progress bar while the worker runs (polled by HTMX), then its report and the
    confirmation."""
    require_exchange(request.user)
    batch = get_batch_for_user(request.user, pk)
    context = _batch_context(batch)
    if request.htmx:
        return render(request, "exchange/partials/batch_status.html", context)
    return render(request, "exchange/batch_detail.html", context)


@login_required
@require_POST
def batch_confirm(request, pk):
    """Confirm a dry-run file; the write runs in the worker."""
    require_exchange(request.user)
    batch = get_batch_for_user(request.user, pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        batch = actions.confirm_batch(
            batch, skip_errors=form.cleaned_data.get("skip_errors", False), by=request.user, at=timezone.now()
        )
    except ExchangeError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        transaction.on_commit(lambda: tasks.enqueue(tasks.write_import_batch, batch.pk))
        messages.success(request, _("已确认导入，正在写入。"))
    return redirect(batch)


@login_required
def batch_report(request, pk):
    """The per-row report as a spreadsheet (no personal value in it but masked ones)."""
    require_exchange(request.user)
    batch = get_batch_for_user(request.user, pk)
    content = files.report_xlsx(batch.report or {})
    return _download(content, f"导入报告-{batch.pk}.xlsx", files.XLSX_CONTENT_TYPE)
