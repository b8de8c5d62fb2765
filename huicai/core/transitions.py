"""The transitions kernel: the refusals every guarded action raises, the lock-and-check every action starts
with, and the step table that both an action's guard and the pages' ``allowed_steps`` read.

Every app's ``actions.py`` raises these (or subclasses of ``ActionRefused`` with its own name), so the pages
and the API map them in one place each: ``huicai.api.errors`` turns ``Conflict`` into 409, ``NotAllowed`` into
403 and any other ``ActionRefused`` into 400. They subclass Django's ``ValidationError`` and
``PermissionDenied`` so that forms, views and the admin keep treating them as they always have.

``core`` knows no domain app: the tables name states and predicates, the apps fill them in.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


class ActionRefused(ValidationError):
    """A refused action; the message is for the person who tried it (400 over the API)."""


class Conflict(ActionRefused):
    """The record is no longer in a state that allows this (often: someone else acted first) (409)."""


class InvalidTransition(Conflict):
    """The record's state does not allow this step."""


class StaleVersion(Conflict):
    """The caller acted on an outdated copy of the record: its version moved on since they read it."""


class NotAllowed(PermissionDenied):
    """The user can see the record but may not take this action on it (403; unseen records are 404)."""


def check_version(obj, expected_version, *, message=None, error=StaleVersion):
    """Refuse with ``error`` (a ``StaleVersion``, perhaps the app's own subclass) when the caller read another
    version than the row's; None means the caller did not say, and nothing is checked."""
    if expected_version in (None, ""):
        return
    if int(expected_version) != obj.version:
        raise error(message or _("该记录已被他人修改，请刷新页面后重试。"), code="stale")


def lock_for_update(queryset, pk, *, expected_version=None, stale_message=None, error=StaleVersion):
    """Re-read one row under ``SELECT … FOR UPDATE`` (only the row itself, not the joined ones) so that two
    people acting on it at once are serialised, then check the version the caller last saw.

    ``queryset`` is a model or a queryset (to ``select_related`` what the action reads)."""
    if hasattr(queryset, "_default_manager"):
        queryset = queryset._default_manager.all()
    locked = queryset.select_for_update(of=("self",)).get(pk=pk)
    check_version(locked, expected_version, message=stale_message, error=error)
    return locked


@dataclass(frozen=True)
class Step:
    """One step of a stateful record: from which states it may be taken, and by whom.

    ``may(user, obj) -> bool`` says who; ``statuses`` says from where. The action checks the state through
    its table (``StepTable.check``) before it changes anything; the pages and the API list a step as allowed
    only when both hold. ``run(obj, data, *, by, at, expected_version)``, where a table binds one, is the
    action the pages' forms and the API's serializers end in; ``refusal`` the step's own message when the
    state does not allow it (with ``%(status)s``, or a dict of one message per refused state)."""

    name: str
    label: str
    statuses: tuple
    may: Callable = field(compare=False)
    refusal: str = field(default="", compare=False)
    run: Callable | None = field(default=None, compare=False)

    def allows(self, obj) -> bool:
        return obj.status in self.statuses

    def available(self, user, obj, **context) -> bool:
        """``context`` (e.g. ``at=``) goes to ``may`` for tables whose "who" depends on it."""
        return self.allows(obj) and self.may(user, obj, **context)


class StepTable:
    """The steps of one stateful model by name; the one place its allowed source states are written."""

    def __init__(self, steps: Iterable[Step], *, refusal=None):
        self.steps = list(steps)
        # The message for a state that does not allow a step, with %(status)s; a step may have its own.
        self.refusal = refusal
        self.by_name = {step.name: step for step in self.steps}
        if len(self.by_name) != len(self.steps):
            raise ValueError("step names must be unique")

    def __getitem__(self, name) -> Step:
        return self.by_name[name]

    def __iter__(self):
        return iter(self.steps)

    def available(self, user, obj, **context) -> list[Step]:
        return [step for step in self.steps if step.available(user, obj, **context)]

    def check(self, name, obj, *, by=None, error=InvalidTransition):
        """The guard an action runs on the locked row: ``NotAllowed`` when ``by`` may not take the step
        (skipped when ``by`` is None), ``error`` (an ``InvalidTransition``, perhaps the app's own subclass)
        when the row's state does not allow it."""
        step = self.by_name[name]
        if by is not None and not step.may(by, obj):
            raise NotAllowed
        if not step.allows(obj):
            refusal = (
                step.refusal
                or self.refusal
                or _("当前状态为“%(status)s”，不能执行此操作（可能已被他人处理，请刷新）。")
            )
            if isinstance(refusal, dict):  # a message for each state the step is refused from
                refusal = refusal[obj.status]
            message = refusal % {"status": obj.get_status_display()}
            raise error(message, code="invalid_transition")
        return step
