from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "huicai.supervision"
    label = "supervision"
    verbose_name = "督导调度"
