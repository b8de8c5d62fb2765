from django.db import models
from django.utils.translation import gettext_lazy as _

from huicai.casework.choices import Source


class Hotline(models.TextChoices):
    """The two hotlines that transfer work orders and ratings (W10, S12-2). The values are casework's
    ``Source`` values, so an order's hotline is the source of the case it becomes."""

    HOTLINE_12345 = Source.HOTLINE_12345.value, _("12345政务服务便民热线")
    PROVINCIAL = Source.HOTLINE_PROVINCIAL.value, _("省级人才服务热线")


# The part of each hotline's setting names: HUICAI_HOTLINE_<KEY>_SECRET, HUICAI_HOTLINE_<KEY>_CALLBACK_URL.
SETTING_KEYS = {Hotline.HOTLINE_12345: "12345", Hotline.PROVINCIAL: "PROVINCIAL"}


class InboundStatus(models.TextChoices):
    ACCEPTED = "accepted", _("已接收")
    REFUSED = "refused", _("已拒收")


class Refusal(models.TextChoices):
    """Why a pushed message was refused; the code is what the hotline's system reads (stable, English)."""

    TOO_LARGE = "too_large", _("请求过大")
    UNKNOWN_HOTLINE = "unknown_hotline", _("未知的热线")
    MISSING_HEADERS = "missing_headers", _("缺少签名头")
    BAD_TIMESTAMP = "bad_timestamp", _("时间戳格式错误")
    STALE_TIMESTAMP = "stale_timestamp", _("时间戳超出容许范围")
    BAD_SIGNATURE = "bad_signature", _("签名无效")
    MALFORMED = "malformed", _("数据格式错误")
    REPLAYED = "replayed", _("重复推送（消息编号已处理）")
    ORDER_CONFLICT = "order_conflict", _("工单号已用于内容不同的工单")
    UNKNOWN_TALENT = "unknown_talent", _("查无此人才")
    UNKNOWN_ITEM = "unknown_item", _("查无此服务事项")
    UNKNOWN_ORDER = "unknown_order", _("查无此工单")
    UNKNOWN_LEVEL = "unknown_level", _("未知的满意度")
    RATING_REFUSED = "rating_refused", _("评价未被接受")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


class RatingImport(models.TextChoices):
    """What became of a rating pushed by a hotline."""

    RECORDED = "recorded", _("已记为评价")
    REFUSED = "refused", _("已拒收")


# W10: the five levels of 好差评, by name or by the hotline's numeric code (5 best … 1 worst).
LEVELS = {"非常满意": 5, "满意": 4, "基本满意": 3, "不满意": 2, "非常不满意": 1}
LEVEL_CODES = {str(value): value for value in LEVELS.values()}
LEVEL_NAMES = {value: name for name, value in LEVELS.items()}
