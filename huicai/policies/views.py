"""Pages of the policy library: the public search (W16), a talent's "policies for me" (W16 push), and the
window commissioners' drafting and publishing (S14-5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts.roles import get_scope, window_condition
from huicai.core.transitions import ActionRefused
from huicai.policies import actions
from huicai.policies.access import (
    can_manage_policies,
    can_manage_policy,
    get_policies_for_talent,
    get_policy_for_user,
)
from huicai.policies.forms import (
    ExpireForm,
    ManageFilterForm,
    PolicyForm,
    PolicySearchForm,
    PublishForm,
    SynonymForm,
    filter_policies,
)
from huicai.policies.models import Policy, SearchSynonym
from huicai.policies.search import search_policies
from huicai.talents.models import Talent

PAGE_SIZE = 20


def _results(request, queryset, form, *, today):
    """Filter, search and paginate; the context shared by the search, "for me" and manage pages."""
    query = ""
    if form.is_valid():
        queryset = filter_policies(queryset, form.cleaned_data, today=today)
        query = form.cleaned_data.get("q", "")
    search = search_policies(queryset, query, today=today)
    page = Paginator(search.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "form": form,
        "search": search,
        "page": page,
        "hits": search.hits(page.object_list),
        "today": today,
    }


def _render_results(request, template, context):
    if request.htmx:
        return render(request, "policies/partials/policy_results.html", context)
    return render(request, template, context)


def policy_list(request):
    """The public policy search: no sign-in needed, published policies are public information."""
    today = timezone.localdate()
    form = PolicySearchForm(request.GET or None)
    context = _results(request, Policy.objects.public(), form, today=today)
    context["can_manage"] = can_manage_policies(request.user)
    return _render_results(request, "policies/policy_list.html", context)


def policy_detail(request, pk):
    policy = get_policy_for_user(request.user, pk)
    can_manage = can_manage_policy(request.user, policy)
    context = {
        "policy": policy,
        "today": timezone.localdate(),
        "categories": policy.categories.all(),
        "divisions": policy.divisions.all(),
        # W7: the green-channel items the policy brings in; the public sees the published ones only.
        "service_items": policy.service_items.all() if can_manage else policy.service_items.published(),
        "can_manage": can_manage,
        "events": policy.events.select_related("by") if can_manage else [],
        "publish_form": PublishForm(),
        "expire_form": ExpireForm(),
    }
    return render(request, "policies/policy_detail.html", context)


@login_required
def policy_mine(request):
    """ "Policies for me" (W16): the in-force policies that apply to the signed-in talent."""
    scope = get_scope(request.user)
    if not scope.talent_id:
        raise PermissionDenied
    talent = (
        Talent.objects.visible_to(request.user)
        .filter(pk=scope.talent_id)
        .select_related("category", "home_window__division__parent")
        .first()
    )
    if talent is None:
        raise Http404
    today = timezone.localdate()
    form = PolicySearchForm(request.GET or None)
    context = _results(request, get_policies_for_talent(talent, today=today), form, today=today)
    context["talent"] = talent
    return _render_results(request, "policies/policy_mine.html", context)


@login_required
def policy_manage(request):
    """The window commissioners' list: every policy of their windows and those below, drafts included."""
    if not can_manage_policies(request.user):
        raise PermissionDenied
    scope = get_scope(request.user)
    policies = Policy.objects.visible_to(request.user)
    if not scope.is_superuser:
        policies = policies.filter(window_condition(scope, "window__path"))
    today = timezone.localdate()
    form = ManageFilterForm(request.GET or None)
    context = _results(request, policies, form, today=today)
    return _render_results(request, "policies/policy_manage.html", context)


@login_required
def policy_create(request):
    if not can_manage_policies(request.user):
        raise PermissionDenied
    form = PolicyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            policy = actions.create_policy(
                by=request.user, at=timezone.now(), window=form.cleaned_data["window"], **form.action_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存政策草稿，发布后公众即可检索。"))
            return redirect(policy)
    return render(request, "policies/policy_form.html", {"form": form})


@login_required
def policy_edit(request, pk):
    policy = get_policy_for_user(request.user, pk, write=True)
    form = PolicyForm(request.POST or None, instance=policy, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            policy = actions.edit_policy(policy, by=request.user, at=timezone.now(), **form.action_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("政策已修改。"))
            return redirect(policy)
    return render(request, "policies/policy_form.html", {"form": form, "policy": policy})


@login_required
@require_POST
def policy_publish(request, pk):
    policy = get_policy_for_user(request.user, pk, write=True)
    form = PublishForm(request.POST)
    notify_talents = form.is_valid() and form.cleaned_data["notify_talents"]
    try:
        policy, notified = actions.publish_policy(
            policy, by=request.user, at=timezone.now(), notify_talents=notify_talents
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("政策已发布，已向 %(n)d 位符合条件的人才推送通知。") % {"n": notified})
    return redirect(policy)


@login_required
@require_POST
def policy_expire(request, pk):
    policy = get_policy_for_user(request.user, pk, write=True)
    form = ExpireForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        policy = actions.expire_policy(policy, by=request.user, at=timezone.now(), note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("政策已废止。"))
    return redirect(policy)


# --- Search synonyms (issue 12) ------------------------------------------------------------------------

SYNONYM_PAGE_SIZE = 50


def _synonym_page(request, *, form, editing=None, status=200):
    synonyms = SearchSynonym.objects.select_related("updated_by").order_by("phrase", "pk")
    page = Paginator(synonyms, SYNONYM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "policies/synonym_list.html",
        {"page": page, "form": form, "editing": editing},
        status=status,
    )


def _save_synonym(request, synonym):
    form = SynonymForm(request.POST)
    if form.is_valid():
        try:
            actions.save_synonym(synonym, **form.cleaned_data, by=request.user, at=timezone.now())
        except ValidationError as error:
            form.add_error(None, error)
        except ActionRefused as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("已保存检索同义词“%(phrase)s”。") % {"phrase": form.cleaned_data["phrase"]}
            )
            return redirect("policies:synonyms")
    return _synonym_page(request, form=form, editing=synonym, status=400)


@login_required
def synonym_list(request):
    """Window staff keep the words people search with (孩子上学 → 子女入学); every change is audited."""
    if not can_manage_policies(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _save_synonym(request, None)
    return _synonym_page(request, form=SynonymForm())


@login_required
def synonym_edit(request, pk):
    if not can_manage_policies(request.user):
        raise PermissionDenied
    synonym = get_object_or_404(SearchSynonym, pk=pk)
    if request.method == "POST":
        return _save_synonym(request, synonym)
    return _synonym_page(
        request, form=SynonymForm(initial={"phrase": synonym.phrase, "terms": synonym.terms}), editing=synonym
    )


@login_required
@require_POST
def synonym_delete(request, pk):
    if not can_manage_policies(request.user):
        raise PermissionDenied
    synonym = get_object_or_404(SearchSynonym, pk=pk)
    try:
        actions.delete_synonym(synonym, by=request.user, at=timezone.now())
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已删除检索同义词“%(phrase)s”。") % {"phrase": synonym.phrase})
    return redirect("policies:synonyms")
