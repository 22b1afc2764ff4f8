from decimal import Decimal

from django.db import migrations


def create(apps, schema_editor):
    """Training fed by the records: class hours at held party lectures and training sessions.
    The manual training item stays for training outside the branch's own records."""
    Item = apps.get_model("pioneer", "PioneerItem")
    Item.objects.get_or_create(
        code="training_hours",
        defaults={"name": "参加党课和教育培训（每学时）", "source": "training_hours", "points": Decimal("1"), "monthly_cap": Decimal("8"), "order": 5},
    )
    Item.objects.filter(code="training", source="manual", name="参加教育培训").update(name="其他教育培训（人工登记）")


def remove(apps, schema_editor):
    apps.get_model("pioneer", "PioneerItem").objects.filter(code="training_hours").delete()


class Migration(migrations.Migration):
    dependencies = [("pioneer", "0004_training_hours_source")]
    operations = [migrations.RunPython(create, remove)]
