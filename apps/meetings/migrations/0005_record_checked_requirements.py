from django.db import migrations

# The routine items that other records evidence (SPEC §3 items 4–9): each names the check a module
# registers in apps.core.rules_engine. Cadences are the common practice; the zone edits them.
DEFAULTS = [
    (4, "组织关系转接", "transfers", "monthly", "介绍信存根、回执按期办结"),
    (5, "党籍管理", "records", "quarterly", "预备党员按期转正或延长预备期"),
    (6, "党费收缴", "dues", "monthly", "党费按月足额缴纳"),
    (7, "党员发展", "development", "quarterly", "谈话、审批等环节按期完成"),
    (8, "党员先锋指数管理", "pioneer", "monthly", "月度得分评定并公示"),
    (9, "换届选举", "election", "yearly", "任期届满按期换届"),
    (9, "台账资料", "ledger", "quarterly", "每次会议有记录或附件"),
]


def create(apps, schema_editor):
    Requirement = apps.get_model("meetings", "Requirement")
    for item_no, name, source, cadence, evidence in DEFAULTS:
        Requirement.objects.get_or_create(
            source=source,
            defaults={"item_no": item_no, "name": name, "cadence": cadence, "times": 1, "evidence": evidence},
        )


def remove(apps, schema_editor):
    apps.get_model("meetings", "Requirement").objects.exclude(source="meeting").delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_requirement_source")]
    operations = [migrations.RunPython(create, remove)]
