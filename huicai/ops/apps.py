from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the system: the commands that sit above every app (the scheduler over all apps' jobs)."""

    name = "huicai.ops"
    verbose_name = "运行"
