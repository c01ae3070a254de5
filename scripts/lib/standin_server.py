"""The S3 stand-in's HTTP/1.1 side: a hand-written keep-alive parser on asyncio protocols, the
per-request latency, the SlowDown token bucket, the counters and the admin API (/__standin/…).

Used by scripts/s3-standin. Python 3 standard library only. Kept lean on purpose: it must answer
thousands of small requests per second on two cores while the client under test runs beside it.
"""

import asyncio
import json
import time
import urllib.parse

from standin_routes import route
from standin_store import S3Failure, XML_HEAD, xml_escape

REASONS = {100: "Continue", 200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
           404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 411: "Length Required",
           412: "Precondition Failed", 413: "Payload Too Large", 500: "Internal Server Error",
           501: "Not Implemented", 503: "Service Unavailable"}
MAX_HEAD = 64 << 10
MAX_BODY = 256 << 20
MiB = 1 << 20


class Settings:
    """What the admin config call may change at run time."""

    def __init__(self, latency_ms=0.0, part_latency_ms_per_mib=0.0, rate_limit=0.0, burst=0.0, slowdown_next=0.0):
        self.latency_ms = latency_ms
        self.part_latency_ms_per_mib = part_latency_ms_per_mib
        self.rate_limit = rate_limit   # requests/s; 0 = none
        self.burst = burst             # token-bucket depth; 0 = rate_limit / 10 (at least 1)
        self.slowdown_next = slowdown_next  # the next N S3 requests answer SlowDown, whatever the rate

    def as_dict(self):
        return {"latency_ms": self.latency_ms, "part_latency_ms_per_mib": self.part_latency_ms_per_mib,
                "rate_limit": self.rate_limit, "burst": self.burst, "slowdown_next": self.slowdown_next}


class TokenBucket:
    """S3's SlowDown, modelled as a token bucket refilled at `rate` per second, `depth` deep."""

    def __init__(self, rate, depth):
        self.rate, self.depth = rate, depth
        self.tokens, self.last = depth, time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(self.depth, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Stats:
    def __init__(self):
        self.reset(in_flight=0, open_now=0)

    def reset(self, in_flight, open_now):
        self.connections_accepted = 0
        self.connections_opened = 0        # connections that carried at least one S3 request
        self.connections_open = open_now
        self.peak_connections_open = open_now
        self.requests = 0
        self.in_flight = in_flight
        self.peak_in_flight = in_flight
        self.operations = {}
        self.peak_in_flight_by_operation = {}
        self.in_flight_by_operation = {}
        self.statuses = {}
        self.slowdowns = 0
        self.part_copy_bytes = 0
        self.part_latency_seconds = 0.0    # the sum of the latencies UploadPartCopy answers slept
        self.first_request = None
        self.last_response = None

    def as_dict(self):
        span = (self.last_response - self.first_request) if self.first_request and self.last_response else 0.0
        return {"connections_accepted": self.connections_accepted, "connections_opened": self.connections_opened,
                "connections_open": self.connections_open, "peak_connections_open": self.peak_connections_open,
                "requests": self.requests, "in_flight": self.in_flight, "peak_in_flight": self.peak_in_flight,
                "operations": dict(self.operations), "peak_in_flight_by_operation": dict(self.peak_in_flight_by_operation),
                "statuses": {str(k): v for k, v in self.statuses.items()}, "slowdowns": self.slowdowns,
                "part_copy_bytes": self.part_copy_bytes, "part_latency_seconds": round(self.part_latency_seconds, 6),
                "busy_seconds": round(span, 6)}


class Server:
    """Shared state of one stand-in: the store, the settings, the counters."""

    def __init__(self, store, settings):
        self.store, self.settings = store, settings
        self.stats = Stats()
        self.bucket = None
        self.configure({})
        self._request_number = 0
        self._date_second, self._date_text = 0, ""

    def configure(self, changes):
        for name, value in changes.items():
            if name not in self.settings.as_dict():
                raise ValueError("unknown setting %r (known: %s)" % (name, ", ".join(sorted(self.settings.as_dict()))))
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError("setting %r must be a number ≥ 0" % name)
            setattr(self.settings, name, float(value))
        rate = self.settings.rate_limit
        self.bucket = TokenBucket(rate, self.settings.burst or max(1.0, rate / 10)) if rate > 0 else None

    def request_id(self):
        self._request_number += 1
        return "%016X" % self._request_number

    def date(self):
        now = int(time.time())
        if now != self._date_second:
            self._date_second = now
            self._date_text = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now))
        return self._date_text

    # MARK: - admin API

    def admin(self, method, path, query, body):
        """Answers /__standin/<path>: (status, JSON-able value)."""
        try:
            data = json.loads(body) if body else {}
            if method == "GET" and path == "stats":
                return 200, dict(self.stats.as_dict(), settings=self.settings.as_dict())
            if method == "POST" and path == "stats/reset":
                self.stats.reset(self.stats.in_flight, self.stats.connections_open)
                return 200, {"reset": True}
            if method == "POST" and path == "config":
                self.configure(data)
                return 200, self.settings.as_dict()
            if method == "GET" and path == "config":
                return 200, self.settings.as_dict()
            if method == "POST" and path == "seed":
                created = self.store.seed(data["bucket"], prefix=data.get("prefix", ""), count=int(data.get("count", 0)),
                                          size=int(data.get("size", 0)), start=int(data.get("start", 0)),
                                          digits=int(data.get("digits", 6)), keys=data.get("keys"), region=data.get("region"))
                return 200, {"created": created}
            if method == "GET" and path == "count":
                return 200, self.store.count(query.get("bucket", ""), query.get("prefix", ""))
            if method == "GET" and path == "health":
                return 200, {"ok": True}
            return 404, {"error": "no admin call %s /__standin/%s" % (method, path)}
        except S3Failure as failure:
            return failure.status, {"error": failure.message}
        except (ValueError, KeyError, TypeError) as error:
            return 400, {"error": "bad admin request: %s" % error}


class Connection(asyncio.Protocol):
    """One client connection: requests are answered one at a time, in order (HTTP/1.1 keep-alive;
    pipelined requests wait in the buffer until the one before has been answered)."""

    def __init__(self, server):
        self.server = server
        self.transport = None
        self.buffer = bytearray()
        self.busy = False
        self.counted = False
        self.continued = False
        self.closing = False

    def connection_made(self, transport):
        self.transport = transport
        stats = self.server.stats
        stats.connections_accepted += 1

    def connection_lost(self, exc):
        if self.counted:
            self.server.stats.connections_open -= 1
        self.transport = None

    def data_received(self, data):
        self.buffer += data
        if not self.busy:
            self.next_request()

    # MARK: - parsing

    def next_request(self):
        while not self.busy and self.transport is not None and not self.closing:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self.fail_and_close(400, "request head over 64 KiB")
                return
            head = bytes(self.buffer[:end]).decode("latin-1")
            lines = head.split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
                self.fail_and_close(400, "malformed request line")
                return
            method, target, version = parts
            headers = {}
            for line in lines[1:]:
                name, sep, value = line.partition(":")
                if not sep:
                    self.fail_and_close(400, "malformed header line")
                    return
                name = name.strip().lower()
                value = value.strip()
                headers[name] = headers[name] + "," + value if name in headers else value
            start = end + 4
            if "chunked" in headers.get("transfer-encoding", "").lower():
                body, consumed = self.chunked_body(start)
                if body is None:
                    self.maybe_continue(headers)
                    return
            else:
                try:
                    length = int(headers.get("content-length", "0"))
                except ValueError:
                    self.fail_and_close(400, "bad Content-Length")
                    return
                if length > MAX_BODY or length < 0:
                    self.fail_and_close(413, "request body over 256 MiB")
                    return
                if len(self.buffer) - start < length:
                    self.maybe_continue(headers)
                    return
                body = bytes(self.buffer[start:start + length])
                consumed = start + length
            del self.buffer[:consumed]
            self.continued = False
            keep = version == "HTTP/1.1" and "close" not in headers.get("connection", "").lower()
            self.busy = True
            self.dispatch(method, target, headers, body, keep)

    def maybe_continue(self, headers):
        if not self.continued and "100-continue" in headers.get("expect", "").lower():
            self.continued = True
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def chunked_body(self, start):
        """(body, bytes consumed) of a complete chunked body from `start`, or (None, 0) when not all here yet."""
        body = bytearray()
        at = start
        while True:
            line_end = self.buffer.find(b"\r\n", at)
            if line_end < 0:
                return None, 0
            size = int(bytes(self.buffer[at:line_end]).split(b";")[0] or b"0", 16)
            at = line_end + 2
            if size == 0:
                trailer_end = self.buffer.find(b"\r\n\r\n", at - 2)
                if trailer_end < 0:
                    return None, 0
                return bytes(body), trailer_end + 4
            if len(self.buffer) < at + size + 2:
                return None, 0
            body += self.buffer[at:at + size]
            at += size + 2

    # MARK: - answering

    def dispatch(self, method, target, headers, body, keep):
        path, _, raw_query = target.partition("?")
        query = dict(urllib.parse.parse_qsl(raw_query, keep_blank_values=True)) if raw_query else {}
        server = self.server
        if path.startswith("/__standin/"):
            status, value = server.admin(method, path[len("/__standin/"):], query, body)
            self.respond(status, [("Content-Type", "application/json")], json.dumps(value).encode(), keep, method, None)
            return
        stats = server.stats
        if not self.counted:
            self.counted = True
            stats.connections_opened += 1
            stats.connections_open += 1
            if stats.connections_open > stats.peak_connections_open:
                stats.peak_connections_open = stats.connections_open
        now = time.monotonic()
        if stats.first_request is None:
            stats.first_request = now
        stats.requests += 1
        stats.in_flight += 1
        if stats.in_flight > stats.peak_in_flight:
            stats.peak_in_flight = stats.in_flight
        bucket, _, key = path[1:].partition("/")
        bucket = urllib.parse.unquote(bucket)
        key = urllib.parse.unquote(key) if key else None
        operation, answer = route(server.store, method, bucket, key, query, headers)
        stats.operations[operation] = stats.operations.get(operation, 0) + 1
        now_in = stats.in_flight_by_operation.get(operation, 0) + 1
        stats.in_flight_by_operation[operation] = now_in
        if now_in > stats.peak_in_flight_by_operation.get(operation, 0):
            stats.peak_in_flight_by_operation[operation] = now_in
        settings = server.settings
        delay = settings.latency_ms / 1000.0
        if settings.slowdown_next >= 1:
            settings.slowdown_next -= 1
            stats.slowdowns += 1
            status, extra, payload = self.error(S3Failure(503, "SlowDown", "Please reduce your request rate.", path))
        elif server.bucket is not None and not server.bucket.take():
            stats.slowdowns += 1
            status, extra, payload = self.error(S3Failure(503, "SlowDown", "Please reduce your request rate.", path))
        else:
            if operation == "UploadPartCopy" and settings.part_latency_ms_per_mib > 0:
                size = server.store.copy_part_size(headers)
                part_delay = settings.part_latency_ms_per_mib / 1000.0 * size / MiB
                stats.part_copy_bytes += size
                stats.part_latency_seconds += part_delay
                delay += part_delay
            try:
                status, extra, payload = answer(body)
            except S3Failure as failure:
                status, extra, payload = self.error(failure)
        stats.statuses[status] = stats.statuses.get(status, 0) + 1
        if delay > 0:
            asyncio.get_running_loop().call_later(delay, self.respond, status, extra, payload, keep, method, operation)
        else:
            self.respond(status, extra, payload, keep, method, operation)

    def error(self, failure):
        request_id = self.server.request_id()
        body = "<Error><Code>%s</Code><Message>%s</Message><Resource>%s</Resource><RequestId>%s</RequestId></Error>" % (
            failure.code, xml_escape(failure.message), xml_escape(failure.resource), request_id)
        return failure.status, [("Content-Type", "application/xml")], XML_HEAD + body.encode()

    def respond(self, status, headers, payload, keep, method, operation):
        server = self.server
        if operation is not None:
            stats = server.stats
            stats.in_flight -= 1
            stats.in_flight_by_operation[operation] -= 1
            stats.last_response = time.monotonic()
        if self.transport is None:
            return
        # HEAD answers carry the object's size as Content-Length and no body.
        if isinstance(payload, int):
            length, payload = payload, b""
        else:
            length = len(payload)
            if method == "HEAD":
                payload = b""
        lines = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Unknown")),
                 "x-amz-request-id: " + server.request_id(), "Date: " + server.date(), "Server: AmazonS3",
                 "Content-Length: %d" % length]
        if payload and not any(name == "Content-Type" for name, _ in headers):
            lines.append("Content-Type: application/xml")
        for name, value in headers:
            lines.append("%s: %s" % (name, value))
        if not keep:
            lines.append("Connection: close")
        self.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)
        self.busy = False
        if not keep:
            self.closing = True
            self.transport.close()
            return
        if self.buffer:
            self.next_request()

    def fail_and_close(self, status, why):
        body = json.dumps({"error": why}).encode()
        self.transport.write(b"HTTP/1.1 %d %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (
            status, REASONS.get(status, "Bad Request").encode(), len(body)) + body)
        self.closing = True
        self.transport.close()
