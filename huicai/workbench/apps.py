from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "huicai.workbench"
    label = "workbench"
    verbose_name = "工作台"
