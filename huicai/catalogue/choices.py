from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The fields of the green channel, as the catalogue groups its items for talents."""

    EXIT_ENTRY = "exit_entry", _("出入境和居留")
    HOUSEHOLD = "household", _("户籍")
    HOUSING = "housing", _("住房")
    SPOUSE = "spouse", _("配偶随迁")
    CHILDREN = "children", _("子女入学")
    STAFFING = "staffing", _("编制")
    TITLE = "title", _("职称")
    POSITION = "position", _("岗位")
    SALARY = "salary", _("薪酬")
    MEDICAL = "medical", _("医疗")
    TRANSPORT = "transport", _("交通")
    LEISURE = "leisure", _("旅游健身")
    CUSTOMS = "customs", _("物品通关进境")
    MARKET = "market", _("市场准入")
    OTHER = "other", _("其他")


class ServiceMode(models.TextChoices):
    """W11–W13: an item is either served on showing a talent card, or handled on application."""

    DIRECT = "direct", _("可直接服务")
    APPLICATION = "application", _("依申请")


class FilingStatus(models.TextChoices):
    """W7: new or optimised items are filed with the upper window before they are published."""

    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已报备")
    RETURNED = "returned", _("已退回")
    ACKNOWLEDGED = "acknowledged", _("已备案")
