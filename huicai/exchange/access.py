"""Who may import and export, and which import batches a person sees (404 for anything else)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huicai.accounts.roles import Role, get_scope
from huicai.exchange.models import ImportBatch


def may_exchange(user) -> bool:
    """W3: window staff keep the records of their jurisdiction (a county window its own subtree); the
    system administrator too. Nobody else imports or exports in bulk."""
    scope = get_scope(user)
    return scope.is_superuser or Role.WINDOW in scope.roles


def require_exchange(user) -> None:
    if not may_exchange(user):
        raise PermissionDenied


def get_batch_for_user(user, pk) -> ImportBatch:
    batch = ImportBatch.objects.visible_to(user).filter(pk=pk).select_related("created_by").first()
    if batch is None:
        raise Http404
    return batch
