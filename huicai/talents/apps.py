from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "huicai.talents"
    label = "talents"
    verbose_name = "高层次人才"
