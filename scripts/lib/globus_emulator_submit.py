"""Task submission for scripts/globus-emulator: collections, consents, and transfers that really copy.

Kept apart from the emulator's task-reading code so both can change without stepping on each other.
The emulator builds one `Submissions` per process and calls `route`, `before_read`, `control` and
`grant` (see scripts/globus-emulator).

Globus Transfer v0.10 (docs.globus.org/api/transfer/task_submit, /api/transfer/endpoints_and_collections;
shapes from globus-sdk's recorded responses, src/globus_sdk/testing/data/transfer/*.py)
  GET  /v0.10/submission_id   -> {"value": UUID}
  POST /v0.10/transfer        the `transfer` document: DATA_TYPE "transfer", submission_id (a UUID,
                              required), source_endpoint, destination_endpoint, DATA: [{DATA_TYPE
                              "transfer_item", source_path, destination_path, recursive?}], label?,
                              sync_level? (0 exists, 1 size, 2 mtime, 3 checksum), verify_checksum?,
                              deadline? (ISO 8601), notify_on_succeeded/failed/inactive?, others ignored
       202 {"DATA_TYPE": "transfer_result", "code": "Accepted", "message", "request_id", "resource",
            "submission_id", "task_id", "task_link": {...}}
       200 the same with "code": "Duplicate" and the ORIGINAL task_id when this identity already
           used the submission_id (whatever the body says; no second task is ever created)
       400 ClientError.BadRequest (malformed document), ClientError.BadRequest.NoTransferItems
       404 EndpointNotFound (unknown collection)
       403 ConsentRequired when a collection registered with data_access_consent is named and the
           bearer token's grant lacks its dependent scope:
           {"code": "ConsentRequired", "message", "request_id", "resource", "required_scopes": [S],
            "authorization_parameters": {"required_scopes": [S], "session_message"}} with
           S = "urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/
           <COLLECTION>/data_access ...]" naming every such collection of the submission.
       403 AuthorizationRequired with authorization_parameters {session_message,
           session_required_mfa?, session_required_single_domain?} when a collection registered
           with session requirements is named and the token's login did not meet them (the
           emulator's stand-in for a session: the authorize URL's session_required_mfa=true /
           session_required_single_domain; client_credentials tokens never meet them). The code
           is the emulator's choice: Globus documents the GARE fields, not this answer's code.
  GET  /v0.10/endpoint/ID     the collection's endpoint document: DATA_TYPE "endpoint", id,
                              display_name, entity_type (default "GCSv5_mapped_collection"),
                              gcs_version, high_assurance, non_functional, connector_id (GCS
                              connector: S3 7643e831-5f6c-4b47-a07f-8ee90f401d23, POSIX
                              145812c8-decc-41f1-83cf-bb2a85a2a70b), storage_type ("s3"|"posix",
                              the emulator's own plain-word twin of connector_id), owner_id, ...;
                              404 EndpointNotFound. Reading it needs no consent.
                              DOCUMENTED (globus-sdk's recorded get_endpoint; its data_access
                              detection reads entity_type and high_assurance): DATA_TYPE, id,
                              display_name, entity_type, high_assurance, non_functional, s3_url
                              (GCSv4 S3 endpoints only, null here). INFERRED: gcs_version,
                              connector_id and storage_type (a GCSv5 collection's storage is a GCS
                              Manager property, its storage gateway's connector_id; no recorded
                              Transfer document shows it), so a check must not refuse a collection
                              for lacking them: warn and go on.

A submitted task copies in a background thread (source -> destination collection), counting
files/bytes into the task document as it goes. It answers ACTIVE for `active_polls` reads (task/ID,
or a task_list that names it; default 1; reads while it is INACTIVE or is_paused, as set through
the control API, do not count), then the next read waits for the copy and answers
SUCCEEDED (successful_transfers filled with source_path, destination_path, size, and checksum/
checksum_algorithm MD5 when verify_checksum) or FAILED (fatal_error). Emulator choices where Globus
would retry until the deadline: a missing source path fails the task (FILE_NOT_FOUND), a write
refused by the storage fails it (ENDPOINT_ERROR). sync_level skips files already at the destination
(exists / same size / same size (mtime) / same MD5) and counts them in files_skipped.

Collections: "posix" backed by a local folder (`root`; Globus path /a/b is root/a/b), or "s3"
backed by an S3 endpoint such as moto (`endpoint_url`; Globus path /BUCKET/KEY, or /KEY when the
collection is registered with one `bucket`). S3 is read and written with a placeholder SigV4
Authorization header and an unsigned payload: moto checks no signatures (a real S3 would refuse).

Token grants: a login or client_credentials grant whose scope string holds the transfer scope with
dependent `https://auth.globus.org/scopes/<ID>/data_access` scopes (optional '*' or not) carries
consent for those collections; access tokens from its refresh token keep it.

Control API (added to the emulator's /_emulator/)
  POST /_emulator/collections   {id?, type: "posix"|"s3", root? (posix), endpoint_url?, bucket? (s3),
                                 display_name?, entity_type?, high_assurance?, gcs_version?,
                                 data_access_consent? (default false), session_required_mfa?,
                                 session_required_single_domain? ([domain]), owner_id?} -> {id}
  POST /_emulator/submit        settings for later submissions: {active_polls?, lose_replies?: N
                                 (the next N accepted submissions create their task but the answer
                                 is lost), lose_reply_status? (an HTTP status, or 0 to close the
                                 connection without an answer; default 502), reply_delay?: seconds
                                 (an accepted submission's answer waits this long after its task
                                 is created: time to kill the client mid-submission), fail_next?: N
                                 (the next N tasks end FAILED), fail_code?, fail_description?}
  POST /_emulator/transfers/ID  {active_polls?} for a submitted task (0: finish on the next read)
  GET  /_emulator/submissions   {"submissions": [{submission_id, task_id, owner_id, attempts}],
                                 "transfer_posts": N, "tasks_created": N}
"""

import hashlib
import http.client
import os
import re
import secrets
import threading
import time
import uuid
from datetime import datetime
from urllib.parse import quote, urlsplit

TRANSFER_SCOPE = "urn:globus:auth:scope:transfer.api.globus.org:all"
DATA_ACCESS_RE = re.compile(r"^https://auth\.globus\.org/scopes/([0-9A-Fa-f-]{36})/data_access$")
S3_CONNECTOR_ID = "7643e831-5f6c-4b47-a07f-8ee90f401d23"
POSIX_CONNECTOR_ID = "145812c8-decc-41f1-83cf-bb2a85a2a70b"
PLACEHOLDER_AUTH = ("AWS4-HMAC-SHA256 Credential=AKIAGLOBUSEMULATOR/20260101/us-east-1/s3/aws4_request, "
                    "SignedHeaders=host, Signature=0000")


def data_access_scope(collection_id):
    return "https://auth.globus.org/scopes/%s/data_access" % collection_id


def consent_scope(collection_ids):
    """The transfer scope with each collection's data_access as an optional dependency."""
    return "%s[%s]" % (TRANSFER_SCOPE, " ".join("*" + data_access_scope(c) for c in collection_ids))


def parse_scopes(text):
    """Globus Auth's scope string: space-separated scopes, each optionally followed by [deps];
    '*' marks an optional scope. -> [{"scope", "optional", "dependencies"}]; ValueError if malformed."""
    pos = 0

    def scope_list(closing):
        nonlocal pos
        items = []
        while True:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos >= len(text):
                if closing:
                    raise ValueError("unclosed '['")
                return items
            if text[pos] == "]":
                if not closing:
                    raise ValueError("unexpected ']'")
                pos += 1
                return items
            optional = text[pos] == "*"
            if optional:
                pos += 1
            start = pos
            while pos < len(text) and not text[pos].isspace() and text[pos] not in "[]*":
                pos += 1
            if pos == start:
                raise ValueError("empty scope at %d" % start)
            item = {"scope": text[start:pos], "optional": optional, "dependencies": []}
            if pos < len(text) and text[pos] == "[":
                pos += 1
                item["dependencies"] = scope_list(True)
            items.append(item)

    return scope_list(False)


def grant_of(scope_text):
    """(top-level scope names, collection ids consented for data_access under the transfer scope)."""
    names, consents = [], set()
    for item in parse_scopes(scope_text or ""):
        names.append(item["scope"])
        if item["scope"] == TRANSFER_SCOPE:
            for dep in item["dependencies"]:
                match = DATA_ACCESS_RE.match(dep["scope"])
                if match:
                    consents.add(match.group(1).lower())
    return names, consents


def session_of(query):
    """The session a login asked for on the authorize URL (session_required_mfa,
    session_required_single_domain), as the emulator's stand-in for the session Globus Auth records."""
    domains = [d for d in (query.get("session_required_single_domain") or "").split(",") if d]
    return {"mfa": query.get("session_required_mfa") == "true", "domains": domains}


def request_id():
    return secrets.token_urlsafe(7)[:9]


class Storage:
    """Reading and writing one collection's files by Globus path."""

    def __init__(self, collection):
        self.c = collection

    # posix

    def local(self, path):
        root = os.path.realpath(self.c["root"])
        full = os.path.realpath(os.path.join(root, path.lstrip("/")))
        if full != root and not full.startswith(root + os.sep):
            raise PermissionError("path %s leaves the collection" % path)
        return full

    # s3

    def bucket_key(self, path):
        if self.c.get("bucket"):
            return self.c["bucket"], path.lstrip("/")
        bucket, _, key = path.lstrip("/").partition("/")
        if not bucket:
            raise PermissionError("path %s names no bucket" % path)
        return bucket, key

    def s3(self, method, bucket, key="", query="", body=None, length=None):
        url = urlsplit(self.c["endpoint_url"])
        conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        try:
            target = "/%s/%s%s" % (bucket, quote(key, safe="/~"), ("?" + query) if query else "")
            # moto answers anonymous GET/HEAD 403 but checks no signature: a placeholder SigV4
            # header makes the request an authenticated one. (A real S3 would refuse it.)
            headers = {"Authorization": PLACEHOLDER_AUTH, "x-amz-content-sha256": "UNSIGNED-PAYLOAD"}
            if length is not None:
                headers["Content-Length"] = str(length)
            conn.request(method, target, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    # both

    def files_under(self, path, recursive):
        """[(globus path, relative path, size)] of the files at path (a file, or a folder when recursive)."""
        if self.c["type"] == "posix":
            full = self.local(path)
            if os.path.isfile(full):
                return [(path, "", os.path.getsize(full))]
            if not os.path.isdir(full):
                raise FileNotFoundError(path)
            if not recursive:
                raise IsADirectoryError(path)
            found = []
            for dirpath, dirnames, filenames in os.walk(full):
                dirnames.sort()
                for name in sorted(filenames):
                    f = os.path.join(dirpath, name)
                    rel = os.path.relpath(f, full).replace(os.sep, "/")
                    found.append((path.rstrip("/") + "/" + rel, rel, os.path.getsize(f)))
            return found
        bucket, key = self.bucket_key(path)
        if not recursive:
            status, headers, _ = self.s3("HEAD", bucket, key)
            if status != 200:
                raise FileNotFoundError(path)
            return [(path, "", int(headers.get("Content-Length", "0")))]
        prefix = key.rstrip("/") + "/" if key.strip("/") else ""
        status, _, body = self.s3("GET", bucket, "", "list-type=2&prefix=" + quote(prefix, safe=""))
        if status != 200:
            raise FileNotFoundError(path)
        keys = re.findall(rb"<Key>(.*?)</Key>.*?<Size>(\d+)</Size>", body, re.S)
        if not keys:
            raise FileNotFoundError(path)
        base = path.rstrip("/")
        return [(base + "/" + k.decode()[len(prefix):], k.decode()[len(prefix):], int(s)) for k, s in keys]

    def read(self, path):
        if self.c["type"] == "posix":
            with open(self.local(path), "rb") as f:
                return f.read()
        status, _, body = self.s3("GET", *self.bucket_key(path))
        if status != 200:
            raise FileNotFoundError(path)
        return body

    def write(self, path, data):
        if self.c["type"] == "posix":
            full = self.local(path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
            return
        bucket, key = self.bucket_key(path)
        status, _, body = self.s3("PUT", bucket, key, body=data, length=len(data))
        if status != 200:
            raise IOError("storage answered %d to PUT %s: %s" % (status, path, body[:200].decode("utf-8", "replace")))

    def existing(self, path):
        """(size, md5 hex or None) of the file at path, or None."""
        if self.c["type"] == "posix":
            full = self.local(path)
            if not os.path.isfile(full):
                return None
            with open(full, "rb") as f:
                return os.path.getsize(full), hashlib.md5(f.read()).hexdigest()
        status, headers, _ = self.s3("HEAD", *self.bucket_key(path))
        if status != 200:
            return None
        etag = (headers.get("ETag") or "").strip('"')
        return int(headers.get("Content-Length", "0")), (etag if "-" not in etag else None)


class Run:
    """One submitted task's copy."""

    def __init__(self, task_id, active_polls):
        self.task_id = task_id
        self.active_polls = active_polls
        self.polls = 0
        self.done = threading.Event()
        self.finished = False
        self.files = []
        self.fatal = None


class Submissions:
    """Collections, submission ids and running copies; all guarded by the emulator's state lock."""

    def __init__(self, new_task, apply_status):
        self.new_task = new_task
        self.apply_status = apply_status
        self.collections = {}
        self.submissions = {}      # (owner, submission_id) -> {"task_id", "attempts"}
        self.runs = {}             # task_id -> Run
        self.settings = {"active_polls": 1, "lose_replies": 0, "lose_reply_status": 502, "reply_delay": 0.0,
                         "fail_next": 0, "fail_code": "PERMISSION_DENIED",
                         "fail_description": "emulated failure: the destination refused the write"}
        self.transfer_posts = 0
        self.tasks_created = 0

    # MARK: tokens

    @staticmethod
    def grant(scope_text):
        """For the emulator's token code: (names, consents) or raises ValueError."""
        return grant_of(scope_text)

    # MARK: Transfer routes

    def route(self, h, resource, entry):
        """Answers the submission routes; False for anything else (the emulator handles it)."""
        method = h.command
        if resource == "submission_id" and method == "GET":
            h.send(200, {"value": str(uuid.uuid4())})
            return True
        if resource.startswith("endpoint/") and method == "GET" and resource.count("/") == 1:
            self.endpoint(h, resource.split("/")[1])
            return True
        if resource == "transfer" and method == "POST":
            self.submit(h, entry)
            return True
        if method != "GET":
            h.error_doc(405, "ClientError.MethodNotAllowed", "%s is not allowed on /v0.10/%s" % (method, resource))
            return True
        return False

    def endpoint(self, h, collection_id):
        with h.state.lock:
            c = self.collections.get(collection_id.lower())
        if c is None:
            return h.error_doc(404, "EndpointNotFound", "No such collection '%s'" % collection_id)
        h.send(200, self.endpoint_doc(c))

    @staticmethod
    def endpoint_doc(c):
        s3 = c["type"] == "s3"
        return {
            "DATA_TYPE": "endpoint", "id": c["id"], "display_name": c["display_name"],
            "entity_type": c["entity_type"], "gcs_version": c["gcs_version"],
            "high_assurance": c["high_assurance"], "non_functional": False,
            "connector_id": S3_CONNECTOR_ID if s3 else POSIX_CONNECTOR_ID,
            "storage_type": "s3" if s3 else "posix",
            "owner_id": c["owner_id"], "owner_string": "emulator@globusid.org",
            "organization": "globus-emulator", "description": "emulated %s collection" % c["type"],
            "is_globus_connect": False, "host_endpoint_id": None, "mapped_collection_id": None,
            "public": True, "s3_url": None, "default_directory": "/", "activated": True,
            "subscription_id": None, "gcs_manager_url": None, "DATA": [],
        }

    def submit(self, h, entry):
        owner = entry["identity_id"]
        with h.state.lock:
            self.transfer_posts += 1
        try:
            doc = h.json_body()
        except ValueError:
            return h.error_doc(400, "ClientError.BadRequest", "the request body is not JSON")
        if not isinstance(doc, dict) or doc.get("DATA_TYPE") != "transfer":
            return h.error_doc(400, "ClientError.BadRequest", "expected a document with DATA_TYPE 'transfer'")
        sid = doc.get("submission_id")
        try:
            uuid.UUID(str(sid))
        except ValueError:
            return h.error_doc(400, "ClientError.BadRequest", "Invalid submission_id %r" % (sid,))
        with h.state.lock:
            known = self.submissions.get((owner, str(sid).lower()))
            if known is not None:
                known["attempts"] += 1
                return h.send(200, self.result("Duplicate", sid, known["task_id"],
                                               "A transfer with id '%s' was already submitted" % known["task_id"]))
        problem = self.check(doc)
        if problem:
            return h.error_doc(*problem)
        with h.state.lock:
            src = self.collections.get(str(doc["source_endpoint"]).lower())
            dst = self.collections.get(str(doc["destination_endpoint"]).lower())
        for c, name in ((src, "source_endpoint"), (dst, "destination_endpoint")):
            if c is None:
                return h.error_doc(404, "EndpointNotFound", "No such collection '%s' (%s)" % (doc[name], name))
        needed = list(dict.fromkeys(c["id"] for c in (src, dst) if c["data_access_consent"]))
        if [c for c in needed if c not in entry.get("consents", set())]:
            return self.consent_required(h, needed)
        for c in (src, dst):
            if self.session_lacking(c, entry.get("session")):
                return self.session_required(h, c)
        with h.state.lock:
            known = self.submissions.get((owner, str(sid).lower()))
            if known is not None:  # a concurrent twin got there first
                known["attempts"] += 1
                return h.send(200, self.result("Duplicate", sid, known["task_id"],
                                               "A transfer with id '%s' was already submitted" % known["task_id"]))
            task_id = self.create(h.state, owner, doc, src, dst)
            self.submissions[(owner, str(sid).lower())] = {"task_id": task_id, "attempts": 1,
                                                           "submission_id": str(sid)}
            lose = self.settings["lose_replies"] > 0
            if lose:
                self.settings["lose_replies"] -= 1
            delay = self.settings["reply_delay"]
        if delay:
            time.sleep(delay)  # the task exists; a client killed now never sees its id
        if lose:
            status = int(self.settings["lose_reply_status"])
            if status == 0:
                h.close_connection = True
                h.status_sent = 0
                return None
            return h.error_doc(status, "ServiceUnavailable", "emulated lost reply (the task was created)")
        h.send(202, self.result("Accepted", sid, task_id,
                                "The transfer has been accepted and a task has been created and queued for execution"))

    @staticmethod
    def result(code, sid, task_id, message):
        return {"DATA_TYPE": "transfer_result", "code": code, "message": message,
                "request_id": request_id(), "resource": "/v0.10/transfer", "submission_id": sid,
                "task_id": task_id,
                "task_link": {"DATA_TYPE": "link", "href": "/v0.10/task/%s?format=json" % task_id,
                              "rel": "related", "resource": "task", "title": "related task"}}

    @staticmethod
    def check(doc):
        """(status, code, message) for a malformed transfer document, else None."""
        bad = "ClientError.BadRequest"
        for key in ("source_endpoint", "destination_endpoint"):
            if not isinstance(doc.get(key), str) or not doc[key]:
                return 400, bad, "%s is required" % key
        items = doc.get("DATA")
        if not isinstance(items, list):
            return 400, bad, "DATA must be a list of transfer_item documents"
        if not items:
            return 400, bad + ".NoTransferItems", "A transfer requires at least one item"
        for i, item in enumerate(items):
            if not isinstance(item, dict) or item.get("DATA_TYPE") != "transfer_item":
                return 400, bad, "DATA[%d] must be a transfer_item" % i
            for key in ("source_path", "destination_path"):
                if not isinstance(item.get(key), str) or not item[key].startswith("/"):
                    return 400, bad, "DATA[%d].%s must be an absolute path" % (i, key)
            if not isinstance(item.get("recursive", False), (bool, type(None))):
                return 400, bad, "DATA[%d].recursive must be a boolean" % i
        level = doc.get("sync_level")
        if level is not None and (not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 3):
            return 400, bad, "sync_level must be 0, 1, 2 or 3"
        for key in ("verify_checksum", "notify_on_succeeded", "notify_on_failed", "notify_on_inactive"):
            if doc.get(key) is not None and not isinstance(doc[key], bool):
                return 400, bad, "%s must be a boolean" % key
        if doc.get("label") is not None and (not isinstance(doc["label"], str) or len(doc["label"]) > 128):
            return 400, bad, "label must be a string of at most 128 characters"
        deadline = doc.get("deadline")
        if deadline is not None:
            try:
                datetime.fromisoformat(str(deadline).replace("Z", "+00:00"))
            except ValueError:
                return 400, bad, "Invalid deadline %r" % (deadline,)
        return None

    def consent_required(self, h, collections):
        scope = consent_scope(collections)
        message = "Missing required data_access consent for collection(s) %s" % ", ".join(collections)
        h.send(403, {"code": "ConsentRequired", "message": message, "request_id": request_id(),
                     "resource": "/v0.10/transfer", "required_scopes": [scope],
                     "authorization_parameters": {"required_scopes": [scope], "session_message": message}})

    @staticmethod
    def session_lacking(c, session):
        """True when collection c requires a session (MFA, a domain) the token's login did not have."""
        session = session or {"mfa": False, "domains": []}
        if c["session_required_mfa"] and not session["mfa"]:
            return True
        wanted = c["session_required_single_domain"]
        return bool(wanted) and not set(wanted) & set(session["domains"])

    def session_required(self, h, c):
        message = "Collection %s requires a login session%s%s" % (
            c["id"], " with multi-factor authentication" if c["session_required_mfa"] else "",
            (" from " + " or ".join(c["session_required_single_domain"])) if c["session_required_single_domain"] else "")
        parameters = {"session_message": message}
        if c["session_required_mfa"]:
            parameters["session_required_mfa"] = True
        if c["session_required_single_domain"]:
            parameters["session_required_single_domain"] = list(c["session_required_single_domain"])
        h.send(403, {"code": "AuthorizationRequired", "message": message, "request_id": request_id(),
                     "resource": "/v0.10/transfer", "authorization_parameters": parameters})

    # MARK: tasks

    def create(self, state, owner, doc, src, dst):
        """The task document and its copy thread; caller holds the lock."""
        task_doc, _ = self.new_task({"owner_id": owner, "label": doc.get("label")})
        self.apply_status(task_doc, [], {"status": "ACTIVE"})
        task_doc.update({
            "source_endpoint_id": src["id"], "destination_endpoint_id": dst["id"],
            "source_endpoint_display_name": src["display_name"],
            "destination_endpoint_display_name": dst["display_name"],
            "deadline": doc.get("deadline"), "verify_checksum": doc.get("verify_checksum", True) is not False,
            "sync_level": doc.get("sync_level"), "nice_status": "Queued",
        })
        task_id = task_doc["task_id"]
        state.tasks[task_id] = task_doc
        state.files[task_id] = []
        run = Run(task_id, int(self.settings["active_polls"]))
        if self.settings["fail_next"] > 0:
            self.settings["fail_next"] -= 1
            run.fatal = {"code": self.settings["fail_code"], "description": self.settings["fail_description"]}
        self.runs[task_id] = run
        self.tasks_created += 1
        threading.Thread(target=self.copy, args=(state, run, doc, src, dst), daemon=True).start()
        return task_id

    def copy(self, state, run, doc, src, dst):
        source, dest = Storage(src), Storage(dst)
        level = doc.get("sync_level")
        verify = doc.get("verify_checksum", True) is not False
        try:
            if run.fatal:
                return
            plan = []
            for item in doc["DATA"]:
                recursive = bool(item.get("recursive"))
                try:
                    found = source.files_under(item["source_path"], recursive)
                except (FileNotFoundError, PermissionError):
                    run.fatal = {"code": "FILE_NOT_FOUND",
                                 "description": "No such file or directory: %s" % item["source_path"]}
                    return
                except IsADirectoryError:
                    run.fatal = {"code": "IS_A_DIRECTORY", "description": "%s is a directory; submit it with "
                                 "recursive true" % item["source_path"]}
                    return
                for path, rel, size in found:
                    target = item["destination_path"] if not rel else item["destination_path"].rstrip("/") + "/" + rel
                    plan.append((path, target, size))
            with state.lock:
                task = state.tasks[run.task_id]
                task["files"] = task["subtasks_total"] = len(plan)
                task["directories"] = sum(1 for i in doc["DATA"] if i.get("recursive"))
            for path, target, size in plan:
                data = source.read(path)
                md5 = hashlib.md5(data).hexdigest()
                if level is not None and self.in_sync(dest, target, len(data), md5, level):
                    with state.lock:
                        state.tasks[run.task_id]["files_skipped"] += 1
                    continue
                try:
                    dest.write(target, data)
                except (OSError, PermissionError) as exc:
                    run.fatal = {"code": "ENDPOINT_ERROR", "description": str(exc)}
                    return
                entry = {"source_path": path, "destination_path": target, "size": len(data)}
                if verify:
                    entry.update(checksum=md5, checksum_algorithm="MD5")
                run.files.append(entry)
                with state.lock:
                    task = state.tasks[run.task_id]
                    task["files_transferred"] += 1
                    task["bytes_transferred"] += len(data)
                    task["bytes_checksummed"] += len(data) if verify else 0
                    task["subtasks_succeeded"] += 1
                    task["nice_status"] = "OK"
        except Exception as exc:  # never leave a task hanging on an emulator bug
            run.fatal = {"code": "EMULATOR_ERROR", "description": repr(exc)}
        finally:
            run.done.set()

    @staticmethod
    def in_sync(dest, target, size, md5, level):
        try:
            have = dest.existing(target)
        except (OSError, PermissionError):
            return False
        if have is None:
            return False
        if level == 0:
            return True
        if level in (1, 2):
            return have[0] == size
        return have[0] == size and have[1] == md5

    def before_read(self, state, owner, ids):
        """Counts a read of these tasks (None: all of owner's); finishes those past their active polls."""
        finishing = []
        with state.lock:
            for task_id in (ids if ids is not None else list(self.runs)):
                run = self.runs.get(task_id)
                doc = state.tasks.get(task_id)
                if run is None or run.finished or doc is None or doc["owner_id"] != owner:
                    continue
                if doc["status"] not in ("ACTIVE", "INACTIVE"):  # changed by the control API
                    run.finished = True
                    continue
                if doc["status"] == "INACTIVE" or doc.get("is_paused"):  # held: no progress meanwhile
                    continue
                run.polls += 1
                if run.polls > run.active_polls:
                    run.finished = True
                    finishing.append(run)
        for run in finishing:
            run.done.wait(120)
            with state.lock:
                doc = state.tasks[run.task_id]
                files = list(run.files)
                state.files[run.task_id] = files
                transferred = doc["bytes_transferred"]
                if run.fatal or not run.done.is_set():
                    fatal = run.fatal or {"code": "TIMEOUT", "description": "the emulated copy did not finish"}
                    self.apply_status(doc, files, {"status": "FAILED", "fatal_error": fatal})
                else:
                    self.apply_status(doc, files, {"status": "SUCCEEDED"})
                    doc["bytes_transferred"] = transferred
                    doc["files_transferred"] = len(files)
                    doc["subtasks_succeeded"] = len(files)

    # MARK: control API

    def control(self, h, method, name):
        """Answers the submission control routes; False for anything else."""
        st = h.state
        if name == "collections" and method == "POST":
            body = h.json_body()
            kind = body.get("type")
            if kind not in ("posix", "s3"):
                h.send(400, {"code": "BadRequest", "message": "type must be posix or s3"})
                return True
            if kind == "posix" and not body.get("root"):
                h.send(400, {"code": "BadRequest", "message": "a posix collection needs root"})
                return True
            if kind == "s3" and not body.get("endpoint_url"):
                h.send(400, {"code": "BadRequest", "message": "an s3 collection needs endpoint_url"})
                return True
            cid = str(body.get("id") or uuid.uuid4()).lower()
            collection = {
                "id": cid, "type": kind, "root": body.get("root"), "endpoint_url": body.get("endpoint_url"),
                "bucket": body.get("bucket"),
                "display_name": body.get("display_name") or "emulated %s collection" % kind,
                "entity_type": body.get("entity_type", "GCSv5_mapped_collection"),
                "high_assurance": bool(body.get("high_assurance", False)),
                "gcs_version": body.get("gcs_version", "5.4.80"),
                "data_access_consent": bool(body.get("data_access_consent", False)),
                "session_required_mfa": bool(body.get("session_required_mfa", False)),
                "session_required_single_domain": list(body.get("session_required_single_domain") or []),
                "owner_id": body.get("owner_id") or str(uuid.uuid5(uuid.NAMESPACE_URL, "emulator-owner")),
            }
            with st.lock:
                self.collections[cid] = collection
            h.send(200, {"id": cid})
            return True
        if name == "submit" and method == "POST":
            body = h.json_body()
            with st.lock:
                for key in ("active_polls", "lose_replies", "lose_reply_status", "fail_next"):
                    if key in body:
                        self.settings[key] = int(body[key])
                if "reply_delay" in body:
                    self.settings["reply_delay"] = float(body["reply_delay"])
                for key in ("fail_code", "fail_description"):
                    if key in body:
                        self.settings[key] = str(body[key])
            h.send(200, {"ok": True})
            return True
        if name.startswith("transfers/") and method == "POST":
            body = h.json_body()
            with st.lock:
                run = self.runs.get(name[len("transfers/"):])
                if run is not None and "active_polls" in body:
                    run.active_polls = run.polls + int(body["active_polls"])
            h.send(200 if run else 404, {"ok": run is not None})
            return True
        if name == "submissions" and method == "GET":
            with st.lock:
                answer = {"submissions": [
                    {"submission_id": v["submission_id"], "task_id": v["task_id"], "owner_id": owner,
                     "attempts": v["attempts"]} for (owner, _), v in self.submissions.items()],
                    "transfer_posts": self.transfer_posts, "tasks_created": self.tasks_created}
            h.send(200, answer)
            return True
        return False
