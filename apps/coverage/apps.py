from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "apps.coverage"
    label = "coverage"
    verbose_name = "两新组织覆盖"

    def ready(self) -> None:
        from apps.coverage import stats  # noqa: F401  (registers the coverage figures)
