"""The party organization tree (SPEC §1).

Each node keeps its parent, a materialized path and its depth. The path is the chain of the
ancestors' ids, each as five base-36 digits, so a subtree is one indexed prefix query on SQLite
and PostgreSQL alike, and a move rewrites a subtree with one UPDATE (see services.org_move).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from apps.core.models import HistoryContext
from apps.orgs.choices import BRANCH_TYPES, COMMITTEE_TYPES, CommitteeRole, FormationMode, OrgType, UnitKind

SEGMENT = 5
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode_segment(pk: int) -> str:
    if pk <= 0 or pk >= 36**SEGMENT:
        raise ValueError("organization id out of range for the path encoding")
    out = ""
    value = pk
    while value:
        value, rem = divmod(value, 36)
        out = _DIGITS[rem] + out
    return out.rjust(SEGMENT, "0")


class Organization(models.Model):
    """A party organization: working committee, committee, general branch, branch or party group."""

    name = models.CharField("组织名称", max_length=120)
    short_name = models.CharField("简称", max_length=60, blank=True, default="")
    name_pinyin = models.CharField("名称拼音", max_length=400, blank=True, default="", editable=False)
    name_initials = models.CharField(
        "名称首字母", max_length=120, blank=True, default="", editable=False, db_index=True
    )
    org_type = models.CharField("组织类别", max_length=24, choices=OrgType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=1, editable=False)
    unit_kind = models.CharField(
        "所在单位类型", max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER
    )
    unit_name = models.CharField("所在单位", max_length=120, blank=True, default="")
    founded_on = models.DateField("成立日期", null=True, blank=True)
    formation_mode = models.CharField(
        "组建方式", max_length=30, choices=FormationMode.choices, default=FormationMode.SINGLE
    )
    last_election_on = models.DateField("最近换届日期", null=True, blank=True)
    end_date = models.DateField("撤销/期满日期", null=True, blank=True, help_text="临时党支部须填写")
    star_rating = models.PositiveSmallIntegerField("星级", null=True, blank=True)
    is_demonstration = models.BooleanField("党建示范点", default=False)
    is_strongest_branch = models.BooleanField("最强党支部", default=False)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    address = models.CharField("地址", max_length=200, blank=True, default="")
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(
        bases=[HistoryContext], excluded_fields=["name_pinyin", "name_initials", "path", "depth"]
    )

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = verbose_name
        ordering = ["path"]
        indexes = [
            models.Index(fields=["parent", "name"], name="orgs_parent_name_idx"),
            models.Index(fields=["name"], name="orgs_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(star_rating__isnull=True)
                | models.Q(star_rating__gte=1, star_rating__lte=5),
                name="orgs_organization_star_1_5",
                violation_error_message="星级应为1至5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.org_type in BRANCH_TYPES

    @property
    def is_committee(self) -> bool:
        return self.org_type in COMMITTEE_TYPES

    @property
    def term_years(self) -> int:
        return 5 if self.org_type in COMMITTEE_TYPES else 3

    @property
    def has_children(self) -> bool:
        # Set by selectors (annotation); falls back to a query only outside them.
        value = getattr(self, "child_count", None)
        if value is None:
            return self.children.exists()
        return value > 0


class CommitteeMember(models.Model):
    """A seat on an organization's committee (书记, 副书记, 委员…) for a term."""

    org = models.ForeignKey(
        Organization, verbose_name="组织", on_delete=models.CASCADE, related_name="committee"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name="党员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=20, choices=CommitteeRole.choices)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束", null=True, blank=True)

    class Meta:
        verbose_name = "委员会成员"
        verbose_name_plural = verbose_name
        ordering = ["org", "role", "term_start"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class OrgMove(models.Model):
    """One re-parenting of a subtree, kept so the tree can be read as it stood on any date."""

    org = models.ForeignKey(Organization, verbose_name="组织", on_delete=models.CASCADE, related_name="moves")
    from_parent = models.ForeignKey(
        Organization, verbose_name="原上级", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_parent = models.ForeignKey(
        Organization, verbose_name="新上级", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    effective_on = models.DateField("生效日期")
    moved_at = models.DateTimeField("操作时间", auto_now_add=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField("原因", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "组织隶属调整"
        verbose_name_plural = verbose_name
        ordering = ["-moved_at"]

    def __str__(self) -> str:
        return f"{self.org} {self.effective_on}"
