"""The public catalogue (W16 服务项目公示: no login, phones first) and the staff pages of the filing
workflow (W7: draft → filed → acknowledged, or returned)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts.roles import Role, get_scope
from huicai.catalogue import actions
from huicai.catalogue.access import (
    can_edit_item,
    can_review_item,
    drafting_windows,
    get_item_for_user,
    is_catalogue_staff,
    reviewable_condition,
)
from huicai.catalogue.choices import Category, FilingStatus
from huicai.catalogue.forms import (
    CatalogueSearchForm,
    NoteForm,
    ReturnForm,
    ServiceItemForm,
    StaffFilterForm,
)
from huicai.catalogue.models import ServiceItem, ServiceItemVersion, compute_reform

PAGE_SIZE = 20
STAFF_PAGE_SIZE = 25


def catalogue_list(request):
    """绿色通道服务事项目录: every published item by category, with its limits and reform results."""
    form = CatalogueSearchForm(request.GET or None)
    versions = ServiceItemVersion.objects.published().select_related("department")
    if form.is_bound:
        versions = versions.matching(form.cleaned_data) if form.is_valid() else versions.none()
    versions = versions.in_catalogue_order()
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        ServiceItemVersion.objects.published().values_list("category").annotate(n=Count("id")).order_by()
    )
    categories = [(value, label, counts[value]) for value, label in Category.choices if counts.get(value)]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "categories": categories,
        "query": query.urlencode(),
        "selected_category": form.cleaned_data.get("category") if form.is_bound and form.is_valid() else "",
    }
    template = (
        "catalogue/partials/serviceitem_results.html" if request.htmx else "catalogue/serviceitem_list.html"
    )
    return render(request, template, context)


def catalogue_detail(request, code):
    """One published item: the full guide, and the reform figures of each published version."""
    item = (
        ServiceItem.objects.published()
        .filter(code=code)
        .select_related("published_version__department", "published_version__division")
        .first()
    )
    if item is None:
        raise Http404
    version = item.published_version
    history = list(item.versions.filter(published_at__isnull=False).order_by("number"))
    cumulative = compute_reform(history[0], version) if len(history) > 1 else None
    return render(
        request,
        "catalogue/serviceitem_detail.html",
        {"item": item, "version": version, "history": history, "cumulative": cumulative},
    )


# --- Staff pages --------------------------------------------------------------------------------------


def catalogue_staff(view):
    """Staff pages: anonymous → login; signed in without a catalogue role → 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_catalogue_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@catalogue_staff
def staff_list(request):
    form = StaffFilterForm(request.GET or None)
    items = ServiceItem.objects.visible_to(request.user).select_related("window", "department")
    if form.is_bound and not form.is_valid():
        items = items.none()
    elif form.is_valid():
        if form.cleaned_data["status"]:
            items = items.filter(status=form.cleaned_data["status"])
        text = form.cleaned_data["q"].strip()
        if text:
            items = items.filter(Q(name__icontains=text) | Q(code__icontains=text))
    page = Paginator(items.order_by("window__path", "code"), STAFF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    can_draft = drafting_windows(request.user).exists()
    return render(
        request,
        "catalogue/serviceitem_staff_list.html",
        {"form": form, "page": page, "can_draft": can_draft, "query": query.urlencode()},
    )


@catalogue_staff
def filing_list(request):
    """待备案事项: the items filed with the user's window by the windows below it (W7)."""
    scope = get_scope(request.user)
    condition = reviewable_condition(request.user)
    if condition is None or not (scope.is_superuser or Role.WINDOW in scope.roles):
        raise PermissionDenied
    items = (
        ServiceItem.objects.visible_to(request.user)
        .filter(condition, status=FilingStatus.FILED)
        .select_related("window", "department")
        .order_by("updated_at", "code")
    )
    page = Paginator(items, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/serviceitem_filings.html",
        {"page": page, "return_form": ReturnForm(), "note_form": NoteForm()},
    )


@catalogue_staff
def staff_detail(request, pk):
    item = get_item_for_user(request.user, pk)
    versions = list(item.versions.select_related("created_by", "published_by").order_by("-number"))
    events = item.events.select_related("by", "version").order_by("-at", "-id")
    latest = versions[0] if versions else None
    pending = None
    if latest is not None and item.published_version_id and latest.pk != item.published_version_id:
        # What acknowledging the latest version would publish as reform results.
        pending = compute_reform(item.published_version, latest)
    may_edit = can_edit_item(request.user, item)
    may_review = can_review_item(request.user, item)
    is_root = item.window.parent_id is None
    context = {
        "item": item,
        "versions": versions,
        "events": events,
        "latest": latest,
        "pending": pending,
        "can_edit": may_edit and item.status != FilingStatus.FILED,
        "can_file": may_edit and not is_root and item.status in (FilingStatus.DRAFT, FilingStatus.RETURNED),
        "can_publish": may_edit and is_root and item.status == FilingStatus.DRAFT,
        "can_review": may_review and item.status == FilingStatus.FILED,
        "return_form": ReturnForm(),
        "note_form": NoteForm(),
    }
    return render(request, "catalogue/serviceitem_staff_detail.html", context)


def _add_action_error(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@catalogue_staff
def item_create(request):
    if not drafting_windows(request.user).exists():
        raise PermissionDenied
    form = ServiceItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.create_item(
                window=form.cleaned_data["window"],
                by=request.user,
                at=timezone.now(),
                undertaking_orgs=form.cleaned_data["undertaking_orgs"],
                talent_categories=form.cleaned_data["talent_categories"],
                reason=form.cleaned_data["reason"],
                **form.item_fields(),
            )
        except actions.NotYourItem as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            _add_action_error(form, exc)
        else:
            messages.success(request, _("已起草服务事项“%(name)s”（第1版）。") % {"name": item.name})
            return redirect(item)
    return render(request, "catalogue/serviceitem_form.html", {"form": form, "item": None})


@catalogue_staff
def item_edit(request, pk):
    item = get_item_for_user(request.user, pk)
    if not can_edit_item(request.user, item):
        raise PermissionDenied
    form = ServiceItemForm(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.revise_item(
                item,
                by=request.user,
                at=timezone.now(),
                reason=form.cleaned_data["reason"],
                undertaking_orgs=form.cleaned_data["undertaking_orgs"],
                talent_categories=form.cleaned_data["talent_categories"],
                **form.item_fields(),
            )
        except actions.NotYourItem as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            _add_action_error(form, exc)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect(item)
    return render(request, "catalogue/serviceitem_form.html", {"form": form, "item": item})


def _transition(request, pk, action, success, **kwargs):
    item = get_item_for_user(request.user, pk)
    try:
        action(item, by=request.user, at=timezone.now(), **kwargs)
    except actions.NotYourItem as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    if request.POST.get("next") == "filings":
        return redirect("catalogue:filings")
    return redirect(item)


@require_POST
@catalogue_staff
def item_file(request, pk):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _transition(request, pk, actions.file_item, _("已报上一级窗口备案。"), note=note)


@require_POST
@catalogue_staff
def item_acknowledge(request, pk):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _transition(
        request, pk, actions.acknowledge_item, _("已确认备案，事项已在目录中公布。"), note=note
    )


@require_POST
@catalogue_staff
def item_return(request, pk):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        get_item_for_user(request.user, pk)  # 404 before telling anything about the form
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        if request.POST.get("next") == "filings":
            return redirect("catalogue:filings")
        return redirect("catalogue:staff_detail", pk=pk)
    return _transition(
        request, pk, actions.return_item, _("已退回，并通知起草窗口。"), reason=form.cleaned_data["reason"]
    )


@require_POST
@catalogue_staff
def item_publish(request, pk):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _transition(request, pk, actions.publish_item, _("已发布，事项已在目录中公布。"), note=note)
