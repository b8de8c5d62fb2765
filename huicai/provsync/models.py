"""The provincial sync (W15): an outbox of what changed in talents and their cards, the batches that
carry it to the provincial talent system, and the reconciliations of a provincial list against ours.

The outbox is captured, not written by each action. ``capture_changes`` compares every talent's and
every card's exchange row (the import/export template of issue 11) with the row last captured for it,
and appends a ``ProvincialChange`` for each one that differs. That misses nothing however a record was
changed — an action, a bulk import's ``bulk_create``, a status check-in's ``update()``, the admin — and
touches no other app; what it gives up is the intermediate states between two captures, which the
province does not want anyway (it keeps the current record, not our history: that stays with the
talent's own events).
"""

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from huicai.core.fields import EncryptedTextField
from huicai.provsync.choices import BatchStatus, Operation, RecordKind, Verdict


class ProvincialRecord(models.Model):
    """The row last captured for one talent or card: what the next capture compares with.

    The row holds an ID number and a phone, so it is stored encrypted; ``fingerprint`` is its keyed
    hash, so the capture compares hashes and decrypts only the rows that changed."""

    kind = models.CharField(_("类别"), max_length=10, choices=RecordKind.choices)
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    fingerprint = models.CharField(_("指纹"), max_length=64)
    row = EncryptedTextField(_("内容"))
    window_path = models.CharField(_("属地窗口路径"), max_length=255)
    captured_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("已同步记录")
        verbose_name_plural = _("已同步记录")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_record_per_object")]

    def __str__(self):
        return f"{self.kind}#{self.object_id}"


class ProvincialChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Window staff see the changes of talents at home in their subtree (as captured); the system
        administrator all of them; nobody else any."""
        from huicai.provsync.access import change_condition

        condition = change_condition(user)
        return self.none() if condition is None else self.filter(condition)

    def after(self, cursor: int):
        return self.filter(pk__gt=cursor).order_by("pk")


class ProvincialChange(models.Model):
    """One entry of the outbox: a talent or card created, changed or gone, with its row as captured.
    Its id is the cursor: "the changes since 120" are those with an id above 120. Never changed once
    written, so a batch resent is the same batch."""

    kind = models.CharField(_("类别"), max_length=10, choices=RecordKind.choices)
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    operation = models.CharField(_("操作"), max_length=10, choices=Operation.choices)
    # The exchange row (Chinese headers) as captured, in full: encrypted at rest, masked when shown.
    row = EncryptedTextField(_("内容"))
    # The headers whose value changed (no values: those are in the row).
    changed = models.JSONField(_("变更字段"), default=list)
    window_path = models.CharField(_("属地窗口路径"), max_length=255, db_index=True)
    captured_at = models.DateTimeField(_("记录时间"))

    objects = ProvincialChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("待同步变更")
        verbose_name_plural = _("待同步变更")
        ordering = ["pk"]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.operation}"


class ProvincialBatchQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=BatchStatus.SENT)

    def due(self, at):
        """Waiting and due, or claimed by a sender whose lease ran out."""
        return self.filter(
            Q(status=BatchStatus.PENDING, next_attempt_at__lte=at)
            | Q(status=BatchStatus.SENDING, next_attempt_at__lte=at)
        )

    def cursor(self) -> int:
        """The last change the province acknowledged: it advances only when a batch is delivered."""
        return self.filter(status=BatchStatus.SENT).aggregate(last=Max("last_change_id"))["last"] or 0


class ProvincialBatch(models.Model):
    """The changes after ``after_change_id`` up to ``last_change_id``, posted to the province in one signed
    request. Batches go one at a time and in order: the next is made only when this one is delivered, so
    the province never sees a change twice nor a later one before an earlier one. Resent on failure under
    the same ``webhook_id``, which the province may use to drop a duplicate."""

    # Where the batch goes: the one provincial system today; a column so the database can keep one batch
    # open per destination.
    destination = models.CharField(_("目的地"), max_length=20, default="province", editable=False)
    after_change_id = models.PositiveBigIntegerField(_("起始游标"))
    last_change_id = models.PositiveBigIntegerField(_("截止游标"))
    count = models.PositiveIntegerField(_("变更条数"))
    webhook_id = models.CharField(_("消息编号"), max_length=100, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # Each resend by window staff after the batch was given up opens another round of attempts.
    resends = models.PositiveSmallIntegerField(_("重新发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"))
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)

    objects = ProvincialBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("同步批次")
        verbose_name_plural = _("同步批次")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_change_id__gt=models.F("after_change_id")),
                name="batch_not_empty",
                violation_error_message=_("同步批次不能为空。"),
            ),
            # One batch in flight at a time: the order of changes is the order of batches.
            models.UniqueConstraint(
                fields=["destination"],
                condition=~Q(status=BatchStatus.SENT),
                name="one_open_batch",
                violation_error_message=_("已有一个未送达的同步批次。"),
            ),
        ]

    def __str__(self):
        return f"{self.webhook_id} ({self.after_change_id}, {self.last_change_id}]"


class ProvincialAttempt(models.Model):
    """One try at posting a batch: when, the HTTP status or the error, how long it took."""

    batch = models.ForeignKey(
        ProvincialBatch, verbose_name=_("同步批次"), on_delete=models.CASCADE, related_name="attempt_rows"
    )
    number = models.PositiveSmallIntegerField(_("第几次"))
    at = models.DateTimeField(_("时间"))
    ok = models.BooleanField(_("成功"))
    status_code = models.PositiveSmallIntegerField(_("HTTP 状态"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["batch_id", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="one_row_per_attempt")]

    def __str__(self):
        return f"{self.batch_id}#{self.number}"


class ReconciliationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from huicai.provsync.access import reconciliation_condition

        condition = reconciliation_condition(user)
        return self.none() if condition is None else self.filter(condition)


class Reconciliation(models.Model):
    """A provincial list compared with our records of one jurisdiction: how many talents only there, only
    here, differing, the same, and the report row by row. The report is masked; the uploaded file, which
    holds full ID numbers, is not kept (its hash is)."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核对人"),
        on_delete=models.PROTECT,
        related_name="reconciliations",
    )
    at = models.DateTimeField(_("核对时间"))
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("核对范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reconciliations",
        help_text=_("按该窗口及其下级窗口的人才核对；为空表示全市。"),
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    file_sha256 = models.CharField(_("文件摘要"), max_length=64)
    counts = models.JSONField(_("统计"), default=dict)
    report = models.JSONField(_("核对报告"), default=list)

    objects = ReconciliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("省级名单核对")
        verbose_name_plural = _("省级名单核对")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.file_name} {self.at:%Y-%m-%d %H:%M}"

    def count_of(self, verdict) -> int:
        return self.counts.get(Verdict(verdict).value, 0)
