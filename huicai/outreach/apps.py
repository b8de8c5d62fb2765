from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "huicai.outreach"
    label = "outreach"
    verbose_name = "人才联系"
