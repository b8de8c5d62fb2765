from django.apps import AppConfig


class HotlinesConfig(AppConfig):
    name = "huicai.hotlines"
    label = "hotlines"
    verbose_name = "热线对接"
