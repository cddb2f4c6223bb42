"""A local stand-in for an LLM server, so the real client libraries (langchain-openai,
langchain-ollama) can be driven end to end without the network or a model.

It answers the two wire formats the product talks to: an OpenAI-compatible
`POST /v1/chat/completions` and Ollama's `POST /api/chat` (streamed as JSON lines). Each
request takes the next scripted reply; the request bodies and headers are kept for the test
to read.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Stub:
    replies: list[str]
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def next_reply(self) -> str:
        return self.replies.pop(0) if self.replies else "NO_ANSWER: 脚本中没有更多回复"


def _handler(stub: Stub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            stub.requests.append(body)
            stub.headers.append(dict(self.headers))
            if self.path.endswith("/chat/completions"):
                self._send("application/json", json.dumps(_openai_reply(body, stub.next_reply())))
            elif self.path == "/api/chat":
                lines = _ollama_reply(body, stub.next_reply())
                self._send("application/x-ndjson", "\n".join(json.dumps(line) for line in lines) + "\n")
            else:
                self.send_error(404)

        def _send(self, kind: str, text: str) -> None:
            data = text.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _openai_reply(body: dict[str, Any], content: str) -> dict[str, Any]:
    return {"id": "chatcmpl-stub", "object": "chat.completion", "created": 0, "model": body.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def _ollama_reply(body: dict[str, Any], content: str) -> list[dict[str, Any]]:
    model = body.get("model", "")
    return [{"model": model, "created_at": "2026-01-01T00:00:00Z",
             "message": {"role": "assistant", "content": content}, "done": False},
            {"model": model, "created_at": "2026-01-01T00:00:00Z", "message": {"role": "assistant", "content": ""},
             "done": True, "done_reason": "stop", "total_duration": 1, "eval_count": 1, "prompt_eval_count": 1}]


@contextmanager
def serving(*replies: str) -> Iterator[Stub]:
    """A server on 127.0.0.1 (a free port) for the duration of the block."""
    stub = Stub(list(replies))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
