import calendar

from django.db import migrations

COMMITTEE_TYPES = ("working_committee", "committee", "general_committee", "organ_committee", "street_committee")


def create(apps, schema_editor):
    """Candidates already voted on get their approval work item (pending, or approved with its date)."""
    Prospect = apps.get_model("development", "Prospect")
    Approval = apps.get_model("development", "AdmissionApproval")
    Organization = apps.get_model("orgs", "Organization")
    for p in Prospect.objects.filter(meeting_date__isnull=False).exclude(stage="stopped"):
        prefixes = [p.org_path[:i] for i in range(5, len(p.org_path), 5)]
        committee = (
            Organization.objects.filter(path__in=prefixes, org_type__in=COMMITTEE_TYPES).order_by("-depth").first()
        )
        if committee is None or Approval.objects.filter(prospect=p).exists():
            continue
        month = p.meeting_date.month + 3
        year = p.meeting_date.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        day = min(p.meeting_date.day, calendar.monthrange(year, month)[1])
        Approval.objects.create(
            prospect=p, org=committee, org_path=committee.path, meeting_date=p.meeting_date,
            state="approved" if p.approval_date else "pending", decided_on=p.approval_date,
            due_date=None if p.approval_date else p.meeting_date.replace(year=year, month=month, day=day),
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("development", "0002_admission_approval"), ("orgs", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
