from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.roles import sync_roles_after_migrate

        # Runs after Django has created each app's permissions, so groups stay complete.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
