"""The talent's service archive (统一建档, W14, S16–S18) is built from every app's own records on demand
(``timeline.py``): nothing is copied here. What this app stores is why staff opened someone's archive.

A member of staff states a reason before opening a talent's archive; the ``ArchiveReason`` row says who,
which talent, why and until when it lets them in. Every view and export made under it is an audit row
(``core.audit``) naming the reason, so the talent's access log and the auditors can tell who looked and why.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from huicai.archives.choices import Purpose


class ArchiveReasonQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.archives.access import reasons_visible_to

        return reasons_visible_to(self, user)

    def live(self, *, user, talent, at):
        """The reasons ``user`` stated for ``talent`` that still let them in at ``at``."""
        return self.filter(user=user, talent=talent, stated_at__lte=at, expires_at__gt=at)


class ArchiveReason(models.Model):
    """Why one member of staff opened one talent's archive: a purpose from a fixed list and their own words.

    Written once by ``actions.state_reason`` and never changed (the admin shows it read-only): it is
    evidence for the audit (PIPL art. 6 and 51; SECURITY.md: reveals of personal data are audited with why).
    """

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="archive_reasons"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查阅人"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("查阅事由"), max_length=20, choices=Purpose.choices)
    note = models.CharField(_("事由说明"), max_length=200)
    stated_at = models.DateTimeField(_("说明时间"))
    expires_at = models.DateTimeField(_("有效期至"))

    objects = ArchiveReasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("档案查阅事由")
        verbose_name_plural = _("档案查阅事由")
        ordering = ["-stated_at", "-id"]
        indexes = [models.Index(fields=["user", "talent", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(note=""),
                name="archive_reason_has_note",
                violation_error_message=_("请说明查阅该人才档案的具体事由。"),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("stated_at")),
                name="archive_reason_expires_after_stating",
                violation_error_message=_("事由的有效期必须晚于说明时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.talent} · {self.get_purpose_display()}"

    @property
    def audit_text(self) -> str:
        """How the reason reads in an audit row's detail: the row and its purpose. The words stay in this
        row, never in the audit's detail, which must carry no personal data (staff may write a name)."""
        return f"reason #{self.pk} {self.purpose}"
