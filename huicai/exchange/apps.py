from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "huicai.exchange"
    label = "exchange"
    verbose_name = "数据导入导出"
