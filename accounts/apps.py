from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # this module has two configs; "accounts" in INSTALLED_APPS means this one
    name = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.roles import sync_roles_after_migrate

        # Runs after Django has created each app's permissions, so groups stay complete.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")


class LockoutConfig(AxesAppConfig):
    """django-axes (INSTALLED_APPS names this class), under a name the admin can show in
    Russian (its own is "Axes")."""

    default = False
    verbose_name = _("Login lockout")
