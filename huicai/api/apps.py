from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huicai.api"
    label = "api"
    verbose_name = "接口"
