from django.db import migrations


def install(apps, schema_editor):
    """Organization counts by type join the tallies."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from apps.core.tallies import install_sql, rebuild

    with schema_editor.connection.cursor() as cursor:
        for statement in install_sql():
            cursor.execute(statement)
    rebuild(["org"])


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS xf_tally_orgs_organization_insert ON orgs_organization")
        cursor.execute("DROP TRIGGER IF EXISTS xf_tally_orgs_organization_update ON orgs_organization")
        cursor.execute("DROP TRIGGER IF EXISTS xf_tally_orgs_organization_delete ON orgs_organization")
        cursor.execute("DELETE FROM core_tally WHERE source = 'org'")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_tally_triggers")]
    operations = [migrations.RunPython(install, uninstall)]
