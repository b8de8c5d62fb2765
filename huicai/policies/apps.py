from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "huicai.policies"
    label = "policies"
    verbose_name = "人才政策"
