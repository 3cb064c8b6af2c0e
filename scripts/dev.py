#!/usr/bin/env python3
"""Start corpnet for development: the web server and its background processes, together.

    python scripts/dev.py [--host 127.0.0.1] [--port 8000]

Runs, until Ctrl-C stops them all:
  - the intranet (Django's development server) on http://HOST:PORT
  - the background task worker (``manage.py db_worker``), which sends mailings
  - ``manage.py demo_prices --every 60``, which keeps the demo crypto prices fresh
  - a local SMTP sink (``manage.py mailing_sink``) on EMAIL_HOST:EMAIL_PORT (127.0.0.1:8025)
    that keeps every message in var/mail; read them at /mailing/outbox/ (DEBUG only)
Any process that dies takes the others down, so a broken setup is noticed at once.
The sink's port is EMAIL_PORT if set, else 8025, else (another copy runs) a free port; it
starts first, and the web server and the worker are told the port it really listens on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_USERS = ("admin", "hr", "manager", "employee")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def processes(host: str, port: int) -> dict[str, list[str]]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    commands = {
        "web": [*manage, "runserver", f"{host}:{port}"],
        "worker": [*manage, "db_worker"],
        # Demo prices stay fresh: agreeing quotes from demo-a and demo-b every minute.
        "prices": [*manage, "demo_prices", "--every", "60"],
    }
    # The sink stands in for a mail server only when the settings point at this machine;
    # with EMAIL_HOST set to the corporate server, mail goes there instead.
    if os.environ.get("EMAIL_HOST", "127.0.0.1") in LOOPBACK:
        commands["smtp"] = [*manage, "mailing_sink"]
    return commands


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sink_port(env: dict[str, str], preferred: int = 8025) -> int:
    """EMAIL_PORT when given; otherwise the usual 8025, or a free port the system picks."""
    if env.get("EMAIL_PORT"):
        return int(env["EMAIL_PORT"])
    return preferred if port_is_free("127.0.0.1", preferred) else free_port()


def start_sink(env: dict[str, str], explicit: bool) -> subprocess.Popen:
    """Start the SMTP sink and return once it listens. When another copy took the port between
    the check and the start (two `make run` at once), try again on a free port."""
    command = [sys.executable, str(ROOT / "manage.py"), "mailing_sink"]
    for _ in range(5):
        proc = subprocess.Popen(
            [*command, "--port", env["EMAIL_PORT"]], cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE
        )
        for line in proc.stdout:  # ends when the sink exits
            sys.stdout.buffer.write(line)
            if line.startswith(b"SMTP sink on"):
                threading.Thread(target=shutil.copyfileobj, args=(proc.stdout, sys.stdout.buffer), daemon=True).start()
                return proc
        proc.wait()
        if explicit:
            break
        env["EMAIL_PORT"] = str(free_port())
    raise SystemExit(f"dev: the SMTP sink could not listen on 127.0.0.1:{env['EMAIL_PORT']}")


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()

    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1"), "PYTHONUNBUFFERED": "1"}
    if not port_is_free(args.host, args.port):
        print(
            f"dev: {args.host}:{args.port} is taken; choose another, e.g. PORT={args.port + 1} make run",
            file=sys.stderr,
        )
        return 1
    running: dict[str, subprocess.Popen] = {}
    mail_line = f"Mail goes to {env.get('EMAIL_HOST')}:{env.get('EMAIL_PORT', 25)}."
    commands = processes(args.host, args.port)
    # The sink starts first, so that the web server and the worker get the port it listens on.
    if commands.pop("smtp", None):
        explicit = bool(env.get("EMAIL_PORT"))
        env["EMAIL_PORT"] = str(sink_port(env))
        running["smtp"] = start_sink(env, explicit)
        mail_line = f"SMTP sink on 127.0.0.1:{env['EMAIL_PORT']} (EMAIL_PORT=); mail is kept in var/mail."
    # Mailings whose worker died with the last run (Ctrl-C twice, a crash) continue now.
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "mailing_recover"], cwd=ROOT, env=env, check=False)
    for name, cmd in commands.items():
        # Each in its own process group: Django's autoreloader runs the real server or worker
        # as a child, and stopping must reach that child too, not only the reloader.
        running[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)

    print(
        f"\ncorpnet is starting at http://{args.host}:{args.port}/ (HOST= and PORT= change it)\n"
        f"{mail_line}\n"
        f"Demo logins (password: corpnet-demo): {', '.join(DEMO_USERS)}\n"
        "Press Ctrl-C to stop.\n",
        flush=True,
    )

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for name, proc in running.items():
            if proc.poll() is not None:
                print(f"dev: {name} exited with {proc.returncode}; stopping the rest.", file=sys.stderr)
                code = proc.returncode or 1
                stopping = True
                break
        time.sleep(0.3)
    for proc in running.values():
        _signal_group(proc, signal.SIGTERM)
    for proc in running.values():
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
    return code


if __name__ == "__main__":
    sys.exit(main())
