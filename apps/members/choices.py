from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class MemberCategory(models.TextChoices):
    EMPLOYED = "employed", "在职"
    RETIRED = "retired", "离退休"
    MOBILE = "mobile", "流动"
    STUDENT = "student", "学生"
    ABROAD = "abroad", "出国境"
    LOST_CONTACT = "lost_contact", "失联"
    SUSPENDED = "suspended", "停止党籍"
    EXPELLED = "expelled", "出党"
    DECEASED = "deceased", "去世"
    TRANSFERRED_OUT = "transferred_out", "已转出"


# Members in these categories no longer count as members of the organization. A sorted tuple, so
# every process writes the same SQL text for `category IN (…)` (a set's order varies between runs).
INACTIVE_CATEGORIES = tuple(
    sorted({MemberCategory.EXPELLED, MemberCategory.DECEASED, MemberCategory.TRANSFERRED_OUT})
)


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    JUNIOR_COLLEGE = "junior_college", "大学专科"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中专"
    HIGH_SCHOOL = "high_school", "高中"
    MIDDLE_SCHOOL = "middle_school", "初中及以下"


ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
]  # fmt: skip


class AgeBand(models.TextChoices):
    UPTO_30 = "upto30", "30岁及以下"
    FROM_31_TO_40 = "31-40", "31-40岁"
    FROM_41_TO_50 = "41-50", "41-50岁"
    FROM_51_TO_60 = "51-60", "51-60岁"
    FROM_61_TO_70 = "61-70", "61-70岁"
    OVER_70 = "over70", "71岁及以上"


AGE_BAND_LIMITS: dict[str, tuple[int | None, int | None]] = {
    AgeBand.UPTO_30: (None, 30),
    AgeBand.FROM_31_TO_40: (31, 40),
    AgeBand.FROM_41_TO_50: (41, 50),
    AgeBand.FROM_51_TO_60: (51, 60),
    AgeBand.FROM_61_TO_70: (61, 70),
    AgeBand.OVER_70: (71, None),
}
