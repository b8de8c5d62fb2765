from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "huicai.cards"
    label = "cards"
    verbose_name = "惠才卡申领"
