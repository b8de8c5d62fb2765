from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "huicai.filings"
    label = "filings"
    verbose_name = "备案"
