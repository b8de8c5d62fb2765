from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyStatus(models.TextChoices):
    """A policy is written as a draft, published (in force) by a window commissioner, and later expired.

    In-force and expired policies are public information; a draft is seen only by the windows that may
    publish it.
    """

    DRAFT = "draft", _("草稿")
    IN_FORCE = "in_force", _("现行有效")
    EXPIRED = "expired", _("已失效")


PUBLIC_STATUSES = (PolicyStatus.IN_FORCE, PolicyStatus.EXPIRED)


class PolicyEventKind(models.TextChoices):
    CREATED = "created", _("起草")
    EDITED = "edited", _("修改")
    PUBLISHED = "published", _("发布")
    EXPIRED = "expired", _("废止")
