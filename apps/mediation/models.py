"""Online dispute mediation (在线矛盾纠纷多元化解, SPEC §10): institutions and their mediators, cases on
the work-item engine, their parties, sessions, attachments and judicial confirmation.

A case keeps the dates the ledger and the bulletin count by (received, responded, accepted, closed),
and `respond_by`, the day the institution had to accept or reject it, fixed at receipt so a later
change of the institution's limits does not rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.core.masking import mask_phone
from apps.core.models import StoredUpload
from apps.mediation.choices import (
    CaseSource,
    DisputeType,
    InstitutionKind,
    MediatorKind,
    PartyRole,
    SessionMode,
)
from apps.mediation.flow import CASE_FLOW, JUDICIAL_FLOW


def _default_limit(name: str, fallback: int) -> int:
    return int(getattr(settings, name, fallback))


def default_accept_days() -> int:
    return _default_limit("XF_MEDIATION_ACCEPT_DAYS", 3)


def default_assign_days() -> int:
    return _default_limit("XF_MEDIATION_ASSIGN_DAYS", 2)


def default_mediate_days() -> int:
    # 诉前调解 30 days; about 22 working days.
    return _default_limit("XF_MEDIATION_MEDIATE_DAYS", 22)


class Institution(models.Model):
    """A mediation institution; `supervisor` is the body that oversees it (矛调中心, 司法所)."""

    name = models.CharField("机构名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=12, choices=InstitutionKind.choices)
    supervisor = models.ForeignKey(
        "self",
        verbose_name="主管单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True, default="")
    address = models.CharField("地址", max_length=160, blank=True, default="")
    scope_note = models.CharField("受理范围", max_length=200, blank=True, default="")
    online = models.BooleanField("已上线接收网上申请", default=True)
    limit_accept = models.PositiveSmallIntegerField("受理时限（工作日）", default=default_accept_days)
    limit_assign = models.PositiveSmallIntegerField("分派时限（工作日）", default=default_assign_days)
    limit_mediate = models.PositiveSmallIntegerField("调解时限（工作日）", default=default_mediate_days)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "调解机构"
        verbose_name_plural = verbose_name
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Mediator(models.Model):
    """A mediator of an institution; `is_admin` lets them accept, reject and assign cases."""

    institution = models.ForeignKey(
        Institution, verbose_name="所属机构", on_delete=models.CASCADE, related_name="mediators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediator_roles",
    )
    name = models.CharField("姓名", max_length=50)
    kind = models.CharField(
        "类别", max_length=12, choices=MediatorKind.choices, default=MediatorKind.PART_TIME
    )
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    speciality = models.CharField("擅长领域", max_length=120, blank=True, default="")
    is_admin = models.BooleanField("机构管理员", default=False)
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "调解员"
        verbose_name_plural = verbose_name
        ordering = ["institution", "-is_admin", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "user"],
                condition=models.Q(user__isnull=False),
                name="mediation_mediator_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """One dispute brought for mediation, from application or referral to its outcome."""

    receipt = models.CharField("受理回执码", max_length=20, unique=True)
    number = models.CharField("案号", max_length=40, blank=True, default="")
    submission_key = models.CharField(
        "提交标识", max_length=40, null=True, blank=True, unique=True, editable=False
    )
    source = models.CharField("来源", max_length=10, choices=CaseSource.choices)
    referred_by = models.CharField("移交单位", max_length=100, blank=True, default="")
    from_request = models.ForeignKey(
        "resident_requests.ResidentRequest", verbose_name="来源诉求", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="mediation_cases",
    )  # fmt: skip
    institution = models.ForeignKey(
        Institution, verbose_name="调解机构", on_delete=models.PROTECT, related_name="cases"
    )
    dispute_type = models.CharField("纠纷类型", max_length=12, choices=DisputeType.choices)
    amount = models.DecimalField("涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    facts = models.TextField("纠纷事实", max_length=3000)
    claims = models.CharField("申请事项", max_length=1000)
    applicant_name = models.CharField("申请人", max_length=50)
    applicant_phone = models.CharField("申请人电话", max_length=20)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField("状态", max_length=12, choices=CASE_FLOW.choices(), default="received")
    due_date = models.DateField("当前环节期限", null=True, blank=True)
    received_on = models.DateField("收案日期")
    respond_by = models.DateField("应答复日期")
    responded_on = models.DateField("答复日期", null=True, blank=True)
    response_days = models.PositiveSmallIntegerField("响应用时（工作日）", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    reject_reason = models.CharField("不予受理理由", max_length=300, blank=True, default="")
    mediator = models.ForeignKey(
        Mediator, verbose_name="调解员", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    closed_on = models.DateField("结案日期", null=True, blank=True)
    agreement = models.TextField("调解协议内容", max_length=5000, blank=True, default="")
    performance = models.CharField("履行方式", max_length=200, blank=True, default="")
    close_note = models.CharField("结案说明", max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "调解案件"
        verbose_name_plural = verbose_name
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="mediation_case_number_once"
            )
        ]
        indexes = [
            models.Index(fields=["received_on", "institution"], name="mediation_case_received"),
            models.Index(fields=["institution", "received_on"], name="mediation_case_inst_day"),
            models.Index(fields=["state", "due_date"], name="mediation_case_state_due"),
        ]

    def __str__(self) -> str:
        return self.number or self.receipt

    @property
    def applicant_phone_masked(self) -> str:
        return mask_phone(self.applicant_phone)

    @property
    def is_open(self) -> bool:
        return CASE_FLOW.state(self.state).kind == "open"


class Party(models.Model):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("身份", max_length=12, choices=PartyRole.choices)
    name = models.CharField("姓名/名称", max_length=80)
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    address = models.CharField("住址", max_length=160, blank=True, default="")

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = verbose_name
        ordering = ["case", "role", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Session(models.Model):
    """A mediation session (调解记录)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("调解日期")
    mode = models.CharField("方式", max_length=14, choices=SessionMode.choices, default=SessionMode.ONSITE)
    place = models.CharField("地点", max_length=120, blank=True, default="")
    participants = models.CharField("参加人员", max_length=300, blank=True, default="")
    summary = models.TextField("调解情况", max_length=3000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "调解记录"
        verbose_name_plural = verbose_name
        ordering = ["case", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class Attachment(StoredUpload):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="attachments")
    by_applicant = models.BooleanField("申请人提交", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "案件材料"
        verbose_name_plural = verbose_name
        ordering = ["case", "id"]


class JudicialConfirmation(models.Model):
    """An application for judicial confirmation of a mediation agreement, and the court's decision."""

    case = models.OneToOneField(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="judicial")
    court = models.CharField("受理法院", max_length=100)
    applied_on = models.DateField("申请日期")
    state = models.CharField("状态", max_length=10, choices=JUDICIAL_FLOW.choices(), default="applied")
    due_date = models.DateField("期限", null=True, blank=True)
    court_number = models.CharField("法院案号", max_length=60, blank=True, default="")
    decided_on = models.DateField("裁定日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "司法确认"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["state", "decided_on"], name="mediation_judicial_state")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_state_display()}"
