from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from huicai.accounts import lockout
from huicai.core.audit import client_ip


class LockoutModelBackend(ModelBackend):
    """Django's model backend behind the lockout: refused logins still run the password hasher, so a
    locked account takes as long to answer as an open one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        now = timezone.now()
        ref = lockout.username_ref(username)
        ip = client_ip(request)
        refused = lockout.is_refused(ref=ref, ip=ip, at=now)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or refused:
            lockout.record_failure(ref=ref, ip=ip, at=now, request=request, refused=refused)
            return None
        lockout.clear_failures(ref=ref)
        return user
