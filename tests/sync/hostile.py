"""A device that speaks the sync protocol by hand, to send the office what no laptop of ours would."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from sync_server import Server

from heart_desktop.sync.protocol import API, TOKEN_HEADER

HLC = "2026-11-23T10:00:00.000Z-0000-hostile"


class Device:
    """A device that speaks the protocol by hand, to send what no laptop of ours would."""

    def __init__(self, server: Server, officer: str, councils: tuple[str, ...], role: str = "HAO") -> None:
        server.service.add_officer(officer, role, list(councils))
        code = server.service.enrol_code(officer)
        answer = httpx.post(f"{server.url}{API}/enrol", json={"code": code, "device_name": "by hand"}).json()
        self.url, self.token, self.seq = server.url, answer["token"], 0

    def send(self, *changes: Any) -> httpx.Response:
        """Push a batch as it is; the sequence moves on only when the office took the batch."""
        body = {"key": uuid.uuid4().hex, "device_seq": self.seq + 1, "changes": list(changes)}
        response = httpx.post(f"{self.url}{API}/push", content=json.dumps(body).encode(),  # escapes surrogates
                              headers={TOKEN_HEADER: self.token, "Content-Type": "application/json"})
        if response.status_code == 200:
            self.seq += 1
        return response

    def push(self, *changes: Any) -> dict[str, Any]:
        response = self.send(*changes)
        assert response.status_code == 200, response.text
        return dict(response.json())


def change(entity: str, fields: dict[str, Any], row_id: str | None = None, op: str = "insert", base_rev: int = 0,
           officer: str = "") -> dict[str, Any]:
    return {"entity": entity, "id": row_id or str(uuid.uuid4()), "op": op, "base_rev": base_rev,
            "rev": base_rev + 1, "hlc": HLC, "officer": officer, "fields": fields}
