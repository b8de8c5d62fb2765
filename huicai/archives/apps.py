from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "huicai.archives"
    label = "archives"
    verbose_name = "人才服务档案"
