import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import seed


class Command(BaseCommand):
    help = (
        "Load deterministic demo data (posts, workers, clients, orders; Russian and English names) "
        "and the demo users admin, hr, manager and employee. Safe to run again: data is loaded only "
        "into an empty database. Existing users are never touched (their passwords stay) unless "
        "--reset-demo-passwords is given, or DEBUG is on (a development database)."
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
        parser.add_argument(
            "--reset-demo-passwords",
            action="store_true",
            help="Also reset the password, role and names of demo users that already exist (implied with "
            "DEBUG on). Without it, an existing 'admin' on a production database keeps its password.",
        )

    def handle(self, *args, scale, password, users_only, reset_demo_passwords=False, **options):
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
        reset = reset_demo_passwords or settings.DEBUG
        created, kept = seed.seed_users(password, reset_existing=reset)
        elapsed = time.perf_counter() - started
        users = ", ".join(u for u, *_ in seed.DEMO_USERS)
        done = ", ".join(filter(None, ["created " + ", ".join(created) if created else "", "updated" if reset else ""]))
        self.stdout.write(self.style.SUCCESS(f"Demo users: {users} ({done or 'none created'})."))
        if kept:
            self.stdout.write(
                self.style.WARNING(
                    f"Left alone (they already exist; --reset-demo-passwords resets them): {', '.join(kept)}."
                )
            )
        self.stdout.write(f"Done in {elapsed:.1f} s.")
