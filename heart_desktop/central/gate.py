"""What every request to the office passes before the API sees it (one ASGI middleware).

In this order, and before any of the body is read: the device token is checked (a request
without a valid one gets 401 however large its body), the declared ``Content-Length`` is held
against the route's limit (413), and the body is then counted as it streams, so a chunked body
with no length is cut off at the limit too. Every request but the health check is logged with
its device, a cut-down path and its final status, including the ones that ended in an error
(a 500 is answered with a JSON reason and logged). Bookkeeping is pruned from here every
``prune_every_minutes``.

A pure ASGI middleware rather than ``@app.middleware("http")``: Starlette's ``BaseHTTPMiddleware``
sees neither the body stream nor an exception that escapes the app (so a 500 went unlogged).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers

from heart_desktop.central.service import CentralService, ServiceError
from heart_desktop.central.settings import OfficeSettings
from heart_desktop.sync.protocol import API, TOKEN_HEADER

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

HEALTH = f"{API}/"
PUBLIC = frozenset({HEALTH, f"{API}/enrol", f"{API}/openapi.json", f"{API}/docs", f"{API}/redoc",
                    f"{API}/docs/oauth2-redirect"})
log = logging.getLogger("heart_desktop.central")


class BodyTooLarge(Exception):
    """The body went past the route's limit while it was being read."""


def clean(text: str) -> str:
    """Text that can be stored and sent as UTF-8 whatever arrived (a lone surrogate becomes '?')."""
    return text.encode("utf-8", "replace").decode("utf-8")


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": code, "message": clean(message)}, ensure_ascii=True).encode()


async def send_error(send: Send, status: int, code: str, message: str,
                     headers: dict[str, str] | None = None) -> None:
    body = error_body(code, message)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def body_limit(method: str, path: str, settings: OfficeSettings) -> int:
    """The most bytes a request to this route may carry."""
    if method == "POST" and path == f"{API}/push":
        return settings.max_batch_bytes
    if method == "POST" and path == f"{API}/audit":
        return settings.max_audit_bytes
    if method == "POST" and path == f"{API}/enrol":
        return settings.max_enrol_bytes
    if method == "PATCH" and path.startswith(f"{API}/files/"):
        return settings.max_chunk_bytes
    return settings.max_other_bytes


def needs_token(path: str) -> bool:
    return path.startswith(f"{API}/") and path not in PUBLIC


class Gate:
    def __init__(self, app: Any, service: CentralService, settings: OfficeSettings,
                 prune: Callable[[], Any]) -> None:
        self.app, self.service, self.settings, self.prune = app, service, settings, prune
        self._last_prune = settings.clock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self._housekeeping()  # before the request, so its answer never races the pruning
        method, path = scope["method"], scope["path"]
        seen: dict[str, Any] = {"status": None, "device": None, "over": False, "replaced": False, "logged": False}

        async def answer(message: Message) -> None:
            if seen["replaced"]:
                return  # the app's own answer to a body cut off at the limit is dropped
            if message["type"] == "http.response.start":
                if seen["over"]:  # the app turned the cut-off into an error of its own: say what it was
                    seen["replaced"], seen["status"] = True, 413
                    await self._too_large(send, limit)
                    return
                seen["status"] = message["status"]
                await self._log(seen["device"], method, path, message["status"])  # before the answer goes, so
                seen["logged"] = True  # the laptop's next request does not race this write
            await send(message)

        limit = body_limit(method, path, self.settings)
        try:
            headers = Headers(scope=scope)
            if needs_token(path):
                try:
                    device = await run_in_threadpool(self.service.authenticate, headers.get(TOKEN_HEADER))
                except ServiceError as exc:
                    await send_error(answer, exc.status, exc.code, str(exc))
                    return
                scope.setdefault("state", {})["device"] = device
                seen["device"] = device.id
            declared = headers.get("content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                await self._too_large(answer, limit)
                return
            received = 0

            async def counted() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        seen["over"] = True
                        raise BodyTooLarge
                return message

            await self.app(scope, counted, answer)
        except BodyTooLarge:
            if seen["status"] is None:
                seen["replaced"], seen["status"] = True, 413
                await self._too_large(send, limit)
        except Exception:
            log.exception("%s %s ended in an error", method, clean(path)[:self.settings.path_chars])
            if seen["status"] is None:
                await send_error(answer, 500, "internal", "the office could not answer this request; the error "
                                                         "is in its log: try again, and tell IT if it persists")
            seen["status"] = seen["status"] or 500
        finally:
            if not seen["logged"]:
                await self._log(seen["device"], method, path, seen["status"] or 500)

    async def _too_large(self, send: Send, limit: int) -> None:
        await send_error(send, 413, "too_large", f"this request may carry at most {limit} bytes; send less at a "
                                                 "time")

    async def _log(self, device_id: str | None, method: str, path: str, status: int) -> None:
        if path == HEALTH:
            return
        try:
            await run_in_threadpool(self.service.log, device_id, clean(method)[:16],
                                    clean(path)[:self.settings.path_chars], status)
        except Exception:  # the log is bookkeeping: a database hiccup here must not fail the answer
            log.exception("the request log could not be written")

    async def _housekeeping(self) -> None:
        now = self.settings.clock()
        if now - self._last_prune < timedelta(minutes=self.settings.prune_every_minutes):
            return
        self._last_prune = now
        try:
            await run_in_threadpool(self.prune)
        except Exception:
            log.exception("pruning the request log and abandoned uploads failed; it is tried again later")
