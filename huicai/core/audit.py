"""Writing audit events from a request or from background work."""

from django.utils import timezone

from huicai.core.models import AuditEvent


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: behind a proxy, the proxy sets it (X-Forwarded-For is not trusted by default).
    return request.META.get("REMOTE_ADDR") if request is not None else None


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
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        kind=kind,
        actor=actor,
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
