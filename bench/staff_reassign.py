#!/usr/bin/env python3
"""Hand a worker's active orders to a colleague: the service against an order-by-order loop.

    python bench/staff_reassign.py [--orders 10 100 1000]

On a fresh SQLite file, for each size: the seconds and queries of
``staff.services.worker_reassign_orders`` (batched UPDATEs and history INSERTs)
and of the naive alternative (``orders.services.order_update`` once per order), and the
ratio between them. The service's query count grows only with the number of batches (the database's limit
on parameters per statement), not with one query per order.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(fn):
    from django.db import connection

    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        fn()
        seconds = time.perf_counter() - started
    return seconds, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    os.environ.update({"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp.name}/bench.sqlite3"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corpnet.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)

    from corpnet.testing import make_client, make_order, make_post, make_worker
    from orders.models import Order
    from orders.services import order_update
    from staff.services import worker_reassign_orders

    post, client = make_post("Bench"), make_client()
    print(f"{'orders':>7}{'service s':>11}{'queries':>9}{'loop s':>9}{'queries':>9}{'loop/service':>14}")
    for n in args.orders:
        a, b, c = (make_worker(post=post) for _ in range(3))
        for _ in range(n):
            make_order(executor=a, client=client)
            make_order(executor=b, client=client)
        service_s, service_q = measure(lambda a=a, c=c: worker_reassign_orders(worker=a, to=c))

        def loop(b=b, c=c):
            for order in Order.objects.filter(executor=b).active():
                order_update(order=order, data={"executor": c})

        loop_s, loop_q = measure(loop)
        print(f"{n:>7}{service_s:>11.3f}{service_q:>9}{loop_s:>9.3f}{loop_q:>9}{loop_s / service_s:>13.1f}x")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
