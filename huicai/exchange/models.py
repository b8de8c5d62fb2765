"""The import history: one batch per uploaded file, and one change row per record an import wrote.

A city's data arrives in files (issue 11): who brought which file in, when, what it did to each row, and the
file itself are kept, so an import can be audited and its report downloaded again later.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huicai.exchange.choices import BatchStatus


def import_file_path(batch, filename):
    # Kept under MEDIA_ROOT like casework materials, which the web server never serves.
    return f"imports/{batch.created_at:%Y/%m}/{batch.sha256[:16]}-{batch.kind}.{batch.extension}"


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Window staff see the batches of their own window's subtree: those their windows' staff
        uploaded; the system administrator sees all."""
        from huicai.accounts.roles import get_scope

        scope = get_scope(user)
        if scope.is_superuser:
            return self
        if not scope.window_paths:
            return self.none()
        condition = models.Q()
        for path in scope.window_paths:
            condition |= models.Q(window__path__startswith=path)
        return self.filter(condition)


class ImportBatch(models.Model):
    """One uploaded file of one kind, from upload through dry run to the confirmed write."""

    kind = models.CharField(_("数据类型"), max_length=20)
    status = models.CharField(
        _("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    # The uploader's window when uploading, for the history's jurisdiction (None for the administrator).
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"))
    file = models.FileField(_("文件"), upload_to=import_file_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=100)
    extension = models.CharField(_("格式"), max_length=5)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("大小"))
    skip_errors = models.BooleanField(_("跳过错误行"), default=False)
    progress_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    progress_total = models.PositiveIntegerField(_("总行数"), default=0)
    counts = models.JSONField(_("计数"), default=dict, blank=True)
    report = models.JSONField(_("逐行报告"), default=dict, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    planned_at = models.DateTimeField(_("预检完成时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("exchange:batch", args=[self.pk])

    def get_kind_display(self) -> str:
        from huicai.exchange.kinds import KINDS

        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_running(self) -> bool:
        return self.status in (
            BatchStatus.UPLOADED,
            BatchStatus.PLANNING,
            BatchStatus.CONFIRMED,
            BatchStatus.WRITING,
        )


class ImportChange(models.Model):
    """One record an import created or changed, and what changed (by header, personal values masked):
    the history of what files did to the data."""

    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    kind = models.CharField(_("数据类型"), max_length=20)
    line = models.PositiveIntegerField(_("行号"))
    status = models.CharField(_("结果"), max_length=10)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象"), max_length=64)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("导入变更记录")
        verbose_name_plural = _("导入变更记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.kind} #{self.line} {self.status} {self.object_type}:{self.object_id}"
