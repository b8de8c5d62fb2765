"""Demo data for the workbenches: the contact details a talent's page shows for their unit commissioner.

The workbench has no tables of its own. The people demo (huicai.demo) opens the unit commissioners'
posts without an office phone and their accounts without a mobile, so the talent's page would read
"未登记" everywhere; this fills in the blanks, deterministically, and leaves anything already set alone.
There is no action for editing a post's office phone (it is plain contact data, not a state), so the blank
rows are updated directly. Idempotent: a second run finds nothing blank.
"""

from django.db import transaction

from huicai.accounts.models import User
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.identifiers import make_mobile


@transaction.atomic
def load_demo(*, at) -> None:
    for post in Post.objects.active_at(at).filter(kind=PostKind.UNIT, office_phone="").order_by("pk"):
        # 0539 is Linyi's area code; the number is made up and stable from the post's id.
        Post.objects.filter(pk=post.pk, office_phone="").update(
            office_phone=f"0539-8{post.pk % 1_000_000:07d}"
        )
    user = User.objects.filter(username="unit").first()
    if user is not None and not user.mobile:
        user.mobile = make_mobile(39000001)
        user.save(update_fields=["mobile"])
