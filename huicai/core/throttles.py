"""API rate limits counted per real client, in the database every worker process shares.

DRF's own throttles keep their history in the cache, which is per process by default (each gunicorn
worker would allow the full rate), and take the client from X-Forwarded-For whoever sent it, so a client
could pick a fresh address per request. These count in a fixed window in the database (RateCounter, one
upsert per request) and take the client from ``client_ip``, which believes the header only from a
trusted proxy.
"""

from django.utils import timezone
from rest_framework import throttling

from huicai.core import ratelimit
from huicai.core.audit import client_ip


class SharedCounterMixin:
    def get_ident(self, request):
        return client_ip(request) or "unknown"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = timezone.now()
        hits = ratelimit.hit(f"throttle:{self.key}", seconds=self.duration, at=self.now)
        return hits <= self.num_requests

    def wait(self):
        """Seconds until the current window ends."""
        start = ratelimit.window_start(self.now, self.duration)
        return max(start + self.duration - self.now.timestamp(), 0)


class AnonRateThrottle(SharedCounterMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(SharedCounterMixin, throttling.UserRateThrottle):
    pass
