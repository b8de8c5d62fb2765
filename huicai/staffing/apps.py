from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "huicai.staffing"
    label = "staffing"
    verbose_name = "专员管理"
