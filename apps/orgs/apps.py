from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "apps.orgs"
    label = "orgs"
    verbose_name = "党组织"

    def ready(self) -> None:
        from apps.orgs import checks  # noqa: F401  (registers the checklist check)
