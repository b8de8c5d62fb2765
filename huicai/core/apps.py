from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "huicai.core"
    label = "core"
    verbose_name = "基础"
