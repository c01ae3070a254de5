"""scripts/s3-standin as a child process for the Python side (bench P6/P2, its self-test).

    with StandIn(latency_ms=50, tls_dir=d) as s: s.seed("stg", "p6/", 20000, 1024); s.stats()
"""

import http.client
import json
import os
import ssl
import tempfile

import copypt_harness as h

SCRIPT = os.path.join(h.SCRIPTS, "s3-standin")


class StandIn(h.Server):
    """The stand-in on a free port; HTTPS when `https` (its CA at `.ca`, for AWS_CA_BUNDLE)."""

    def __init__(self, https=True, latency_ms=0, part_latency_ms_per_mib=0, rate_limit=0, burst=0,
                 min_part_size=None, log_dir=None, port=None):
        port = port or h.free_port()
        self.tls_dir = tempfile.mkdtemp(prefix="copypt-standin-tls.") if https else None
        argv = [SCRIPT, "--port", str(port), "--latency-ms", str(latency_ms),
                "--part-latency-ms-per-mib", str(part_latency_ms_per_mib),
                "--rate-limit", str(rate_limit), "--burst", str(burst)]
        if min_part_size is not None:
            argv += ["--min-part-size", str(min_part_size)]
        if https:
            argv += ["--tls-dir", self.tls_dir]
        super().__init__("s3-standin", argv, port, log_dir=log_dir)

    @property
    def ca(self):
        return os.path.join(self.tls_dir, "ca.pem") if self.tls_dir else None

    @property
    def url(self):
        return "%s://%s:%d" % ("https" if self.tls_dir else "http", h.LOOPBACK, self.port)

    def connection(self, timeout=60):
        if self.tls_dir:
            context = ssl.create_default_context(cafile=self.ca)
            return http.client.HTTPSConnection(h.LOOPBACK, self.port, timeout=timeout, context=context)
        return http.client.HTTPConnection(h.LOOPBACK, self.port, timeout=timeout)

    def request(self, method, path, doc=None, timeout=60):
        conn = self.connection(timeout)
        try:
            body = None if doc is None else json.dumps(doc).encode()
            conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status >= 400:
                raise RuntimeError("s3-standin %s %s -> %d %s" % (method, path, resp.status, data[:300]))
            return json.loads(data) if data else None
        finally:
            conn.close()

    # MARK: admin API

    def seed(self, bucket, prefix="", count=0, size=0, keys=None):
        doc = {"bucket": bucket, "prefix": prefix, "count": count, "size": size}
        if keys is not None:
            doc["keys"] = list(keys)
        return self.request("POST", "/__standin/seed", doc)["created"]

    def stats(self):
        return self.request("GET", "/__standin/stats")

    def reset(self):
        self.request("POST", "/__standin/stats/reset", {})

    def configure(self, **settings):
        return self.request("POST", "/__standin/config", settings)

    def count(self, bucket, prefix=""):
        import urllib.parse
        return self.request("GET", "/__standin/count?" + urllib.parse.urlencode({"bucket": bucket, "prefix": prefix}))
