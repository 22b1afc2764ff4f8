from django.db import migrations


def install(apps, schema_editor):
    """PostgreSQL keeps the tallies with triggers; other databases compute the figures live."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from apps.core.tallies import install_sql, rebuild

    with schema_editor.connection.cursor() as cursor:
        for statement in install_sql():
            cursor.execute(statement)
    rebuild()


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from apps.core.tallies import uninstall_sql

    with schema_editor.connection.cursor() as cursor:
        for statement in uninstall_sql():
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_tally"),
        ("members", "0005_pinyin_covering_indexes"),
        ("dues", "0002_remove_duesbill_dues_bill_month_path_idx_and_more"),
        ("coverage", "0001_initial"),
    ]
    operations = [migrations.RunPython(install, uninstall)]
