import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import seed


class Command(BaseCommand):
    help = (
        "Load deterministic demo data (posts, workers, clients, orders; Russian and English names) "
        "and the demo users admin, hr, manager and employee. Safe to run again: data is loaded only "
        "into an empty database, and the users' passwords are reset to the given one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="small",
            help="small (60 workers, 600 clients, 6,000 orders), large (10,000 / 100,000 / 1,000,000) "
            "or a number of orders (workers and clients scale with it). Default: small.",
        )
        parser.add_argument(
            "--password",
            help="Password for the demo users. Required unless DEBUG is on, where it defaults to "
            "the development password shown by `make run`.",
        )
        parser.add_argument("--users-only", action="store_true", help="Only create or update the demo users.")

    def handle(self, *args, scale, password, users_only, **options):
        password = password or settings.DEMO_PASSWORD
        if not password:
            raise CommandError("--password is required when DEBUG is off (no default password in production).")
        try:
            size = seed.Scale.parse(scale)
        except ValueError as exc:
            raise CommandError(str(exc)) from None

        started = time.perf_counter()
        if users_only:
            pass
        elif seed.has_data():
            self.stdout.write("Demo data: the database already has data; nothing loaded.")
        else:
            self.stdout.write(
                f"Demo data: loading {size.workers:,} workers, {size.clients:,} clients, {size.orders:,} orders…"
            )
            seed.seed_data(size, log=self.stdout.write)
        created = seed.seed_users(password)
        elapsed = time.perf_counter() - started
        users = ", ".join(u for u, *_ in seed.DEMO_USERS)
        self.stdout.write(
            self.style.SUCCESS(f"Demo users: {users} ({'created ' + ', '.join(created) if created else 'updated'}).")
        )
        self.stdout.write(f"Done in {elapsed:.1f} s.")
