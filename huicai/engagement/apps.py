from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "huicai.engagement"
    label = "engagement"
    verbose_name = "人才联络与政策找人"
