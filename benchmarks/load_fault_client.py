"""The HTTP side of load_and_fault.py: a browser per account (cookie jar, CSRF token read from the pages),
every request timed and recorded, and `together` to fire conflicting actions at the same moment."""
from __future__ import annotations

import http.client
import http.cookiejar
import re
import secrets
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

HTTP_TIMEOUT = 45  # above gunicorn's 30 s worker timeout: a killed worker shows as a dropped request
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
RETRIABLE = {0, 502, 503, 504}


@dataclass(frozen=True)
class Sample:
    kind: str
    status: int  # 0: no answer (connection refused, reset or timed out)
    started: float  # time.monotonic()
    seconds: float


class Recorder:
    """Every request the users made; list.append is atomic, so threads share one."""

    def __init__(self):
        self.samples: list[Sample] = []

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)


@dataclass
class Response:
    status: int
    body: str
    location: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect is the answer we record; pages are fetched explicitly


class Browser:
    """One signed-in account. Safe to share between threads: the session cookie is only read after sign-in."""

    def __init__(self, base_url: str, recorder: Recorder):
        self.base_url = base_url
        self.recorder = recorder
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf_token = ""

    def send(self, kind: str, method: str, path: str, fields: dict | None = None,
             files: dict | None = None) -> Response:
        """One HTTP request, recorded; form posts carry the session's CSRF token."""
        data, headers = None, {}
        if method == "POST":
            fields = {"csrf_token": self.csrf_token, **(fields or {})}
            data, content_type = _multipart(fields, files) if files else _urlencoded(fields)
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=HTTP_TIMEOUT) as answer:
                response = Response(answer.status, answer.read().decode("utf-8", "replace"),
                                    answer.headers.get("Location", ""))
        except urllib.error.HTTPError as exc:  # 3xx (redirects are not followed), 4xx, 5xx
            response = Response(exc.code, _read_quietly(exc), exc.headers.get("Location", "") if exc.headers else "")
        except (urllib.error.URLError, http.client.HTTPException, socket.timeout, ConnectionError, OSError):
            response = Response(0, "", "")
        self.recorder.add(Sample(kind, response.status, started, time.monotonic() - started))
        self._remember_csrf(response.body)
        return response

    def act(self, kind: str, method: str, path: str, fields: dict | None = None, files: dict | None = None,
            attempts: int = 4) -> Response:
        """`send`, repeated like an impatient user while the server is unavailable (503, no answer)."""
        for attempt in range(attempts):
            response = self.send(kind, method, path, fields, files)
            if response.status not in RETRIABLE:
                return response
            time.sleep(1.0 + attempt)
        return response

    def _remember_csrf(self, body: str) -> None:
        tag = CSRF_INPUT.search(body)
        if tag and (value := VALUE.search(tag.group(0))):
            self.csrf_token = value.group(1)

    def sign_in(self, email: str, password: str) -> bool:
        for attempt in range(5):
            page = self.act("sign_in_page", "GET", "/sign-in")
            if page.status == 200:
                answer = self.act("sign_in", "POST", "/sign-in", {"email": email, "password": password})
                if answer.status in (302, 303) and "sign-in" not in answer.location:
                    self.act("home", "GET", "/")  # a page after sign-in: the session's CSRF token, fresh
                    return True
            time.sleep(1.0 + attempt)
        return False


def _read_quietly(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""


def _pairs(fields: dict) -> list[tuple[str, str]]:
    pairs = []
    for name, value in fields.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((name, str(item)))
    return pairs


def _urlencoded(fields: dict) -> tuple[bytes, str]:
    return urllib.parse.urlencode(_pairs(fields)).encode(), "application/x-www-form-urlencoded"


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """files: name -> (filename, bytes)."""
    boundary = "----expertnet-load-" + secrets.token_hex(12)
    parts = []
    for name, value in _pairs(fields):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f'Content-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def together(*calls):
    """Run the calls in threads released at the same instant (a Barrier); their results, in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(30)
        except threading.BrokenBarrierError:
            pass
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HTTP_TIMEOUT * 4 + 30)  # bounded: act() retries at most 4 times
    return results
