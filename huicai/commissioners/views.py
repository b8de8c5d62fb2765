"""The window's commissioner registry pages (S4–S9, S19): list, appoint, end with hand-over, transfer,
reassign talents. Every change goes through ``actions``; every post through ``get_post_for_user``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huicai.accounts.models import User
from huicai.commissioners import actions
from huicai.commissioners.access import can_manage_post, get_post_for_user, manages_registry
from huicai.commissioners.choices import PostKind
from huicai.commissioners.forms import AppointForm, ContactForm, EndPostForm, ReassignForm, TransferForm
from huicai.commissioners.models import Post

PAGE_SIZE = 50


def _require_registry(user):
    if not manages_registry(user):
        raise PermissionDenied


def _errors(form):
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
def post_list(request):
    _require_registry(request.user)
    kind = request.GET.get("kind") or PostKind.UNIT
    show_ended = request.GET.get("ended") == "1"
    posts = (
        Post.objects.visible_to(request.user)
        .filter(kind=kind)
        .select_related("user", "employer", "window", "department", "undertaking_org")
        .annotate(talent_count=Count("assignments", filter=Q(assignments__active_to__isnull=True)))
        .order_by("active_to", "employer__name", "window__path", "id")
    )
    if not show_ended:
        posts = posts.filter(active_to__isnull=True)
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commissioners/post_list.html",
        {"page": page, "kind": kind, "kinds": PostKind.choices, "show_ended": show_ended},
    )


@login_required
def post_create(request):
    _require_registry(request.user)
    form = AppointForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(username=data["username"]).first()
        if user is None and not data["full_name"]:
            form.add_error("full_name", "该账号不存在；新建账号请填写姓名。")
        else:
            if user is None:
                # A new commissioner's account: no password yet; they set one through a password reset.
                user = User(username=data["username"], full_name=data["full_name"])
                user.set_unusable_password()
                user.save()
            try:
                post = actions.appoint_commissioner(
                    user=user,
                    kind=data["kind"],
                    organisation=data["organisation"],
                    position=data["position"],
                    office_phone=data["office_phone"],
                    by=request.user,
                    at=timezone.now(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, f"已任命 {user}：{post.get_kind_display()}（{post.organisation}）。"
                )
                return redirect("commissioners:detail", pk=post.pk)
    return render(request, "commissioners/post_form.html", {"form": form})


@login_required
def post_detail(request, pk):
    post = get_post_for_user(request.user, pk)
    can_manage = can_manage_post(request.user, post) and post.active_to is None
    assignments = post.assignments.open().select_related("talent__category").order_by("talent__name")
    return render(
        request,
        "commissioners/post_detail.html",
        {
            "post": post,
            "assignments": assignments,
            "open_work": actions.open_work_of(post).count() if post.kind == PostKind.UNIT else 0,
            "events": post.events.select_related("by"),
            "can_manage": can_manage,
            "end_form": EndPostForm(post=post) if can_manage else None,
            "contact_form": ContactForm.for_post(post) if can_manage else None,
            "transfer_form": TransferForm(post=post, user=request.user)
            if can_manage and post.kind in (PostKind.UNIT, PostKind.WINDOW)
            else None,
            "reassign_form": ReassignForm(post=post) if can_manage and post.kind == PostKind.UNIT else None,
        },
    )


@login_required
@require_POST
def post_end(request, pk):
    post = get_post_for_user(request.user, pk, write=True)
    form = EndPostForm(request.POST, post=post)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("commissioners:detail", pk=post.pk)
    try:
        actions.end_post(
            post,
            successor=form.cleaned_data["successor"],
            to_gap=form.cleaned_data["to_gap"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            at=timezone.now(),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已结束 {post.user} 的岗位。")
    return redirect("commissioners:detail", pk=post.pk)


@login_required
@require_POST
def post_contact(request, pk):
    """Correct the post's position, office phone or full-time flag (S19 change of contact): the action
    writes the post event from which staffing makes the change record."""
    post = get_post_for_user(request.user, pk, write=True)
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("commissioners:detail", pk=post.pk)
    try:
        changed = actions.change_post_contact(
            post, expected=form.expected(), by=request.user, at=timezone.now(), **form.values()
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if changed is None:
            messages.info(request, "联系方式没有变化。")
        else:
            messages.success(request, f"已更新 {post.user} 的联系方式，变更将登记备案。")
    return redirect("commissioners:detail", pk=post.pk)


@login_required
@require_POST
def post_transfer(request, pk):
    post = get_post_for_user(request.user, pk, write=True)
    form = TransferForm(request.POST, post=post, user=request.user)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("commissioners:detail", pk=post.pk)
    try:
        new_post = actions.transfer_post(
            post,
            organisation=form.cleaned_data["organisation"],
            successor=form.cleaned_data["successor"],
            to_gap=form.cleaned_data["to_gap"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            at=timezone.now(),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("commissioners:detail", pk=post.pk)
    messages.success(request, f"{post.user} 已调任 {new_post.organisation}。")
    return redirect("commissioners:detail", pk=new_post.pk)


@login_required
@require_POST
def post_reassign(request, pk):
    post = get_post_for_user(request.user, pk, write=True)
    form = ReassignForm(request.POST, post=post)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("commissioners:detail", pk=post.pk)
    try:
        moved = actions.reassign_talents(
            list(form.cleaned_data["talents"]),
            post=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            at=timezone.now(),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已将 {moved} 名人才改由 {form.cleaned_data['target'].user} 对接。")
    return redirect("commissioners:detail", pk=post.pk)
