from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    ("base", "基础分", "base", "60", None),
    ("attendance", "出席组织生活", "attendance_present", "2", "10"),
    ("absence", "无故缺席组织生活", "attendance_absent", "-5", None),
    ("dues", "按月交纳党费", "dues_on_time", "5", None),
    ("arrears", "欠缴党费", "dues_unpaid", "-5", None),
    ("volunteer", "志愿服务", "manual", "3", "10"),
    ("training", "参加教育培训", "manual", "2", "10"),
    ("commendation", "受到表彰", "manual", "10", None),
    ("violation", "违反纪律", "manual", "-20", None),
]


def create(apps, schema_editor):
    Item = apps.get_model("pioneer", "PioneerItem")
    for order, (code, name, source, points, cap) in enumerate(DEFAULTS):
        Item.objects.get_or_create(
            code=code, defaults={"name": name, "source": source, "points": Decimal(points), "monthly_cap": Decimal(cap) if cap else None, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("pioneer", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
