from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from corpnet.api.tokens import token_get_or_create, token_revoke, token_rotate


class Command(BaseCommand):
    help = (
        "Show a user's REST API token, creating it if there is none. With --rotate, replace it "
        "(the old token stops working at once); with --revoke, delete it. Scripts send it as "
        "'Authorization: Token <key>'. Tokens can also be managed in the admin (Auth Token)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user the token belongs to and acts as.")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rotate", action="store_true", help="Replace the token with a new one.")
        action.add_argument("--revoke", action="store_true", help="Delete the token; API access ends.")

    def handle(self, *args, username, rotate, revoke, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; activate them first.")
        if revoke:
            if token_revoke(user=user):
                self.stdout.write(f"Revoked the API token of {username}.")
            else:
                self.stdout.write(f"{username} had no API token.")
            return
        token = token_rotate(user=user) if rotate else token_get_or_create(user=user)
        self.stdout.write(token.key)
