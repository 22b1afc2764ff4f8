"""Party members and their membership records (SPEC §2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from apps.core.masking import mask_phone
from apps.core.models import HistoryContext
from apps.members.choices import Education, Gender, MemberCategory, MemberStatus


class Member(models.Model):
    """A party member (probationary or full) registered in one organization.

    The citizen ID is stored encrypted (`citizen_id_encrypted`), with a keyed hash for exact lookup and
    uniqueness, its last four digits for search and its masked form for display. `org_path` copies the
    organization's path so that scope filters and counts stay on this one table. Text columns searched
    by prefix have one index each with the pattern operator class, which PostgreSQL needs for
    LIKE 'x%' (other databases ignore the class); db_index would add a second, unused index per column
    to every insert, and copy it onto the history table.
    """

    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名拼音", max_length=200, editable=False)
    name_initials = models.CharField("姓名首字母", max_length=50, editable=False)
    citizen_id_encrypted = models.TextField("身份证号（加密）", editable=False)
    citizen_id_hash = models.CharField("身份证号摘要", max_length=64, unique=True, editable=False)
    citizen_id_last4 = models.CharField("身份证号后四位", max_length=4, editable=False)
    citizen_id_masked = models.CharField("身份证号（脱敏）", max_length=18, editable=False)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=10, default="汉族")
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=24, choices=Education.choices, blank=True, default="")
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    work_unit = models.CharField("工作单位", max_length=120, blank=True, default="")
    position = models.CharField("职务", max_length=60, blank=True, default="")

    application_date = models.DateField("申请入党日期", null=True, blank=True)
    activist_date = models.DateField("确定积极分子日期", null=True, blank=True)
    candidate_date = models.DateField("确定发展对象日期", null=True, blank=True)
    admission_date = models.DateField("入党日期")
    full_membership_date = models.DateField("转正日期", null=True, blank=True)
    status = models.CharField("党员状态", max_length=16, choices=MemberStatus.choices)
    category = models.CharField(
        "党员类别", max_length=16, choices=MemberCategory.choices, default=MemberCategory.EMPLOYED
    )
    category_since = models.DateField("类别变更日期", null=True, blank=True)

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members"
    )
    org_path = models.CharField("组织路径", max_length=255, editable=False)
    party_group = models.ForeignKey(
        "orgs.Organization",
        verbose_name="党小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(
        bases=[HistoryContext],
        excluded_fields=[
            "name_pinyin",
            "name_initials",
            "citizen_id_encrypted",
            "org_path",
            "created_at",
            "updated_at",
        ],
    )

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = verbose_name
        indexes = [
            *[
                models.Index(fields=[field], name=f"members_{short}_pfx", opclasses=["varchar_pattern_ops"])
                for field, short in (
                    ("name", "name"),
                    ("phone", "phone"),
                    ("org_path", "path"),
                )
            ],
            # Pinyin search reads (sort value, id) and the scope's columns from these alone on
            # PostgreSQL (an index-only scan); other databases ignore INCLUDE.
            *[
                models.Index(
                    fields=[field],
                    name=f"members_{short}_cover",
                    opclasses=["varchar_pattern_ops"],
                    include=["name_pinyin", "id", "org_path", "category", "status"],
                )
                for field, short in (("name_pinyin", "pinyin"), ("name_initials", "initials"))
            ],
            models.Index(fields=["name_pinyin", "id"], name="members_pinyin_idx"),
            models.Index(fields=["admission_date", "id"], name="members_admission_idx"),
            models.Index(fields=["birth_date", "id"], name="members_birth_idx"),
            models.Index(fields=["citizen_id_last4"], name="members_idtail_idx"),
            models.Index(fields=["org", "status"], name="members_org_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(full_membership_date__isnull=True)
                | models.Q(full_membership_date__gte=models.F("admission_date")),
                name="members_member_full_after_admission",
                violation_error_message="转正日期不能早于入党日期",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class MemberOrgPeriod(models.Model):
    """Where a member was registered from `start` until `end` (exclusive; open while current).

    A member has exactly one open period at any time; a change of organization closes the open
    period and opens the next on the same date, so the periods never overlap or leave gaps.
    """

    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.CASCADE, related_name="org_periods"
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    reason = models.CharField("原因", max_length=100, blank=True, default="")

    class Meta:
        verbose_name = "组织关系记录"
        verbose_name_plural = verbose_name
        ordering = ["member", "start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(end__isnull=True), name="members_one_open_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.org_id} {self.start}–{self.end or ''}"
