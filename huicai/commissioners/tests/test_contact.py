"""S19: correcting a commissioner's particulars (position, office phone, full-time) is one action that keeps
the change in the post's history, with phone numbers masked in what is shown."""

import datetime

import pytest

from huicai.commissioners.actions import PostError, change_post_contact, end_post
from huicai.commissioners.choices import PostEventKind


def contact_events(post):
    return list(post.events.filter(kind=PostEventKind.CONTACT_CHANGED))


def test_a_correction_keeps_old_and_new_and_shows_the_phone_masked(world):
    at = world.at + datetime.timedelta(hours=1)

    post = change_post_contact(
        world.wang_fang_post, office_phone="13805391234", is_full_time=False, by=world.chen_jing, at=at
    )

    assert (post.office_phone, post.is_full_time) == ("13805391234", False)
    [event] = contact_events(post)
    assert (event.by, event.at) == (world.chen_jing, at)
    assert event.note == "办公电话：— → 138****1234；专职：专职 → 兼职"
    assert event.data == {
        "changes": {
            "office_phone": {"old": "", "new": "13805391234"},
            "is_full_time": {"old": True, "new": False},
        }
    }


def test_the_same_values_again_write_nothing(world):
    change_post_contact(world.wang_fang_post, position="科员", by=world.chen_jing, at=world.at)

    assert (
        change_post_contact(world.wang_fang_post, position=" 科员 ", by=world.chen_jing, at=world.at) is None
    )
    assert len(contact_events(world.wang_fang_post)) == 1


def test_a_change_made_meanwhile_by_someone_else_is_not_overwritten(world):
    change_post_contact(world.wang_fang_post, office_phone="0539-1111111", by=world.zhou_min, at=world.at)

    with pytest.raises(PostError) as error:
        change_post_contact(
            world.wang_fang_post,
            office_phone="0539-2222222",
            expected={"office_phone": ""},  # what the second page showed
            by=world.chen_jing,
            at=world.at,
        )

    assert error.value.messages == ["该专员的办公电话刚刚被他人修改，请刷新后重试。"]
    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.office_phone == "0539-1111111"


def test_an_ended_post_is_not_corrected(world):
    end_post(world.qian_hui_post, by=world.zhou_min, at=world.at + datetime.timedelta(hours=1), to_gap=True)

    with pytest.raises(PostError):
        change_post_contact(world.qian_hui_post, position="科长", by=world.zhou_min, at=world.at)

    assert not contact_events(world.qian_hui_post)


def test_the_window_corrects_on_the_page_and_sees_the_masked_history(world, login):
    client = login(world.chen_jing)
    form = {
        "position": "",
        "office_phone": "13805391234",
        "is_full_time": "on",
        "seen_position": "",
        "seen_office_phone": "",
        "seen_is_full_time": "True",
    }

    response = client.post(f"/commissioners/{world.wang_fang_post.pk}/contact/", form, follow=True)

    page = response.content.decode()
    assert "已更新 王芳 的联系方式" in page
    assert "办公电话：— → 138****1234" in page
    assert len(contact_events(world.wang_fang_post)) == 1


def test_a_bad_phone_on_the_page_is_told_and_changes_nothing(world, login):
    client = login(world.chen_jing)

    response = client.post(
        f"/commissioners/{world.wang_fang_post.pk}/contact/",
        {"office_phone": "<script>", "seen_is_full_time": "True", "is_full_time": "on"},
        follow=True,
    )

    assert response.status_code == 200
    assert "办公电话只能包含数字" in response.content.decode()
    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.office_phone == ""
    assert not contact_events(world.wang_fang_post)


def test_only_the_posts_window_may_correct_it(world, login):
    form = {"office_phone": "0539-8123456", "is_full_time": "on", "seen_is_full_time": "True"}

    assert (
        login(world.wang_fang).post(f"/commissioners/{world.wang_fang_post.pk}/contact/", form).status_code
        == 403
    )
    assert (
        login(world.sun_lei).post(f"/commissioners/{world.wang_fang_post.pk}/contact/", form).status_code
        == 404
    )
    assert not contact_events(world.wang_fang_post)


def test_the_admin_edits_particulars_through_the_action(world, login):
    client = login(world.admin)
    post = world.wang_fang_post

    client.post(
        f"/admin/commissioners/post/{post.pk}/change/",
        {"is_full_time": "on", "position": "人事科长", "office_phone": "0539-8123456"},
    )

    post.refresh_from_db()
    assert post.position == "人事科长"
    [event] = contact_events(post)
    assert event.by == world.admin
