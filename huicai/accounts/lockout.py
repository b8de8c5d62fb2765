"""Login lockout: 5 failures in 15 minutes lock the account for 30 minutes, plus a per-IP throttle.

The numbers come from settings (SECURITY.md defaults). Failures are counted against the keyed hash of the
name typed, whether or not such an account exists, so an unknown name is locked exactly like a real one:
the login page can say that the account is locked and for how long (issue 12) without telling an attacker
that the name exists. Failures during a lock do not extend it, so nobody can keep another person locked
out forever by guessing. The per-IP throttle still answers like a wrong password.
"""

from datetime import timedelta

from django.conf import settings

from huicai.accounts.models import LoginFailure, LoginLock
from huicai.core import audit, crypto
from huicai.core.models import AuditEvent


def username_ref(username: str) -> str:
    return crypto.lookup_hash((username or "").lower(), purpose="login")


def is_refused(*, ref: str, ip: str | None, at) -> bool:
    """True while the account is locked or the IP has failed too often within the window."""
    if LoginLock.objects.filter(username_ref=ref, locked_until__gt=at).exists():
        return True
    if ip:
        since = at - timedelta(minutes=settings.HUICAI_LOGIN_WINDOW_MINUTES)
        recent = LoginFailure.objects.filter(ip=ip, at__gt=since).count()
        if recent >= settings.HUICAI_LOGIN_MAX_FAILURES_PER_IP:
            return True
    return False


def record_failure(*, ref: str, ip: str | None, at, request, refused: bool) -> None:
    """Count one failed login against the account and the IP, and audit it.

    An attempt refused while the account or the IP is already throttled is audited (aggregated, so a
    guessing run cannot flood the audit log) but not counted: counting it would let anyone keep an account
    or an IP locked for ever by guessing on, since every refused guess would push the window forward.
    """
    if refused:
        audit.record_aggregated(
            AuditEvent.Kind.LOGIN_FAILED,
            key=f"{ref}:{ip}",
            request=request,
            at=at,
            subject_ref=ref,
            result="refused",
        )
        return
    LoginFailure.objects.create(at=at, username_ref=ref, ip=ip)
    audit.record(
        AuditEvent.Kind.LOGIN_FAILED,
        request=request,
        at=at,
        subject_ref=ref,
        result="bad_credentials",
    )
    since = at - timedelta(minutes=settings.HUICAI_LOGIN_WINDOW_MINUTES)
    last_unlock = LoginLock.objects.filter(username_ref=ref).values_list("locked_until", flat=True).first()
    if last_unlock and last_unlock > since:
        since = last_unlock
    failures = LoginFailure.objects.filter(username_ref=ref, at__gt=since).count()
    if failures >= settings.HUICAI_LOGIN_MAX_FAILURES:
        LoginLock.objects.update_or_create(
            username_ref=ref,
            defaults={
                "locked_at": at,
                "locked_until": at + timedelta(minutes=settings.HUICAI_LOGIN_LOCK_MINUTES),
            },
        )
        audit.record(AuditEvent.Kind.LOCKED_OUT, request=request, at=at, subject_ref=ref, result="locked")


def clear_failures(*, ref: str) -> None:
    """A successful login (or an unlock) forgets the account's earlier failures."""
    LoginFailure.objects.filter(username_ref=ref).delete()


def is_locked(*, ref: str, at) -> bool:
    return LoginLock.objects.filter(username_ref=ref, locked_until__gt=at).exists()


def locked_until(*, ref: str, at):
    """When the lock on the name ends, or None when it is not locked at ``at``."""
    return (
        LoginLock.objects.filter(username_ref=ref, locked_until__gt=at)
        .values_list("locked_until", flat=True)
        .first()
    )
