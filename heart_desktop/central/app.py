"""The central office's HTTP API (FastAPI): health, enrolment, push, pull and files under ``/api/v1``.

Every request but the health check and enrolment carries the device token in a header, checked
(with the body size limits) by the gate (``central/gate.py``) before any of the body is read.
Every error is a 4xx (or, for a fault of the office's own, a 500) with ``{"error": code,
"message": what to do}``; FastAPI's own 404, 405 and 422 answers are given that shape too, and
each route's OpenAPI lists every status it returns. A revoked device gets 410 with
``{"error": "revoked"}``, on which the laptop locks and wipes its store. The interactive API docs
(``/api/v1/docs``, ``/api/v1/redoc``) are served only when asked for; the OpenAPI JSON always is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from heart_desktop import __version__
from heart_desktop.central import audit, measures, privacy
from heart_desktop.central.db import CentralDatabase
from heart_desktop.central.files import Files, chunk_checksum
from heart_desktop.central.gate import Gate, clean, error_body
from heart_desktop.central.housekeeping import prune
from heart_desktop.central.service import CentralService, Device, ServiceError
from heart_desktop.central.settings import OfficeSettings
from heart_desktop.sync.protocol import API, MAX_BATCH, PROTOCOL_VERSION, TOKEN_HEADER
from heart_desktop.sync.protocol.audit import AuditAnswer, AuditPush

BIGINT = 2**63 - 1  # the database's integers: a larger offset or cursor is refused, not a 500


def _sha256() -> Any:
    return Path(pattern=r"^[0-9a-f]{64}$", description="the file's SHA-256, 64 lowercase hex digits")



class ErrorBody(BaseModel):
    error: str = Field(description="a code, e.g. bad_token")
    message: str = Field(description="what went wrong and what to do")


class EnrolBody(BaseModel):
    code: str = Field("", max_length=200, description="the one-time code printed by heart-central enrol-code")
    device_name: str = Field("laptop", max_length=200, description="how the office's device list names the laptop")


class PushBody(BaseModel):
    """A batch from a laptop's journal; each change is checked by the service, one by one."""

    key: str = Field(min_length=1, max_length=200, description="the batch's idempotency key")
    device_seq: int = Field(ge=1, le=BIGINT, strict=True, description="this device's batch number, 1 up")
    changes: list[dict[str, Any]] = Field(max_length=MAX_BATCH, description="the changes, oldest first")


class SubjectAccessBody(BaseModel):
    """A manager's subject access request from the app (``central.privacy.manager_export``)."""

    name: str = Field(min_length=1, max_length=200, description="the person's full name, as the case records it")
    date_of_birth: str | None = Field(None, pattern=r"^\d{4}-\d\d-\d\d$", description="YYYY-MM-DD, if known")
    reason: str = Field(min_length=1, max_length=500, description="why: the request's date and reference")


_MEANING = {400: "Malformed request", 401: "No valid device token", 403: "Refused", 404: "Not found (or not yours)",
            409: "Conflicts with the state at the office", 410: "This device has been revoked",
            413: "Request too large", 422: "Invalid parameters or body, or a file that does not match its SHA-256",
            429: "Too many failed attempts", 460: "A chunk that does not match its Upload-Checksum"}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses (every route may also answer 413)."""
    return {status: {"model": ErrorBody, "description": _MEANING[status]} for status in sorted({*statuses, 413})}


AUTHED = (401, 410)


def _json(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(code, message), status_code=status, media_type="application/json", headers=headers)


token_header = APIKeyHeader(name=TOKEN_HEADER, auto_error=False, description="the token from enrolment")


def device(request: Request, _token: Annotated[str | None, Security(token_header)] = None) -> Device:
    """The device the gate authenticated (before the body was read)."""
    found = getattr(request.state, "device", None)
    if found is None:
        raise ServiceError(401, "no_token", "this device is not enrolled")
    return found


Authed = Annotated[Device, Depends(device)]


def create_app(db_url: str, settings: OfficeSettings | None = None) -> FastAPI:
    settings = settings or OfficeSettings()
    database = CentralDatabase(db_url)
    service = CentralService(database, settings)
    files = Files(database, settings)
    prune(database, settings)  # on start; then every prune_every_minutes, from the gate

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.close()  # the idle connections go back to PostgreSQL when the server stops

    app = FastAPI(title="HEART central office", version=__version__, openapi_url=f"{API}/openapi.json",
                  lifespan=lifespan,
                  docs_url=f"{API}/docs" if settings.docs else None,
                  redoc_url=f"{API}/redoc" if settings.docs else None)
    app.state.service = service
    def housekeeping() -> None:
        prune(database, settings)
        measures.refresh(database)  # hourly too, so a report has little to catch up

    app.add_middleware(Gate, service=service, settings=settings, prune=housekeeping)

    @app.exception_handler(ServiceError)
    async def refused(request: Request, exc: ServiceError) -> Response:
        retry = {"Retry-After": str(int(settings.throttle_window_minutes * 60))} if exc.status == 429 else None
        return _json(exc.status, exc.code, str(exc), retry)

    @app.exception_handler(audit.AuditRefused)
    async def audit_refused(request: Request, exc: audit.AuditRefused) -> Response:
        return _json(exc.status, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # the reason names where and what, never echoes the input (which may not even be UTF-8)
        reasons = "; ".join(f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', 'invalid')}"
                            for error in exc.errors())
        return _json(422, "invalid_request", clean(reasons)[:1000] or "the request is not valid")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        return _json(exc.status_code, code, f"{exc.detail}: see {API}/openapi.json for the API",
                     dict(exc.headers) if exc.headers else None)

    @app.get(f"{API}/", responses=errors())
    def health() -> dict[str, Any]:
        return {"service": "heart-central", "version": __version__, "protocol": PROTOCOL_VERSION, "status": "ok"}

    @app.post(f"{API}/enrol", responses=errors(400, 403, 422, 429))
    def enrol(request: Request, body: EnrolBody) -> dict[str, Any]:
        address = request.client.host if request.client else "unknown"
        return service.enrol(body.code, body.device_name, address)

    @app.post(f"{API}/push", responses=errors(*AUTHED, 400, 403, 409, 422))
    def push(found: Authed, batch: PushBody) -> dict[str, Any]:
        # the changes as parsed (PushBody checked their shape without copying them); text that
        # cannot be stored (a lone surrogate), in the key or any change, is refused by the service
        return service.push(found, {"key": batch.key, "device_seq": batch.device_seq, "changes": batch.changes})

    @app.post(f"{API}/audit", responses=errors(*AUTHED, 400, 403, 409, 422))
    def audit_push(found: Authed, run: AuditPush) -> AuditAnswer:
        """A run of this laptop's audit entries, oldest first, checked against the chain the office
        holds (central/audit.py); the answer names the newest entry held, to check the laptop's trail."""
        entries = [entry.model_dump() for entry in run.entries]
        return AuditAnswer.model_validate(audit.receive(database, found, entries))

    @app.get(f"{API}/audit/cases/{{case_id}}", responses=errors(*AUTHED, 403, 404, 422))
    def audit_case(found: Authed, case_id: Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{8,64}$")]) -> dict[str, Any]:
        """Who viewed, changed, printed or exported a case, on every laptop and at the office, newest
        first (managers only; a case of their councils)."""
        return audit.case_history(database, found, case_id)

    @app.post(f"{API}/subject-access", responses={
        200: {"description": "The subject access ZIP (index.html, data.json, files/)",
              "content": {"application/zip": {}}}, **errors(*AUTHED, 400, 403, 404, 409, 422)},
        response_class=Response)
    def subject_access(found: Authed, body: SubjectAccessBody) -> Response:
        """The ZIP ``heart-central subject-access`` makes, for a manager, of the councils they cover;
        recorded in the office's audit with who and the reason."""
        data, summary = privacy.manager_export(database, found, body.name, body.date_of_birth, body.reason)
        return Response(data, media_type="application/zip", headers={
            "X-Heart-Cases": str(len(summary["cases"])), "X-Heart-Audit-Seq": str(summary["audit_seq"]),
            "Content-Disposition": 'attachment; filename="subject-access.zip"'})

    @app.get(f"{API}/pull", responses=errors(*AUTHED, 422))
    def pull(found: Authed, after: Annotated[int, Query(ge=0, le=BIGINT)] = 0,
             limit: Annotated[int, Query(ge=1, le=BIGINT)] = 500) -> dict[str, Any]:
        return service.pull(found, after, limit)  # cut at settings.max_page_bytes (central.scope)

    upload_headers = {"Upload-Offset": {"schema": {"type": "integer"}}, "Tus-Resumable": {"schema": {"type": "string"}}}

    @app.post(f"{API}/files/{{sha256}}", status_code=201, responses={
        200: {"description": "Already at the office (and yours to read)", "headers": upload_headers},
        201: {"description": "Upload started or resumed: send from Upload-Offset", "headers": upload_headers},
        **errors(*AUTHED, 400, 422)}, response_class=Response)
    def create_upload(found: Authed, sha256: Annotated[str, _sha256()],
                      upload_length: Annotated[int, Header(alias="Upload-Length", ge=1, le=BIGINT)]) -> Response:
        upload = files.create(found, sha256, upload_length)
        return Response(status_code=200 if upload.complete else 201,
                        headers={"Upload-Offset": str(upload.offset), "Location": f"{API}/files/{sha256}",
                                 "Tus-Resumable": "1.0.0"})

    @app.head(f"{API}/files/{{sha256}}", responses={
        200: {"description": "Where this device's upload stands"}, **errors(*AUTHED, 400, 404, 422)},
        response_class=Response)
    def upload_offset(found: Authed, sha256: Annotated[str, _sha256()]) -> Response:
        upload = files.offset(found, sha256)
        return Response(headers={"Upload-Offset": str(upload.offset), "Upload-Length": str(upload.length),
                                 "Tus-Resumable": "1.0.0", "X-Upload-Complete": "1" if upload.complete else "0"})

    @app.patch(f"{API}/files/{{sha256}}", status_code=204, responses={
        204: {"description": "Chunk stored: the upload now stands at Upload-Offset", "headers": upload_headers},
        **errors(*AUTHED, 400, 404, 409, 422, 460)}, openapi_extra={"requestBody": {"required": True, "content": {
            "application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
        response_class=Response)
    async def upload_chunk(request: Request, found: Authed, sha256: Annotated[str, _sha256()],
                           upload_offset: Annotated[int, Header(alias="Upload-Offset", ge=0, le=BIGINT)],
                           upload_checksum: Annotated[str | None, Header(alias="Upload-Checksum")] = None) -> Response:
        checksum = chunk_checksum(upload_checksum)
        data = bytearray()
        async for part in request.stream():  # counted against the chunk limit by the gate as it arrives
            data += part
        offset = await run_in_threadpool(files.append, found, sha256, upload_offset, bytes(data), checksum)
        return Response(status_code=204, headers={"Upload-Offset": str(offset), "Tus-Resumable": "1.0.0"})

    @app.get(f"{API}/files/{{sha256}}", responses={
        200: {"description": "The file's bytes", "content": {"application/octet-stream": {}}},
        **errors(*AUTHED, 400, 404, 422)}, response_class=Response)
    def download(found: Authed, sha256: Annotated[str, _sha256()]) -> Response:
        return Response(content=files.read(found, sha256), media_type="application/octet-stream")

    @app.get(f"{API}/submissions/{{submission_id}}", responses=errors(*AUTHED, 404))
    def submission(found: Authed, submission_id: str) -> dict[str, Any]:
        return service.submission(found, submission_id)

    @app.get(f"{API}/roster", responses=errors(*AUTHED))
    def roster(found: Authed) -> dict[str, Any]:
        """The officers sharing a council with this laptop's officer (name, role, team, councils)."""
        return {"officers": service.roster(found)}

    @app.get(f"{API}/digest", responses=errors(*AUTHED))
    def digest(found: Authed) -> dict[str, Any]:
        return service.digest(found)

    @app.get(f"{API}/measures", responses=errors(*AUTHED, 403, 422))
    def partnership_measures(found: Authed, quarter: Annotated[str | None, Query(max_length=20)] = None,
                             start: Annotated[str | None, Query(alias="from", max_length=10)] = None,
                             end: Annotated[str | None, Query(alias="to", max_length=10)] = None,
                             council: Annotated[list[str] | None, Query(max_length=10)] = None) -> dict[str, Any]:
        """The partnership measures for a quarter (managers only; their councils; aggregates only)."""
        return measures.for_device(database, found.role, found.councils, quarter, start, end, council)

    @app.get(f"{API}/measures/cases", responses=errors(*AUTHED, 403, 422))
    def measure_cases(found: Authed, measure: Annotated[str, Query(max_length=20)],
                      quarter: Annotated[str | None, Query(max_length=20)] = None,
                      start: Annotated[str | None, Query(alias="from", max_length=10)] = None,
                      end: Annotated[str | None, Query(alias="to", max_length=10)] = None,
                      council: Annotated[list[str] | None, Query(max_length=10)] = None,
                      adaptation_type: Annotated[str | None, Query(alias="type", max_length=40)] = None,
                      ) -> dict[str, Any]:
        """The references of the cases a measure counts (managers only; their councils only)."""
        return measures.cases_for_device(database, found.role, found.councils, measure, quarter, start, end, council,
                                         adaptation_type)

    return app
