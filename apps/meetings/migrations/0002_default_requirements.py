from django.db import migrations

# The routine items that meetings evidence, with the cadences of the 2018 branch regulations and the
# common local rule for 党课 (quarterly). The zone edits them on the requirements page.
DEFAULTS = [
    (1, "支部党员大会", "general_meeting", "quarterly", 1, "会议记录、签到表", False, False),
    (1, "支部委员会会议", "committee_meeting", "monthly", 1, "会议记录", True, False),
    (1, "党小组会", "group_meeting", "monthly", 1, "会议记录", False, True),
    (1, "党课", "party_lecture", "quarterly", 1, "党课讲稿、签到表", False, False),
    (2, "固定主题党日", "theme_day", "monthly", 1, "活动记录、照片", False, False),
    (3, "组织生活会", "org_life", "yearly", 1, "会议记录、对照检查材料", False, False),
    (3, "民主评议党员", "appraisal", "yearly", 1, "评议结果", False, False),
    (9, "谈心谈话", "heart_talk", "yearly", 1, "谈心谈话记录", False, False),
    (9, "党员教育培训", "training", "halfyearly", 1, "培训记录、学时", False, False),
    (9, "党务公开", "publicity", "quarterly", 1, "公开内容与时间", False, False),
]


def create(apps, schema_editor):
    Requirement = apps.get_model("meetings", "Requirement")
    for item_no, name, meeting_type, cadence, times, evidence, needs_committee, needs_groups in DEFAULTS:
        Requirement.objects.get_or_create(
            meeting_type=meeting_type,
            defaults={
                "item_no": item_no, "name": name, "cadence": cadence, "times": times, "evidence": evidence,
                "needs_committee": needs_committee, "needs_groups": needs_groups,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
