"""Writing audit events from a request or from background work."""

import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone

from huicai.core import ratelimit
from huicai.core.models import AuditEvent


@cache
def _trusted_networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The address of the person at the other end, for the audit and the per-IP throttles.

    Behind the reverse proxy every request comes from the proxy's address, so one person's failed logins
    would throttle everyone. X-Forwarded-For is believed only when the request comes from a proxy listed in
    HUICAI_TRUSTED_PROXIES, and then read from the right: the first address that is not itself a trusted
    proxy is the client (entries further left were written by the client and may be forged).
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    networks = _trusted_networks(tuple(settings.HUICAI_TRUSTED_PROXIES))
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return remote or None
    if not networks or not _is_trusted(address, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            hop_address = ipaddress.ip_address(hop)
        except ValueError:
            break  # a malformed hop: stop believing the header and keep the last good address
        address = hop_address
        if not _is_trusted(hop_address, networks):
            break
    return str(address)


def record(kind, *, request=None, actor=None, at=None, obj=None, result="ok", detail="", subject_ref=""):
    """Append one audit event. ``actor`` defaults to the request's user when authenticated."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            actor = request.user
    roles = ""
    jurisdiction = ""
    if actor is not None:
        # The user model describes its own roles (accounts.User.describe_scope): core imports no app.
        roles, jurisdiction = actor.describe_scope()
    if request is not None and kind == AuditEvent.Kind.DENIED:
        # The view recorded its own refusal: the denial middleware need not record it again.
        request.huicai_denial_recorded = True
    return AuditEvent.objects.append(
        at=at or timezone.now(),
        kind=kind,
        actor=actor,
        actor_login=actor.get_username()[:150] if actor is not None else "",
        actor_name=(getattr(actor, "full_name", "") or "")[:150] if actor is not None else "",
        subject_ref=subject_ref,
        roles=roles[:200],
        jurisdiction=jurisdiction[:200],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        result=result,
        detail=detail[:200],
        ip=client_ip(request),
        request_id=getattr(request, "request_id", "") if request is not None else "",
    )


# A run of refusals of one kind, for one subject, within this window is recorded on its 1st, 10th, 100th…
# occurrence: a scan of thousands of requests leaves a handful of rows that still say how many there were.
AGGREGATION_WINDOW = timedelta(minutes=10)


def _is_power_of_ten(number: int) -> bool:
    while number >= 10 and number % 10 == 0:
        number //= 10
    return number == 1


def record_aggregated(kind, *, key, request=None, at=None, detail="", **fields):
    """Record a refusal without letting a flood of them flood the audit table.

    The count lives in the database (RateCounter), so every worker process counts together; the rows
    written carry the running count in ``detail``. Returns the event, or None when
    this occurrence was only counted.
    """
    at = at or timezone.now()
    seconds = int(AGGREGATION_WINDOW.total_seconds())
    count = ratelimit.hit(f"audit:{kind}:{key}", seconds=seconds, at=at)
    if request is not None and kind == AuditEvent.Kind.DENIED:
        request.huicai_denial_recorded = True
    if not _is_power_of_ten(count):
        return None
    note = f"{detail} " if detail else ""
    return record(kind, request=request, at=at, detail=f"{note}(#{count} in 10 min)", **fields)


@dataclass(frozen=True)
class BrokenLink:
    """The first place the audit chain does not hold: the row, and what is wrong with it."""

    event_id: int
    reason: str


def verify_chain() -> tuple[int, BrokenLink | None]:
    """Walk the audit table oldest first and check every link: each row's hash matches its content and
    its ``prev_hash`` is the hash of the row before it (for the oldest row left, of the last archived one).

    Returns how many rows were checked and the first broken link, if any.
    """
    from huicai.core.models import AuditArchive

    checked = 0
    expected_prev = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if expected_prev is None:
            archive = AuditArchive.objects.filter(last_id__lt=event.pk).order_by("-last_id").first()
            expected_prev = archive.last_hash if archive else ""
        if event.prev_hash != expected_prev:
            return checked, BrokenLink(
                event.pk, "prev_hash is not the hash of the row before (removed or inserted)"
            )
        if event.compute_hash() != event.row_hash:
            return checked, BrokenLink(event.pk, "content does not match its hash (altered)")
        expected_prev = event.row_hash
        checked += 1
    return checked, None
