from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "huicai.casework"
    label = "casework"
    verbose_name = "申办与并联办理"

    def ready(self):
        # S12/S13: department and undertaking commissioners see the talents their tasks name.
        # Imported in ready(): apps.py loads before any model does.
        from huicai.casework.access import talents_named_in_tasks
        from huicai.talents.access import EXTRA_VISIBILITY

        if talents_named_in_tasks not in EXTRA_VISIBILITY:
            EXTRA_VISIBILITY.append(talents_named_in_tasks)
