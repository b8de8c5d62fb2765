from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huicai.api"
    label = "api"
    verbose_name = "接口"

    def ready(self):
        from huicai.api.fields import list_valid_choices_in_errors

        list_valid_choices_in_errors()
