"""Request id, security headers and the audit of refusals, applied to every response."""

import re
import uuid

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


class RequestIdMiddleware:
    """Gives each request an id (kept from a trusted proxy's X-Request-ID when well-formed) for the audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class SecurityHeadersMiddleware:
    """CSP with object-src 'none' and frame-ancestors (SECURITY.md); the rest comes from Django settings."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "geolocation=(), microphone=()")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            # Pages with personal data must not stay in shared or browser caches.
            response["Cache-Control"] = "no-store"
        return response


class AuditDenialsMiddleware:
    """Every refused request to a real route becomes an audit event (SECURITY.md: denials are audited).

    A 403 is a refusal; a 404 from a route that matched is what an out-of-scope object answers (404, never
    403, so nobody learns it exists), so it is recorded too. Refusals are aggregated per person (or IP)
    and 10-minute window, so a scan of thousands of ids writes a handful of rows with the running count.
    A view that recorded its own refusal is not recorded twice.
    """

    STATUSES = {403: "denied", 404: "not_found"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        result = self.STATUSES.get(response.status_code)
        match = getattr(request, "resolver_match", None)
        if result is None or match is None or getattr(request, "huicai_denial_recorded", False):
            return response
        from huicai.core import audit
        from huicai.core.models import AuditEvent

        user = getattr(request, "user", None)
        subject = (
            f"user:{user.pk}"
            if user is not None and user.is_authenticated
            else f"ip:{audit.client_ip(request)}"
        )
        audit.record_aggregated(
            AuditEvent.Kind.DENIED,
            key=f"{subject}:{result}",
            request=request,
            result=result,
            detail=f"{request.method} {match.view_name}"[:150],
        )
        return response
