"""A talent with no account yet hears about of their own case by SMS (issue 11)."""

from huicai.casework import actions
from huicai.casework.tests.conftest import later, prepare
from huicai.notifications.choices import Channel
from huicai.notifications.models import Notification


def test_the_result_of_a_case_reaches_a_talent_without_an_account_by_sms(case):
    world = case.world
    world.li_ming.user = None
    world.li_ming.save(update_fields=["user"])
    application = actions.submit_application(prepare(case, [case.hukou]), by=world.wang_fang, at=world.at)
    task = application.tasks.get()

    actions.accept_task(task, by=case.police, at=later(world, hours=1))

    notice = Notification.objects.get(talent=world.li_ming, kind="case_progress")
    assert notice.deliveries.get().channel == Channel.SMS
