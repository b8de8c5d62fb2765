from django.apps import AppConfig


class ProvsyncConfig(AppConfig):
    name = "huicai.provsync"
    verbose_name = "省级系统同步"
