"""Pages of window grading (W17–W20) and the reports (W17-3, W19).

City staff set the rubric, compute, adjust, publish, answer objections, keep the 约谈 and issue reports; a
window's manager reads the window's published results with the records behind every figure, objects, and
submits the rectification plan of its 约谈. Every change goes through actions.py; a refusal is shown as the
action's Chinese message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.grading import access, actions, forms
from huicai.grading.choices import EvaluationStatus, IndicatorCode, PeriodKind
from huicai.grading.indicators import INDICATORS, NO_DATA, RENORMALISATION_RULE
from huicai.grading.models import Evaluation, Interview, Report, RubricVersion, WindowResult

PAGE_SIZE = 25


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _require(condition):
    if not condition:
        raise PermissionDenied


def _refused(request, error):
    for message in error.messages:
        messages.error(request, message)


@login_required
def evaluation_list(request):
    """评估评价: the evaluations the user may see; city staff compute a new one here."""
    _require(access.sees_grading(request.user))
    is_city = access.is_city_staff(request.user)
    form = forms.ComputeForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        _require(is_city)
        if form.is_valid():
            data = form.cleaned_data
            try:
                evaluation = actions.compute_evaluation(
                    kind=data["kind"],
                    year=data["year"],
                    quarter=data.get("quarter") or 0,
                    by=request.user,
                    at=timezone.now(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("测算完成，用时 %(s)s 秒。") % {"s": evaluation.compute_seconds})
                return redirect(evaluation)
    evaluations = Evaluation.objects.visible_to(request.user).select_related("rubric")
    page = _page(request, evaluations)
    own = None
    if not is_city:
        # A window's own grade in each evaluation of the page (the first window of its subtree).
        own = {}
        results = WindowResult.objects.visible_to(request.user).filter(evaluation__in=list(page))
        for result in results.order_by("window__path"):
            own.setdefault(result.evaluation_id, result)
    rows = [(evaluation, (own or {}).get(evaluation.pk)) for evaluation in page]
    return render(
        request,
        "grading/evaluation_list.html",
        {"page": page, "rows": rows, "form": form, "is_city": is_city, "own": own},
    )


def _chart(results):
    return {
        "title": _("各窗口得分"),
        "categories": [r.window.name for r in results if r.score is not None],
        "values": [float(r.score) for r in results if r.score is not None],
        "links": [r.get_absolute_url() for r in results if r.score is not None],
    }


@login_required
def evaluation_detail(request, pk):
    evaluation = access.get_evaluation_for_user(request.user, pk)
    results = (
        WindowResult.objects.visible_to(request.user)
        .filter(evaluation=evaluation)
        .select_related("window")
        .in_rank_order()
    )
    page = _page(request, results, 50)
    is_city = access.is_city_staff(request.user)
    return render(
        request,
        "grading/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "page": page,
            "chart": _chart(list(page)),
            "is_city": is_city,
            "can_publish": access.EVALUATION_STEPS["publish"].available(request.user, evaluation),
            "rule": RENORMALISATION_RULE,
        },
    )


@login_required
@require_POST
def evaluation_publish(request, pk):
    evaluation = access.get_evaluation_for_user(request.user, pk)
    try:
        actions.publish_evaluation(
            evaluation, expected_version=request.POST.get("version"), by=request.user, at=timezone.now()
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("评估结果已公布。"))
    return redirect(evaluation)


def _figure_rows(result):
    rows = []
    for code, weight in result.evaluation.rubric.weights.items():
        indicator = INDICATORS[code]
        figure = result.figures.get(code) or {}
        rows.append(
            {
                "code": code,
                "label": indicator.label,
                "weight": weight,
                "formula": indicator.formula,
                "numerator": figure.get("numerator", 0),
                "denominator": figure.get("denominator", 0),
                "score": figure.get("score"),
                "has_records": indicator.records is not None,
            }
        )
    return rows


@login_required
def result_detail(request, pk):
    """One window's result: every figure with its formula and a link to the records behind it."""
    result = access.get_result_for_user(request.user, pk)
    evaluation = result.evaluation
    user = request.user
    figure_rows = _figure_rows(result)
    history = (
        WindowResult.objects.visible_to(user)
        .filter(
            window=result.window,
            evaluation__kind=PeriodKind.YEAR,
            evaluation__status=EvaluationStatus.PUBLISHED,
        )
        .select_related("evaluation")
        .order_by("evaluation__year")[:10]
    )
    objections = list(result.objections.select_related("filed_by", "answered_by"))
    open_objection = next((o for o in objections if o.status == "filed"), None)
    context = {
        "result": result,
        "evaluation": evaluation,
        "figure_rows": figure_rows,
        "no_data": NO_DATA,
        "rule": RENORMALISATION_RULE,
        "objections": objections,
        "events": result.events.select_related("by"),
        "interview": Interview.objects.filter(result=result).first(),
        "chart": {
            "title": _("各项指标得分"),
            "categories": [str(row["label"]) for row in figure_rows if row["score"] is not None],
            "values": [float(row["score"]) for row in figure_rows if row["score"] is not None],
            "links": [],
        },
        "history_chart": {
            "title": _("历年得分"),
            "categories": [str(r.evaluation.year) for r in history if r.score is not None],
            "values": [float(r.score) for r in history if r.score is not None],
            "links": [],
        },
        "adjust_form": forms.AdjustForm(initial={"version": result.version, "score": result.score})
        if access.may_adjust(user, result)
        else None,
        "objection_form": forms.ObjectionForm()
        if open_objection is None and access.may_object(user, result)
        else None,
        "answer_form": forms.AnswerForm(initial={"version": open_objection.version})
        if open_objection is not None and access.is_city_staff(user)
        else None,
        "open_objection": open_objection,
    }
    return render(request, "grading/result_detail.html", context)


@login_required
@require_POST
def result_step(request, pk, step):
    result = access.get_result_for_user(request.user, pk)
    now = timezone.now()
    try:
        if step == "adjust":
            _require(access.is_city_staff(request.user))
            form = forms.AdjustForm(request.POST)
            if form.is_valid():
                actions.adjust_result(
                    result,
                    score=form.cleaned_data["score"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                    at=now,
                )
                messages.success(request, _("得分已调整。"))
        elif step == "object":
            form = forms.ObjectionForm(request.POST)
            if form.is_valid():
                actions.file_objection(result, reason=form.cleaned_data["reason"], by=request.user, at=now)
                messages.success(request, _("异议已提交，请等待市级答复。"))
        elif step == "answer":
            objection = access.open_objection(result)
            if objection is None:
                raise Http404
            form = forms.AnswerForm(request.POST)
            if form.is_valid():
                actions.answer_objection(
                    objection,
                    upheld=form.cleaned_data["upheld"],
                    answer=form.cleaned_data["answer"],
                    score=form.cleaned_data["score"],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                    at=now,
                )
                messages.success(request, _("异议已答复。"))
        else:
            raise Http404
    except ValidationError as error:
        _refused(request, error)
    else:
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
    return redirect(result)


@login_required
def result_records(request, pk, code):
    """The drill-down: the records behind one figure, as many as the user may see, with whether each
    counted in the numerator."""
    result = access.get_result_for_user(request.user, pk)
    if code not in result.evaluation.rubric.weights or code not in IndicatorCode.values:
        raise Http404
    indicator = INDICATORS[code]
    evaluation = result.evaluation
    today = timezone.localdate(evaluation.computed_at)
    page = None
    rows = []
    if indicator.records is not None:
        queryset = indicator.records(
            result.window, evaluation.start_date, evaluation.end_date, request.user, today
        )
        page = _page(request, queryset)
        rows = [indicator.row(record, today) for record in page]
    return render(
        request,
        "grading/result_records.html",
        {
            "result": result,
            "evaluation": evaluation,
            "indicator": indicator,
            "figure": result.figures.get(code) or {},
            "page": page,
            "rows": rows,
            "no_data": NO_DATA,
        },
    )


@login_required
def rubric_list(request):
    _require(access.is_city_staff(request.user))
    current = actions.current_rubric()
    form = forms.RubricForm(
        request.POST or None, weights=current.weights if current else actions.DEFAULT_WEIGHTS
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rubric = actions.create_rubric(
                weights=form.weights(),
                excellent_min=data["excellent_min"],
                good_min=data["good_min"],
                pass_min=data["pass_min"],
                note=data["note"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存为第 %(n)s 版。") % {"n": rubric.number})
            return redirect("grading:rubrics")
    if current and request.method != "POST":
        form.initial.update(
            excellent_min=current.excellent_min, good_min=current.good_min, pass_min=current.pass_min
        )
    rubrics = RubricVersion.objects.select_related("created_by")
    versions = [
        {
            "rubric": rubric,
            "weights": [(IndicatorCode(code).label, weight) for code, weight in rubric.weights.items()],
        }
        for rubric in _page(request, rubrics)
    ]
    return render(
        request,
        "grading/rubric_list.html",
        {"form": form, "versions": versions, "page": _page(request, rubrics), "rule": RENORMALISATION_RULE},
    )


@login_required
def interview_list(request):
    _require(access.sees_grading(request.user))
    interviews = Interview.objects.visible_to(request.user).select_related("window", "result__evaluation")
    return render(
        request,
        "grading/interview_list.html",
        {"page": _page(request, interviews), "today": timezone.localdate()},
    )


@login_required
def interview_detail(request, pk):
    interview = access.get_interview_for_user(request.user, pk)
    steps = access.INTERVIEW_STEPS.available(request.user, interview)
    step_forms = [
        (step, forms.INTERVIEW_FORMS[step.name](initial={"version": interview.version})) for step in steps
    ]
    return render(
        request,
        "grading/interview_detail.html",
        {
            "interview": interview,
            "step_forms": step_forms,
            "events": interview.events.select_related("by"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def interview_step(request, pk, step):
    interview = access.get_interview_for_user(request.user, pk)
    if step not in forms.INTERVIEW_FORMS:
        raise Http404
    form = forms.INTERVIEW_FORMS[step](request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(interview)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    action = {
        "talk": actions.record_talk,
        "explain": actions.record_explanation,
        "plan": actions.submit_plan,
        "close": actions.close_interview,
    }[step]
    try:
        action(interview, **data, expected_version=version, by=request.user, at=timezone.now())
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已保存。"))
    return redirect(interview)


@login_required
def report_list(request):
    _require(access.is_city_staff(request.user))
    published = Evaluation.objects.visible_to(request.user).filter(status=EvaluationStatus.PUBLISHED)
    form = forms.DraftReportForm(request.POST or None, evaluations=published)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.draft_report(
                evaluation=form.cleaned_data["evaluation"], by=request.user, at=timezone.now()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已生成报告草稿，请修改后印发。"))
            return redirect(report)
    reports = Report.objects.visible_to(request.user).select_related("evaluation").defer("pdf", "xlsx")
    return render(request, "grading/report_list.html", {"page": _page(request, reports), "form": form})


@login_required
def report_detail(request, pk):
    report = access.get_report_for_user(request.user, pk)
    form = None
    if not report.is_issued:
        initial = {"version": report.version, "title": report.title}
        initial.update({name: text for name, _heading, text in report.sections()})
        form = forms.ReportForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                actions.edit_report(
                    report,
                    title=form.cleaned_data["title"],
                    sections=form.sections(),
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                    at=timezone.now(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("草稿已保存。"))
                return redirect(report)
    elif request.method == "POST":
        messages.error(request, _("报告已印发，不能修改。"))
        return redirect(report)
    return render(
        request,
        "grading/report_detail.html",
        {"report": report, "form": form, "events": report.events.select_related("by")},
    )


@login_required
@require_POST
def report_issue(request, pk):
    report = access.get_report_for_user(request.user, pk)
    try:
        actions.issue_report(
            report, expected_version=request.POST.get("version"), by=request.user, at=timezone.now()
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("报告已印发，PDF 与 Excel 已存档。"))
    return redirect(report)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def report_download(request, pk, fmt):
    if fmt not in CONTENT_TYPES:
        raise Http404
    report = access.get_report_for_user(request.user, pk)
    if not report.is_issued:
        raise Http404
    if not report.file_intact(fmt):
        # The kept bytes no longer match the checksum taken at issue: never hand out an altered report.
        return HttpResponse(
            _("报告文件校验失败，请联系系统管理员。"), status=409, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(bytes(getattr(report, fmt)), content_type=CONTENT_TYPES[fmt])
    name = f"grading-report-{report.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Checksum-SHA256"] = getattr(report, f"{fmt}_sha256")
    return response
