from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "huicai.catalogue"
    label = "catalogue"
    verbose_name = "绿色通道服务事项"
