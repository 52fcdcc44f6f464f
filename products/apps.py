from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Products and releases")

    def ready(self) -> None:
        from accounts.demo import demo_step_register

        from . import demo

        demo_step_register(demo.seed)
