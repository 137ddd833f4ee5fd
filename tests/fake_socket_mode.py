"""A fake Slack Socket Mode endpoint: the WebSocket `ladder socket` connects to, which sends it
envelopes as Slack does and collects its acknowledgements."""

from __future__ import annotations

import json
import queue
import threading
import uuid
from typing import Any, Iterator

import pytest
from websockets.sync.server import ServerConnection, serve


class FakeSocketMode:
    def __init__(self) -> None:
        self._server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._connections: queue.Queue[ServerConnection] = queue.Queue()
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link"

    def start(self) -> "FakeSocketMode":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def _session(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0LADDER"}}))
        self._connections.put(connection)
        for message in connection:
            self.received.put(json.loads(message))

    def wait_connected(self, timeout: float = 20.0) -> ServerConnection:
        connection = self._connections.get(timeout=timeout)
        self._connections.put(connection)
        return connection

    def send(self, kind: str, payload: dict[str, Any]) -> str:
        """Send an envelope; returns its id, which the app's acknowledgement must carry."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        self.wait_connected().send(json.dumps(envelope))
        return envelope_id

    def ack_for(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        while True:
            message = self.received.get(timeout=timeout)
            if message.get("envelope_id") == envelope_id:
                return message


@pytest.fixture
def fake_socket_mode() -> Iterator[FakeSocketMode]:
    fake = FakeSocketMode().start()
    yield fake
    fake.stop()
