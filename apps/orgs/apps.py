from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "apps.orgs"
    label = "orgs"
    verbose_name = "党组织"

    def ready(self) -> None:
        from apps.orgs import checks, stats  # noqa: F401  (register the checklist check and the figures)
