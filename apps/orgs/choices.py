from django.db import models


class OrgType(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", "党工委"
    COMMITTEE = "committee", "党委"
    GENERAL_COMMITTEE = "general_committee", "综合党委"
    ORGAN_COMMITTEE = "organ_committee", "机关党委"
    STREET_COMMITTEE = "street_committee", "街道党工委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    JOINT_BRANCH = "joint_branch", "联合党支部"
    TEMP_BRANCH = "temp_branch", "临时党支部"
    GROUP = "group", "党小组"


# Types that hold members directly and are measured by the branch rules.
BRANCH_TYPES = frozenset({OrgType.BRANCH, OrgType.JOINT_BRANCH, OrgType.TEMP_BRANCH})
# Grassroots committees elect for five years; general branches and branches for three
# (《中国共产党基层组织选举工作条例》; 2018 支部工作条例).
COMMITTEE_TYPES = frozenset(
    {
        OrgType.WORKING_COMMITTEE,
        OrgType.COMMITTEE,
        OrgType.GENERAL_COMMITTEE,
        OrgType.ORGAN_COMMITTEE,
        OrgType.STREET_COMMITTEE,
    }
)

# Which child types each type may hold: keeps the tree in the shape of SPEC §1.
ALLOWED_CHILDREN: dict[str, frozenset[str]] = {
    OrgType.WORKING_COMMITTEE: frozenset(
        {
            OrgType.COMMITTEE,
            OrgType.GENERAL_COMMITTEE,
            OrgType.ORGAN_COMMITTEE,
            OrgType.STREET_COMMITTEE,
            OrgType.GENERAL_BRANCH,
            OrgType.BRANCH,
            OrgType.JOINT_BRANCH,
            OrgType.TEMP_BRANCH,
        }
    ),
    **{
        t: frozenset(
            {
                OrgType.COMMITTEE,
                OrgType.GENERAL_BRANCH,
                OrgType.BRANCH,
                OrgType.JOINT_BRANCH,
                OrgType.TEMP_BRANCH,
            }
        )
        for t in (
            OrgType.COMMITTEE,
            OrgType.GENERAL_COMMITTEE,
            OrgType.ORGAN_COMMITTEE,
            OrgType.STREET_COMMITTEE,
        )
    },
    OrgType.GENERAL_BRANCH: frozenset({OrgType.BRANCH, OrgType.JOINT_BRANCH, OrgType.TEMP_BRANCH}),
    OrgType.BRANCH: frozenset({OrgType.GROUP}),
    OrgType.JOINT_BRANCH: frozenset({OrgType.GROUP}),
    OrgType.TEMP_BRANCH: frozenset({OrgType.GROUP}),
    OrgType.GROUP: frozenset(),
}


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", "机关"
    STREET = "street", "街道"
    COMMUNITY = "community", "社区"
    ENTERPRISE = "enterprise", "企业"
    SOCIAL_ORG = "social_org", "社会组织"
    PARK = "park", "园区"
    INSTITUTION = "institution", "事业单位"
    PROJECT = "project", "项目"
    OTHER = "other", "其他"


class FormationMode(models.TextChoices):
    SINGLE = "single", "单独组建"
    JOINT = "joint", "联合组建"
    INDUSTRY_CLUSTER = "industry_cluster", "行业型组团"
    COMPREHENSIVE_CLUSTER = "comprehensive_cluster", "综合型组团"
    PARK_CO_BUILD = "park_co_build", "园地共建"
    INCUBATION = "incubation", "同步孵化"
    INDUSTRY_BUILD = "industry_build", "产业建党"


class CommitteeRole(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    ORGANIZATION = "organization", "组织委员"
    PUBLICITY = "publicity", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    MEMBER = "member", "委员"
