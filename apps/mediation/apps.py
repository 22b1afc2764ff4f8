from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "apps.mediation"
    label = "mediation"
    verbose_name = "矛盾纠纷多元化解"

    def ready(self) -> None:
        from apps.mediation import rules, stats  # noqa: F401  (registers the alert rule, audience and figures)
