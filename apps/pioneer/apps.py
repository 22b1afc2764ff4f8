from django.apps import AppConfig


class PioneerConfig(AppConfig):
    name = "apps.pioneer"
    label = "pioneer"
    verbose_name = "党员先锋指数"

    def ready(self) -> None:
        from apps.pioneer import checks  # noqa: F401  (registers the checklist check)
