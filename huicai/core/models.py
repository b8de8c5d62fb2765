"""The audit log: security events and reveals of personal data (SECURITY.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


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

    at = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("事件"), max_length=32, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
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
