"""The default departments of a street office and each category's handling time (editable afterwards)."""

from django.db import migrations

DEPARTMENTS = [
    ("CGK", "城管科"),
    ("SHSWK", "社会事务科"),
    ("PAB", "平安办（综治中心）"),
    ("JSGLK", "建设管理科"),
    ("SQFWZX", "社区服务中心"),
]
RULES = {
    "sanitation": (3, "CGK"),
    "property": (5, "JSGLK"),
    "municipal": (5, "JSGLK"),
    "security": (2, "PAB"),
    "neighbour": (5, "PAB"),
    "welfare": (7, "SHSWK"),
    "employment": (7, "SHSWK"),
    "other": (5, ""),
}


def forwards(apps, schema_editor):
    Department = apps.get_model("resident_requests", "Department")
    CategoryRule = apps.get_model("resident_requests", "CategoryRule")
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(code=code, defaults={"name": name})
    for category, (days, code) in RULES.items():
        CategoryRule.objects.get_or_create(
            category=category, defaults={"working_days": days, "department": departments.get(code)}
        )


def backwards(apps, schema_editor):
    apps.get_model("resident_requests", "CategoryRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("resident_requests", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
