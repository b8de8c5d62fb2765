"""The service flow over REST: the same actions as the pages (W11–W14, S15–S18).

Errors come as JSON with a stable code and a Chinese message (huicai.api.errors): a refused rule is 400
``invalid``; a step the record's state no longer allows, or a stale ``If-Match``/``version``, is 409; a
record outside the caller's jurisdiction is 404. A create carrying an ``Idempotency-Key`` header and
retried returns the first result and creates nothing twice.
"""

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from huicai.api.idempotency import expected_version, idempotent
from huicai.casework import access, actions
from huicai.casework.choices import (
    ApplicationStatus,
    ConsentMethod,
    ExplainedVia,
    InformChannel,
    Result,
    SuspensionReason,
    TaskStatus,
)
from huicai.casework.models import (
    Application,
    CaseEvent,
    Extension,
    Material,
    MaterialRequest,
    Task,
)
from huicai.casework.steps import STEPS_BY_NAME, available_steps
from huicai.catalogue.models import ServiceItem
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.org.models import Department, UndertakingOrg
from huicai.talents.models import Talent

# --- serializers ------------------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name")
    action_display = serializers.CharField(source="get_action_display")
    task = serializers.CharField(source="task.number", default=None)
    data = serializers.DictField(
        help_text="随事件类别而定的补充数据（如补正材料清单、改派部门）；对只承办部分事项的部门，申办级事件为空对象"
    )

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "at",
            "action",
            "action_display",
            "task",
            "from_status",
            "to_status",
            "by",
            "note",
            "data",
        ]


class MaterialSerializer(serializers.ModelSerializer):
    download_url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Material
        fields = [
            "id",
            "application_item",
            "key",
            "name",
            "original_name",
            "content_type",
            "size",
            "uploaded_at",
            "download_url",
        ]


class TaskSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name")
    talent_name = serializers.CharField(source="application.talent.name")
    application_number = serializers.CharField(source="application.number")
    due_date = serializers.DateField(source="deadline.due_date", default=None)
    due_date_provisional = serializers.BooleanField(source="deadline.is_provisional", default=None)
    status_display = serializers.CharField(source="get_status_display")
    undertaking_org_name = serializers.CharField(source="undertaking_org.name", default=None)
    has_open_order = serializers.BooleanField(default=False, read_only=True, help_text="有待答复的督办")

    class Meta:
        model = Task
        fields = [
            "id",
            "number",
            "application",
            "application_number",
            "talent_name",
            "department",
            "department_name",
            "status",
            "status_display",
            "committed_days",
            "due_date",
            "due_date_provisional",
            "undertaking_org",
            "undertaking_org_name",
            "accepted_at",
            "materials_request_count",
            "flagged_to_window",
            "hops",
            "result",
            "result_note",
            "completed_at",
            "informed_at",
            "informed_via",
            "version",
            "has_open_order",
        ]


class ExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    old_due_date = serializers.DateField()
    new_due_date = serializers.DateField()
    reason = serializers.CharField()
    explained_via = serializers.ChoiceField(choices=ExplainedVia.choices)
    acknowledged_at = serializers.DateTimeField(allow_null=True, help_text="窗口确认时间；未确认为 null")


class MaterialRequestItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="指南材料编号；指南外的材料为空")
    name = serializers.CharField()
    note = serializers.CharField()


class MaterialRequestSerializer(serializers.ModelSerializer):
    """一次性告知 (W13): one notice of every material a department still needs, with its items."""

    task_number = serializers.CharField(source="task.number")
    application = serializers.IntegerField(source="task.application_id")
    items = MaterialRequestItemSerializer(many=True)
    requested_by = serializers.CharField(source="requested_by.get_full_name")
    fulfilled = serializers.SerializerMethodField()

    class Meta:
        model = MaterialRequest
        fields = [
            "id",
            "task",
            "task_number",
            "application",
            "items",
            "note",
            "requested_by",
            "requested_at",
            "fulfilled_at",
            "fulfilled",
        ]

    def get_fulfilled(self, notice) -> bool:
        return notice.fulfilled_at is not None


class TaskDetailSerializer(TaskSerializer):
    items = serializers.SerializerMethodField()
    allowed_steps = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()
    material_requests = MaterialRequestSerializer(
        many=True, help_text="补正材料告知（一次性告知），按时间先后"
    )

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "items", "allowed_steps", "extensions", "material_requests"]

    def get_items(self, task) -> list[str]:
        return [line.item_version.name for line in task.items.select_related("item_version")]

    def get_allowed_steps(self, task) -> list[str]:
        return [step.name for step in available_steps(self.context["request"].user, task)]

    @extend_schema_field(ExtensionSerializer(many=True))
    def get_extensions(self, task) -> list[dict]:
        return [
            {
                "id": x.pk,
                "old_due_date": x.old_due_date,
                "new_due_date": x.new_due_date,
                "reason": x.reason,
                "explained_via": x.explained_via,
                "acknowledged_at": x.acknowledged_at,
                "working_days": x.working_days,
                "status": x.status,
                "decided_at": x.decided_at,
                "decision_reason": x.decision_reason,
            }
            for x in task.extensions.all()
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.name")
    status_display = serializers.CharField(source="get_status_display")
    window_name = serializers.CharField(source="window.name")

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "talent",
            "talent_name",
            "window",
            "window_name",
            "route",
            "status",
            "status_display",
            "consent_at",
            "consent_method",
            "note",
            "created_at",
            "submitted_at",
            "closed_at",
            "version",
        ]


class GuideMaterialSerializer(serializers.Serializer):
    """One material the service guide asks for (the catalogue version's ``materials``)."""

    name = serializers.CharField()
    required = serializers.BooleanField(required=False)
    copies = serializers.IntegerField(required=False)
    notes = serializers.CharField(required=False)


class ApplicationItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.IntegerField()
    task = serializers.IntegerField(allow_null=True, help_text="分办前为 null")
    materials = GuideMaterialSerializer(many=True)


class ApplicationDetailSerializer(ApplicationSerializer):
    """The application with the part of it the caller may see (need-to-know): a department or an
    institution gets its own tasks, their items and materials, never a sibling's."""

    items = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "items", "tasks", "materials"]

    def _part(self, application):
        parts = self.context.setdefault("parts", {})
        if application.pk not in parts:
            parts[application.pk] = access.application_part_for(self.context["request"].user, application)
        return parts[application.pk]

    @extend_schema_field(ApplicationItemSerializer(many=True))
    def get_items(self, application) -> list[dict]:
        part = self._part(application)
        return [
            {
                "id": line.pk,
                "code": line.service_item.code,
                "name": line.item_version.name,
                "department": line.service_item.department_id,
                "task": line.task_id,
                "materials": line.item_version.data.get("materials", []),
            }
            for line in part.items(application.items.select_related("item_version", "service_item"))
        ]

    @extend_schema_field(TaskSerializer(many=True))
    def get_tasks(self, application) -> list[dict]:
        part = self._part(application)
        tasks = [task for task in application.tasks.all() if part.sees_task(task)]
        return TaskSerializer(tasks, many=True, context=self.context).data

    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, application) -> list[dict]:
        part = self._part(application)
        materials = [material for material in application.materials.all() if part.sees_material(material)]
        return MaterialSerializer(materials, many=True, context=self.context).data


class ApplicationCreateSerializer(serializers.Serializer):
    talent = serializers.IntegerField()
    items = serializers.ListField(child=serializers.CharField(max_length=30), min_length=1, max_length=20)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ConsentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class UploadSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="申办事项 id")
    key = serializers.CharField(max_length=40, help_text="指南材料编号；按补正通知补交的其他材料为 R<序号>")
    file = serializers.FileField()
    request = serializers.IntegerField(required=False, help_text="补正通知 id（提交后补交材料时必填）")


class SplitSerializer(serializers.Serializer):
    routes = serializers.DictField(child=serializers.IntegerField(), help_text="申办事项 id → 部门 id")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RequiredNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class MaterialItemSerializer(serializers.Serializer):
    key = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    name = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class RequestMaterialsSerializer(serializers.Serializer):
    items = MaterialItemSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RerouteSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class DelegateSerializer(serializers.Serializer):
    undertaking_org = serializers.PrimaryKeyRelatedField(
        queryset=UndertakingOrg.objects.filter(is_active=True)
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SuspendSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=SuspensionReason.choices)
    legal_basis = serializers.CharField(max_length=300)


class ExtendSerializer(serializers.Serializer):
    new_due_date = serializers.DateField()
    reason = serializers.CharField(max_length=2000)
    explanation = serializers.CharField(max_length=2000)
    explained_via = serializers.ChoiceField(choices=ExplainedVia.choices)


class CompleteSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    document = serializers.FileField(required=False)


class InformSerializer(serializers.Serializer):
    via = serializers.ChoiceField(choices=InformChannel.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AcknowledgeSerializer(serializers.Serializer):
    extension = serializers.IntegerField()


class ExtensionDecisionSerializer(serializers.Serializer):
    """超长延期: the window's approval or refusal (a reason is required to refuse)."""

    extension = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class HandoverSerializer(serializers.Serializer):
    ref = serializers.RegexField(r"^R[0-9]{1,3}$", max_length=4)
    note = serializers.CharField(max_length=300)


class ResubmitSerializer(serializers.Serializer):
    """补正后提交: every item of the open notice is uploaded against it or listed here as handed over in
    person (``ref``: its place in the notice, R1, R2 …; ``note``: how and to whom)."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    handovers = HandoverSerializer(many=True, required=False, default=list)


STEP_SERIALIZERS = {
    "request-materials": RequestMaterialsSerializer,
    "resubmit": ResubmitSerializer,
    "accept": NoteSerializer,
    "return": ReasonSerializer,
    "reroute": RerouteSerializer,
    "delegate": DelegateSerializer,
    "report-back": RequiredNoteSerializer,
    "suspend": SuspendSerializer,
    "resume": NoteSerializer,
    "extend": ExtendSerializer,
    "complete": CompleteSerializer,
    "inform": InformSerializer,
    "withdraw": ReasonSerializer,
}


# --- viewsets ---------------------------------------------------------------------------------------


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications the caller may see; the unit commissioner creates and submits them."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = Application.objects.visible_to(self.request.user).select_related("talent", "window")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "tasks__department",
                "tasks__deadline",
                "tasks__undertaking_org",
                "tasks__application__talent",
                "materials",
            )
        status_filter = self.request.query_params.get("status")
        if status_filter in ApplicationStatus.values:
            queryset = queryset.filter(status=status_filter)
        return queryset.order_by("-created_at", "-id")

    def get_serializer_class(self):
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer

    def _application(self):
        return access.get_application_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, application, code=status.HTTP_200_OK):
        application = self.get_queryset().get(pk=application.pk)
        return Response(
            ApplicationDetailSerializer(application, context={"request": self.request}).data, status=code
        )

    @extend_schema(
        request=ApplicationCreateSerializer,
        responses={201: ApplicationDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @idempotent
    def create(self, request):
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        talent = Talent.objects.visible_to(request.user).filter(pk=data.validated_data["talent"]).first()
        if talent is None:
            raise exceptions.ValidationError({"talent": ["未找到该人才，或您无权为其申办。"]})
        codes = data.validated_data["items"]
        items = list(ServiceItem.objects.filter(code__in=codes).select_related("published_version"))
        unknown = set(codes) - {item.code for item in items}
        if unknown:
            raise exceptions.ValidationError({"items": [f"未找到事项：{'、'.join(sorted(unknown))}"]})
        application = actions.create_application(
            talent=talent,
            items=items,
            note=data.validated_data["note"],
            by=request.user,
            at=timezone.now(),
        )
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(request=UploadSerializer, responses={201: MaterialSerializer})
    @action(detail=True, methods=["post"])
    def materials(self, request, pk=None):
        application = self._application()
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = application.items.filter(pk=data.validated_data["item"]).first()
        if line is None:
            raise exceptions.ValidationError({"item": ["该申办中没有此事项。"]})
        material_request = None
        if data.validated_data.get("request"):
            material_request = MaterialRequest.objects.filter(
                pk=data.validated_data["request"], task__application=application
            ).first()
            if material_request is None:
                raise exceptions.ValidationError({"request": ["该申办没有此补正通知。"]})
        material = actions.upload_material(
            line,
            key=data.validated_data["key"],
            file=data.validated_data["file"],
            by=request.user,
            at=timezone.now(),
            request=material_request,
        )
        return Response(MaterialSerializer(material).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsentSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        application = self._application()
        data = ConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = actions.record_consent(
            application,
            **data.validated_data,
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        return self._detail(application)

    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self._application()
        actions.submit_application(
            application, by=request.user, at=timezone.now(), expected_version=expected_version(request)
        )
        return self._detail(application)

    @extend_schema(request=SplitSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        application = self._application()
        data = SplitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            routes = {int(k): v for k, v in data.validated_data["routes"].items()}
        except ValueError as error:
            raise exceptions.ValidationError({"routes": ["申办事项 id 应为整数。"]}) from error
        actions.split_application(
            application,
            routes=routes,
            note=data.validated_data["note"],
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        return self._detail(application)

    @extend_schema(request=ReasonSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self._application()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.withdraw_application(
            application,
            reason=data.validated_data["reason"],
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        return self._detail(application)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        application = self._application()
        # Need-to-know: a task holder reads its own tasks' events and the milestones, notes withheld.
        part = access.application_part_for(request.user, application)
        events = part.events(application.events.select_related("by", "task").order_by("at", "id"))
        page = self.paginate_queryset(events)
        return self.get_paginated_response(EventSerializer(page, many=True).data)


def _step_view(name, attribute=None):
    # Each step its own request schema (TaskAcceptRequest, TaskReturnRequest…), even where two steps
    # take the same fields, so a client reads one step's body without following a shared name.
    camel = "".join(part.capitalize() for part in name.split("-"))
    serializer_class = type(
        f"Task{camel}RequestSerializer", (STEP_SERIALIZERS[name],), {"__module__": __name__}
    )

    def view(self, request, pk=None):
        task = access.get_task_for_user(request.user, pk)
        step = STEPS_BY_NAME[name]
        if not step.may(request.user, task):
            raise exceptions.PermissionDenied()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if name == "request-materials":
            values["items"] = [dict(item) for item in values["items"]]
        if name == "resubmit":
            values["handovers"] = {h["ref"]: h["note"] for h in values["handovers"]}
        step.run(task, values, by=request.user, at=timezone.now(), expected_version=expected_version(request))
        return self._detail(task)

    view.__name__ = attribute or name.replace("-", "_")
    # The schema decorator goes on top of @action (drf-spectacular reads it there), so each step's own
    # request body, not the viewset's serializer, is what the schema documents.
    return extend_schema(
        request=serializer_class, responses=TaskDetailSerializer, summary=str(STEPS_BY_NAME[name].label)
    )(action(detail=True, methods=["post"], url_path=name, url_name=name)(view))


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's queue: open tasks they may see, soonest deadline first (``?all=1`` includes closed)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = Task.objects.visible_to(self.request.user).select_related(
            "application__talent__home_window",
            "application__unit_post__user",
            "department",
            "deadline",
            "undertaking_org",
        )
        if self.action == "list" and self.request.query_params.get("all") != "1":
            queryset = queryset.open()
        if self.action != "list":
            # The detail lists the extensions, and allowed_steps asks whether one waits for the window.
            queryset = queryset.prefetch_related(
                "extensions", "material_requests__requested_by", "material_requests__task"
            )
        status_filter = self.request.query_params.get("status")
        if status_filter in TaskStatus.values:
            queryset = queryset.filter(status=status_filter)
        # W9: tasks under a 督办 waiting for an answer come first, then the soonest deadline. A real cycle:
        # supervision builds on casework (its orders are on tasks), and this queue shows its orders.
        from huicai.supervision.models import in_queue_order

        return in_queue_order(queryset)

    def get_serializer_class(self):
        return TaskDetailSerializer if self.action == "retrieve" else TaskSerializer

    def _detail(self, task):
        task = self.get_queryset().get(pk=task.pk) if self.action != "list" else task
        return Response(TaskDetailSerializer(task, context={"request": self.request}).data)

    @extend_schema(request=AcknowledgeSerializer, responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"], url_path="acknowledge-extension", url_name="acknowledge-extension")
    def acknowledge_extension(self, request, pk=None):
        task = access.get_task_for_user(request.user, pk)
        data = AcknowledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        extension = Extension.objects.filter(task=task, pk=data.validated_data["extension"]).first()
        if extension is None:
            raise exceptions.ValidationError({"extension": ["该任务没有此延期记录。"]})
        actions.acknowledge_extension(extension, by=request.user, at=timezone.now())
        return self._detail(task)

    def _decide(self, request, pk, decision):
        task = access.get_task_for_user(request.user, pk)
        data = ExtensionDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        extension = Extension.objects.filter(task=task, pk=data.validated_data["extension"]).first()
        if extension is None:
            raise exceptions.ValidationError({"extension": ["该任务没有此延期记录。"]})
        if decision == "approve":
            actions.approve_extension(
                extension, note=data.validated_data["reason"], by=request.user, at=timezone.now()
            )
        else:
            actions.refuse_extension(
                extension, reason=data.validated_data["reason"], by=request.user, at=timezone.now()
            )
        return self._detail(task)

    @extend_schema(
        request=ExtensionDecisionSerializer, responses=TaskDetailSerializer, summary="批准超长延期"
    )
    @action(detail=True, methods=["post"], url_path="approve-extension", url_name="approve-extension")
    def approve_extension(self, request, pk=None):
        return self._decide(request, pk, "approve")

    @extend_schema(
        request=ExtensionDecisionSerializer, responses=TaskDetailSerializer, summary="不批准超长延期"
    )
    @action(detail=True, methods=["post"], url_path="refuse-extension", url_name="refuse-extension")
    def refuse_extension(self, request, pk=None):
        return self._decide(request, pk, "refuse")

    @extend_schema(responses={(200, "application/octet-stream"): bytes}, summary="下载结果文书")
    @action(detail=True, methods=["get"], url_path="result-document", url_name="result-document")
    def result_document(self, request, pk=None):
        """结果文书, through the same check as the page: whoever sees the task (need-to-know), audited."""
        task = access.get_task_for_user(request.user, pk)
        if not task.result_document:
            raise exceptions.NotFound("该任务没有结果文书。")
        audit.record(AuditEvent.Kind.EXPORT, request=request, obj=task, detail="result document download")
        response = FileResponse(
            task.result_document.open("rb"),
            as_attachment=True,
            filename=task.result_document_name or f"{task.number}{task.result_document_extension}",
            content_type=task.result_document_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    request_materials = _step_view("request-materials")
    resubmit = _step_view("resubmit")
    accept = _step_view("accept")
    return_ = _step_view("return", attribute="return_")
    reroute = _step_view("reroute")
    delegate = _step_view("delegate")
    report_back = _step_view("report-back")
    suspend = _step_view("suspend")
    resume = _step_view("resume")
    extend = _step_view("extend")
    complete = _step_view("complete")
    inform = _step_view("inform")
    withdraw = _step_view("withdraw")


class MaterialRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """补正材料告知 (W13): the notices of the tasks the caller may see (``?task=<id>``: one task's), oldest
    first. The unit commissioner answers one by uploading against its id (``request`` of the upload) and
    resubmitting the task."""

    serializer_class = MaterialRequestSerializer

    def get_queryset(self):
        queryset = MaterialRequest.objects.filter(task__in=Task.objects.visible_to(self.request.user))
        task = self.request.query_params.get("task")
        if task is not None:
            # An id that is no number, or too large for the column, names no task (not a 500).
            valid = task.isdigit() and len(task) < 19
            queryset = queryset.filter(task_id=int(task)) if valid else queryset.none()
        return queryset.select_related("task", "requested_by").order_by("requested_at", "id")

    @extend_schema(
        parameters=[
            OpenApiParameter("task", int, OpenApiParameter.QUERY, required=False, description="任务 id")
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router):
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("tasks", TaskViewSet, basename="task")
    router.register("material-requests", MaterialRequestViewSet, basename="material-request")
