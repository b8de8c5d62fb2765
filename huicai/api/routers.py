"""The API's router: object ids in paths are numbers, so ``/api/v1/tasks/abc/`` is a 404 at the URL.

DRF's default lookup pattern (``[^/.]+``) sends any text to the viewset, where a lookup on an integer
primary key crashes. One default here instead of a ``lookup_value_regex`` on every viewset; a viewset
that looks up by something else (the catalogue's item codes) declares its own pattern, which wins.
"""

from rest_framework.routers import DefaultRouter

NUMERIC_ID = "[0-9]+"


class Router(DefaultRouter):
    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if hasattr(viewset, "lookup_value_regex"):
            return super().get_lookup_regex(viewset, lookup_prefix)
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(
            viewset, "lookup_field", "pk"
        )
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{NUMERIC_ID})"
