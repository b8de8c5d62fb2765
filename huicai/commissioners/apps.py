from django.apps import AppConfig


class CommissionersConfig(AppConfig):
    name = "huicai.commissioners"
    label = "commissioners"
    verbose_name = "服务专员"
