"""The central office's HTTP API (FastAPI): health, enrolment, push and pull under ``/api/v1``.

Every request but the health check and enrolment carries the device token in a header; every
request but the health check is logged with its device and status (one middleware). A revoked
device gets 410 with ``{"error": "revoked"}``, on which the laptop locks and wipes its store.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from heart_desktop import __version__
from heart_desktop.central.db import CentralDatabase
from heart_desktop.central.files import Files
from heart_desktop.central.service import CentralService, Device, ServiceError
from heart_desktop.sync.protocol import API, PROTOCOL_VERSION, TOKEN_HEADER


def create_app(db_url: str) -> FastAPI:
    database = CentralDatabase(db_url)
    service = CentralService(database)
    files = Files(database)
    app = FastAPI(title="HEART central office", version=__version__, openapi_url=f"{API}/openapi.json",
                  docs_url=f"{API}/docs")
    app.state.service = service

    @app.middleware("http")
    async def log_request(request: Request, call_next: Any) -> Any:
        """Every request but the health check is logged with its device (none before it is known)
        and the status it got, refusals included."""
        response = await call_next(request)
        if request.url.path != f"{API}/":
            await run_in_threadpool(service.log, getattr(request.state, "device_id", None), request.method,
                                    request.url.path, response.status_code)
        return response

    @app.exception_handler(ServiceError)
    async def refused(request: Request, exc: ServiceError) -> JSONResponse:
        return JSONResponse({"error": exc.code, "message": str(exc)}, status_code=exc.status)

    def device(request: Request, token: str | None) -> Device:
        found = service.authenticate(token)
        request.state.device_id = found.id
        return found

    @app.get(f"{API}/")
    def health() -> dict[str, Any]:
        return {"service": "heart-central", "version": __version__, "protocol": PROTOCOL_VERSION, "status": "ok"}

    @app.post(f"{API}/enrol")
    def enrol(body: dict[str, Any]) -> dict[str, Any]:
        return service.enrol(str(body.get("code") or ""), str(body.get("device_name") or "laptop"))

    @app.post(f"{API}/push")
    def push(request: Request, body: dict[str, Any],
             token: str | None = Header(default=None, alias=TOKEN_HEADER)) -> dict[str, Any]:
        return service.push(device(request, token), body)

    @app.get(f"{API}/pull")
    def pull(request: Request, after: int = 0, limit: int = 500,
             token: str | None = Header(default=None, alias=TOKEN_HEADER)) -> dict[str, Any]:
        return service.pull(device(request, token), after, limit)

    @app.post(f"{API}/files/{{sha256}}")
    def create_upload(request: Request, sha256: str, upload_length: int = Header(alias="Upload-Length"),
                      token: str | None = Header(default=None, alias=TOKEN_HEADER)) -> Response:
        device(request, token)
        complete, offset = files.create(sha256, upload_length)
        return Response(status_code=200 if complete else 201,
                        headers={"Upload-Offset": str(offset), "Location": f"{API}/files/{sha256}",
                                 "Tus-Resumable": "1.0.0"})

    @app.head(f"{API}/files/{{sha256}}")
    def upload_offset(request: Request, sha256: str,
                      token: str | None = Header(default=None, alias=TOKEN_HEADER)) -> Response:
        device(request, token)
        complete, offset, length = files.offset(sha256)
        return Response(headers={"Upload-Offset": str(offset), "Upload-Length": str(length),
                                 "Tus-Resumable": "1.0.0", "X-Upload-Complete": "1" if complete else "0"})

    @app.patch(f"{API}/files/{{sha256}}")
    async def upload_chunk(request: Request, sha256: str, upload_offset: int = Header(alias="Upload-Offset"),
                           token: str | None = Header(default=None, alias=TOKEN_HEADER)) -> Response:
        # the body is read here; the database work goes to a worker thread, off the event loop
        body = await request.body()
        await run_in_threadpool(device, request, token)
        offset = await run_in_threadpool(files.append, sha256, upload_offset, body)
        return Response(status_code=204, headers={"Upload-Offset": str(offset), "Tus-Resumable": "1.0.0"})

    @app.get(f"{API}/files/{{sha256}}")
    def download(request: Request, sha256: str,
                 token: str | None = Header(default=None, alias=TOKEN_HEADER)) -> Response:
        data = files.read(device(request, token), sha256)
        return Response(content=data, media_type="application/octet-stream")

    @app.get(f"{API}/submissions/{{submission_id}}")
    def submission(request: Request, submission_id: str,
                   token: str | None = Header(default=None, alias=TOKEN_HEADER)) -> dict[str, Any]:
        return service.submission(device(request, token), submission_id)

    @app.get(f"{API}/digest")
    def digest(request: Request, token: str | None = Header(default=None, alias=TOKEN_HEADER)) -> dict[str, Any]:
        return service.digest(device(request, token))

    return app
