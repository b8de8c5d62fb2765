from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "huicai.privacy"
    label = "privacy"
    verbose_name = "个人信息权利"
