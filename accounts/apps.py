from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.roles import sync_roles_after_migrate

        # Runs after Django has created each app's permissions, so groups stay complete.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
