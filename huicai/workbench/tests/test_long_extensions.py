"""超长延期 on the boards: an extension past the cap waits on the window's board with a link to approve it
(not an acknowledgement that would be refused), and the department's queue marks the task."""

from huicai.casework import actions
from huicai.workbench.tests.conftest import HTMX, extend, submitted


def test_the_window_board_offers_the_approval_of_an_extension_past_the_cap(case, login, frozen, settings):
    settings.HUICAI_EXTENSION_CAP_DAYS = 2
    world = case.world
    task = actions.accept_task(submitted(case, [case.hukou]).tasks.get(), by=case.police, at=world.at)
    extension = extend(case, task, working_days=3)

    board = login(world.chen_jing).get("/workbench/window/").content.decode()

    row = board[board.index(f'id="extension-{extension.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "超长延期待审批" in row and f'href="/cases/tasks/{task.pk}/#extension-{extension.pk}"' in row
    assert "确认备案" not in row


def test_a_refused_extension_leaves_the_window_board(case, login, frozen, settings):
    settings.HUICAI_EXTENSION_CAP_DAYS = 2
    world = case.world
    task = actions.accept_task(submitted(case, [case.hukou]).tasks.get(), by=case.police, at=world.at)
    extension = extend(case, task, working_days=3)
    actions.refuse_extension(extension, reason="请按期办结", by=world.chen_jing, at=world.at)

    section = login(world.chen_jing).get("/workbench/window/?section=window_extensions", **HTMX)

    assert "没有待确认的延期备案" in section.content.decode()


def test_the_department_queue_marks_the_task(case, login, frozen, settings):
    settings.HUICAI_EXTENSION_CAP_DAYS = 2
    world = case.world
    task = actions.accept_task(submitted(case, [case.hukou]).tasks.get(), by=case.police, at=world.at)
    extension = extend(case, task, working_days=3)

    pending = login(case.police).get("/workbench/queue/").content.decode()
    actions.approve_extension(extension, by=world.chen_jing, at=world.at)
    approved = login(case.police).get("/workbench/queue/").content.decode()

    assert "超长延期待审批" in pending
    assert "超长延期" in approved and "超长延期待审批" not in approved
