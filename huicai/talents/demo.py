"""The demo's talents' own accounts (issue 11 §2): most talents can sign in, some are invited, a few are
not yet, so every invitation status shows. Idempotent: decided by each talent's place in id order."""

from django.conf import settings
from django.contrib.auth.hashers import make_password

from huicai.accounts.models import User
from huicai.talents.actions import invite_talent
from huicai.talents.models import Talent


def load_demo(*, at):
    password_hash = make_password(settings.DEMO_PASSWORD)  # the demo shares one password
    admin = User.objects.get(username="admin")
    for index, talent in enumerate(Talent.objects.order_by("pk").select_related("user")):
        if talent.user_id:
            continue
        slot = index % 5
        if slot in (0, 1, 2):
            # Three in five have signed in (talent002, talent003 …), as if they had used their link.
            user, _created = User.objects.get_or_create(
                username=f"talent{index + 1:03d}",
                defaults={"full_name": talent.name, "password": password_hash},
            )
            Talent.objects.filter(pk=talent.pk).update(user=user)
        elif slot == 3 and not talent.invitations.exists():
            invite_talent(talent, by=admin, at=at)
