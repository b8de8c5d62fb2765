from django.apps import AppConfig


class DirectservicesConfig(AppConfig):
    name = "huicai.directservices"
    label = "directservices"
    verbose_name = "直接服务与预约"

    def ready(self):
        # W12/S12/S13: department and undertaking commissioners see the talents they served or who booked
        # them; a window sees the talents served at it.
        # Imported in ready(): apps.py loads before any model does.
        from huicai.directservices.access import talents_served_or_booked
        from huicai.talents.access import EXTRA_VISIBILITY

        if talents_served_or_booked not in EXTRA_VISIBILITY:
            EXTRA_VISIBILITY.append(talents_served_or_booked)
