"""The audit log: security events and reveals of personal data (SECURITY.md)."""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import connections, models, transaction
from django.utils.translation import gettext_lazy as _

# Any constant: the key of the PostgreSQL advisory lock that serialises appends to the audit chain.
AUDIT_CHAIN_LOCK = 0x48554943  # "HUIC"

# The fields a row's hash covers, in this order. Adding one is a new chain version, never an edit here.
CHAINED_FIELDS = [
    "at",
    "kind",
    "actor_id",
    "actor_login",
    "actor_name",
    "subject_ref",
    "roles",
    "jurisdiction",
    "object_type",
    "object_id",
    "result",
    "detail",
    "ip",
    "request_id",
    "prev_hash",
]


def chained_content(event) -> dict:
    """What a row's hash covers, as plain JSON values (also used by the migration that chained old rows,
    and by the archive files)."""
    content = {name: getattr(event, name) for name in CHAINED_FIELDS}
    content["at"] = event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    content["ip"] = str(event.ip) if event.ip else None
    return content


def chain_hash(content: dict) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")

    def chain_head(self) -> str:
        """The hash the next row links to: the newest row's, or the last archive's when the table is empty."""
        last = self.order_by("-id").values_list("row_hash", flat=True).first()
        if last is not None:
            return last
        archive = AuditArchive.objects.order_by("-last_id").values_list("last_hash", flat=True).first()
        return archive or ""

    def append(self, **fields):
        """Insert one row linked to the one before it (hash chain).

        Two appends at once must not both link to the same predecessor (a fork would look like tampering),
        so appends are serialised: on PostgreSQL by a transaction-level advisory lock, on SQLite by the
        write lock every transaction takes at BEGIN IMMEDIATE (settings.py).
        """
        with transaction.atomic(using=self.db):
            if connections[self.db].vendor == "postgresql":
                with connections[self.db].cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])
            event = self.model(**fields)
            # The value as the database will hand it back (IPv6 is normalised on save).
            event.ip = event._meta.get_field("ip").get_prep_value(event.ip) or None
            event.prev_hash = self.chain_head()
            event.row_hash = event.compute_hash()
            event.save(force_insert=True, using=self.db)
            return event


class AuditEvent(models.Model):
    """One security-relevant event: who, in which role and jurisdiction, did what to which object.

    Append-only for the application: rows cannot be updated or deleted through the ORM. Retention (≥184
    days; ≥3 years for reveals and exports of personal data) is a pruning job's business, not the app's.
    """

    class Kind(models.TextChoices):
        LOGIN_OK = "login_ok", _("登录成功")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKED_OUT = "locked_out", _("账号锁定")
        LOGOUT = "logout", _("退出登录")
        DENIED = "denied", _("拒绝访问")
        REVEAL = "reveal", _("查看完整个人信息")
        EXPORT = "export", _("导出个人信息")
        ROLE_CHANGE = "role_change", _("角色或范围变更")
        CONFIG_CHANGE = "config_change", _("配置变更")
        WEBHOOK_REJECTED = "webhook_rejected", _("拒绝外部推送")
        UNLOCKED = "unlocked", _("解除账号锁定")
        PRIVACY_REQUEST = "privacy_request", _("个人信息权利请求")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("撤回同意")
        SUPERUSER_REQUEST = "superuser_request", _("超级用户操作")
        SECOND_FACTOR_OK = "otp_ok", _("动态码验证成功")
        SECOND_FACTOR_FAILED = "otp_failed", _("动态码验证失败")
        SECOND_FACTOR_ENROLLED = "otp_enrolled", _("绑定动态码")
        SECOND_FACTOR_RESET = "otp_reset", _("重置动态码")
        PASSWORD_CHANGED = "password_changed", _("修改密码")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("申请重置密码")
        PASSWORD_RESET = "password_reset", _("重置密码")
        ACCOUNT_DISABLED = "account_disabled", _("停用长期未登录账号")
        ACCOUNT_REACTIVATED = "account_reactivated", _("重新启用账号")

    at = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("事件"), max_length=32, choices=Kind.choices, db_index=True)
    # No database constraint and no action on delete: deleting a user must not rewrite the rows that record
    # what they did. Their login and name are kept as text, as they were at the time.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
    )
    actor_login = models.CharField(_("操作人账号"), max_length=150, blank=True)
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    # A login failure has no actor: the attempted user name is kept as a keyed hash, never in clear.
    subject_ref = models.CharField(_("账号标识"), max_length=64, blank=True)
    roles = models.CharField(_("角色"), max_length=200, blank=True)
    jurisdiction = models.CharField(_("辖区"), max_length=200, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    result = models.CharField(_("结果"), max_length=32, blank=True)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    request_id = models.CharField(_("请求号"), max_length=64, blank=True)
    # The hash chain: each row's hash covers its content and the hash of the row before it, so a row
    # changed, removed or slipped in afterwards breaks every link after it (manage.py verify_audit).
    prev_hash = models.CharField(_("上一条哈希"), max_length=64, blank=True)
    row_hash = models.CharField(_("哈希"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs):
        # Append-only: an existing row is never rewritten.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")

    @property
    def actor_display(self) -> str:
        """Who acted, as recorded at the time (the user may since have been renamed or deleted)."""
        if self.actor_name and self.actor_login:
            return f"{self.actor_name}（{self.actor_login}）"
        return self.actor_login or self.actor_name

    def chained_content(self) -> dict:
        return chained_content(self)

    def compute_hash(self) -> str:
        return chain_hash(chained_content(self))


class ScheduledJob(models.Model):
    """When a periodic job (huicai/core/schedule.py) next runs, and how its last run went.

    A scheduler claims a due run by moving ``next_run_at`` forward with a compare-and-swap, so with any
    number of scheduler processes each due run happens once.
    """

    name = models.CharField(_("任务"), max_length=80, unique=True)
    next_run_at = models.DateTimeField(_("下次运行"))
    last_started_at = models.DateTimeField(_("上次开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("上次结束"), null=True, blank=True)
    last_result = models.CharField(_("上次结果"), max_length=300, blank=True)
    last_error = models.CharField(_("上次错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AuditArchive(models.Model):
    """A run of the oldest audit rows moved out of the table by the retention job, with their chain.

    The rows go to a JSON-lines file under the var directory; this row keeps where, how many, and the hash
    of the last row archived, which the first row left in the table links to, so ``verify_audit`` still
    verifies what remains (and can verify the file too).
    """

    archived_at = models.DateTimeField(_("归档时间"))
    first_id = models.BigIntegerField(_("首条编号"))
    last_id = models.BigIntegerField(_("末条编号"), unique=True)
    count = models.PositiveIntegerField(_("条数"))
    first_prev_hash = models.CharField(_("首条的上一条哈希"), max_length=64, blank=True)
    last_hash = models.CharField(_("末条哈希"), max_length=64)
    path = models.CharField(_("归档文件"), max_length=300)
    file_sha256 = models.CharField(_("文件摘要"), max_length=64)

    class Meta:
        verbose_name = _("审计归档")
        verbose_name_plural = _("审计归档")
        ordering = ["-last_id"]

    def __str__(self):
        return f"#{self.first_id}–#{self.last_id} → {self.path}"


class RateCounter(models.Model):
    """How many times something was counted in one fixed window: API requests per client, refusals per
    person. In the database, so every worker process counts together (a per-process cache would give each
    gunicorn worker its own limit); one upsert per count (huicai.core.ratelimit)."""

    name = models.CharField(_("计数项"), max_length=200)
    window_start = models.BigIntegerField(_("窗口起点（Unix 秒）"))
    hits = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")
        constraints = [
            models.UniqueConstraint(fields=["name", "window_start"], name="one_counter_per_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self):
        return f"{self.name} @{self.window_start}: {self.hits}"


class Event(models.Model):
    """One step in a stateful record's history: who moved it from which state to which, when, and why.

    The columns every app's event table shares (STYLE.md: an event row, written explicitly by the action in
    the same transaction). A table names its own record, its own ``action``/``kind`` choices and whatever
    it adds (``data``, holders); where a column is narrower there (a short ``note``, a nullable ``by`` for
    what the system does by itself) the table redefines it."""

    from_status = models.CharField(_("原状态"), max_length=30, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
