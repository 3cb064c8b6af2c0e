from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import api_tokens


class Command(BaseCommand):
    help = (
        "Issue a new REST API token for a user and print its secret. The secret is shown only "
        "now (only a hash is stored); scripts send it as 'Authorization: Token <secret>'. "
        "Tokens expire after API_TOKEN_DAYS days (or --days); revoke them in the admin (API tokens)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user the token belongs to and acts as.")
        parser.add_argument("--days", type=int, default=None, help="Days until it expires (default API_TOKEN_DAYS).")
        parser.add_argument("--name", default="", help="A label, e.g. the script that uses it.")

    def handle(self, *args, username, days, name, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; activate them first.")
        token, secret = api_tokens.issue(user=user, name=name[:100], days=days)
        self.stderr.write(f"Token {token.key_prefix}… for {username}, expires {token.expires_at:%Y-%m-%d %H:%M} UTC.")
        self.stdout.write(secret)
