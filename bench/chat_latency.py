"""Benchmark of the live chat: how many concurrent chats one web process carries, and the latency
of a message from the customer's socket to the agent's.

    .venv/bin/python bench/chat_latency.py [--chats 500] [--per-minute 5] [--seconds 60]

By default on a SQLite database in a temporary folder (nothing to set up); with DATABASE_URL on
that PostgreSQL database (one of its own: rows are added), with CHANNEL_LAYER_URL on that Redis.
It migrates, creates a chat desk whose hours never close, one agent (limit raised to the number of
chats), `--chats` customer contacts and one chat each, accepted by the agent, and a signed-in
session per person. Then it starts ONE web process as deployed serves it (uvicorn with the ASGI
application, `helpdesk.asgi:application`), opens two WebSockets per chat (the customer's and the
agent's: 2 x `--chats` sockets) from this process, and lets every customer send `--per-minute`
messages a minute (evenly spread, random phase) for `--seconds`. The latency of a message is
from just before the customer's socket sends it to when the agent's socket receives it: stored
in the database, pushed through the channel layer, checked against the gate for the agent and
rendered. At the end it waits 10 s and counts messages that never arrived (there must be none)
and reads the server's CPU time. Target: 500 chats at 5 messages a minute each, p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _prepare(chats: int) -> tuple[list[tuple[str, str]], str]:
    """Migrate and create the desk, the agent, the customers and their chats; returns
    [(chat public id, customer's session cookie)] and the agent's session cookie."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Organisation, Role, User
    from chat import services
    from chat.models import Chat, ChatDesk, ChatStatus
    from sla import services as sla_services
    from sla.models import Calendar

    call_command("migrate", verbosity=0)
    now = timezone.now()
    calendar = Calendar.objects.filter(slug="bench-chat").first() or sla_services.calendar_create(
        slug="bench-chat", name="Bench chat", time_zone="Europe/Berlin", holiday_country="",
        hours={day: [(0, 1440)] for day in range(7)},
    )
    desk, _ = ChatDesk.objects.update_or_create(
        slug="bench-chat", defaults={"name": "Bench chat", "calendar": calendar, "max_chats_per_agent": chats + 1}
    )
    ChatDesk.objects.exclude(pk=desk.pk).update(is_active=False)
    Chat.objects.filter(desk=desk).exclude(status=ChatStatus.CLOSED).update(status=ChatStatus.CLOSED)  # earlier runs
    vendor, _ = Organisation.objects.get_or_create(
        customer_number="B00000", defaults={"name": "Bench Vendor", "kind": Organisation.Kind.VENDOR, "country": "DE"}
    )
    customer_org, _ = Organisation.objects.get_or_create(
        customer_number="B00001", defaults={"name": "Bench Kunde GmbH", "kind": Organisation.Kind.CUSTOMER,
                                            "country": "DE"}
    )
    agent, _ = User.objects.get_or_create(username="bench-chat-agent",
                                          defaults={"organisation": vendor, "role": Role.AGENT})
    services.availability_set(agent=agent, status="available", now=now)

    def cookie(user) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        return f"sessionid={session.session_key}"

    pairs = []
    for number in range(chats):
        customer, _ = User.objects.get_or_create(
            username=f"bench-chat-{number}", defaults={"organisation": customer_org, "role": Role.CONTACT}
        )
        chat = services.chat_start(desk=desk, customer=customer, body="Hallo", now=timezone.now())
        services.chat_accept(chat=chat, agent=agent, now=timezone.now())
        pairs.append((str(chat.public_id), cookie(customer)))
    return pairs, cookie(agent)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _run(port: int, pairs, agent_cookie: str, per_minute: float, seconds: float) -> dict:
    import websockets

    sent: dict[str, float] = {}
    latencies: list[float] = []
    origin = f"http://127.0.0.1:{port}"
    opening = asyncio.Semaphore(20)  # sockets opened at once: the handshakes are not what is measured
    state = {"open": 0, "stop": 0.0}
    connected = asyncio.Event()

    async def open_socket(public_id: str, cookie: str):
        url = f"ws://127.0.0.1:{port}/ws/chat/{public_id}/?after=1000000000"
        async with opening:
            return await websockets.connect(url, origin=origin, additional_headers={"Cookie": cookie},
                                            max_queue=None, open_timeout=300, ping_interval=None)

    async def agent_socket(public_id: str):
        async with await open_socket(public_id, agent_cookie) as ws:
            state["open"] += 1
            async for raw in ws:
                data = json.loads(raw)
                started = sent.pop(data.get("client_id") or "", None)
                if started is not None and data.get("sender") == "customer":
                    latencies.append(time.perf_counter() - started)

    async def customer_socket(public_id: str, cookie: str):
        interval = 60.0 / per_minute
        async with await open_socket(public_id, cookie) as ws:
            state["open"] += 1
            drain = asyncio.create_task(_drain(ws))
            await connected.wait()  # every socket open: the measured period starts for all at once
            await asyncio.sleep(random.uniform(0, interval))
            number = 0
            while time.perf_counter() < state["stop"]:
                number += 1
                client_id = f"{public_id[:8]}-{number}"
                sent[client_id] = time.perf_counter()
                await ws.send(json.dumps({"type": "message", "text": f"Nachricht {number}", "client_id": client_id}))
                await asyncio.sleep(interval)
            drain.cancel()

    agents = [asyncio.create_task(agent_socket(public_id)) for public_id, _cookie in pairs]
    customers = [asyncio.create_task(customer_socket(public_id, cookie)) for public_id, cookie in pairs]
    opened_at = time.perf_counter()
    while state["open"] < 2 * len(pairs):
        for task in agents + customers:
            if task.done() and task.exception() is not None:
                raise task.exception()
        await asyncio.sleep(0.2)
    print(f"{2 * len(pairs)} sockets open after {time.perf_counter() - opened_at:.0f} s", flush=True)
    state["stop"] = time.perf_counter() + seconds
    connected.set()
    await asyncio.gather(*customers)
    await asyncio.sleep(10)  # let the last ones arrive
    for task in agents:
        task.cancel()
    return {"latencies": latencies, "lost": len(sent)}


async def _drain(ws):
    async for _raw in ws:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--per-minute", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        env["HELPDESK_VAR_DIR"] = os.environ["HELPDESK_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-chat-")
    env.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    env["LOG_LEVEL"] = "WARNING"
    print(f"preparing {args.chats} chats ...", flush=True)
    pairs, agent_cookie = _prepare(args.chats)
    port = _free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "uvicorn"), "helpdesk.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--ws", "websockets-sansio", "--log-level", "warning", "--lifespan", "off"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        _wait_for(port)
        cpu_before = _cpu_seconds(server.pid)
        wall = time.perf_counter()
        result = asyncio.run(_run(port, pairs, agent_cookie, args.per_minute, args.seconds))
        wall = time.perf_counter() - wall
        cpu = _cpu_seconds(server.pid) - cpu_before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    latencies = sorted(result["latencies"])
    if not latencies:
        print("no message arrived")
        sys.exit(1)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    print(f"{args.chats} chats, {2 * args.chats} sockets, {args.per_minute:g} messages/min each, {args.seconds:g} s")
    print(f"delivered {len(latencies)} messages ({len(latencies) / args.seconds:.1f}/s), lost {result['lost']}")
    print(f"latency median {statistics.median(latencies) * 1000:.1f} ms, p95 {pct(0.95):.1f} ms, "
          f"p99 {pct(0.99):.1f} ms, max {latencies[-1] * 1000:.1f} ms")
    print(f"server CPU {cpu:.1f} s over {wall:.0f} s wall ({100 * cpu / wall:.0f} % of one core)")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the web process did not come up within 60 s")


if __name__ == "__main__":
    main()
