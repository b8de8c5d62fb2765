from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "huicai.grading"
    label = "grading"
    verbose_name = "窗口评估评价"
