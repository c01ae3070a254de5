"""R4 bad-input cases for consents (issue 19 item 4): `copypt login --collection/--session-*`
arguments, COPYPT_GLOBUS_DATA_ACCESS, and Globus answering ConsentRequired or a session
requirement where copypt reads tasks.

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged. The Globus
answers come through the Globus fault proxy ("globus:*" kinds), in the shapes globus-sdk knows
(Transfer's ConsentRequired with required_scopes at the top; a GARE's authorization_parameters).
"""

import json

import copypt_harness as h

JSON = {"Content-Type": "application/json"}
SWEEP = ["copypt-sweep", "--once"]
LOGIN = ["copypt", "login", "--no-browser", "--client-id", "r4-native-app"]
COLLECTION = "1f2e3d4c-5b6a-4789-8abc-def012345678"
CONSENT_SCOPE = ("urn:globus:auth:scope:transfer.api.globus.org:all"
                 "[*https://auth.globus.org/scopes/%s/data_access]" % COLLECTION)


def consent_doc():
    return json.dumps({"code": "ConsentRequired", "message": "Missing required data_access consent",
                       "request_id": "r4consent", "resource": "/v0.10/task_list",
                       "required_scopes": [CONSENT_SCOPE]})


def session_doc():
    return json.dumps({"code": "AuthenticationRequired", "message": "a fresher login is needed",
                       "request_id": "r4session", "authorization_parameters": {
                           "session_message": "a fresher login is needed",
                           "session_required_single_domain": ["example.edu`id`"],
                           "session_required_mfa": True}})


def says(*needles):
    def check(ctx, case_dir, state_dir, result):
        return ["stderr does not say %r" % n for n in needles if n not in result.err]
    return check


def untouched(*needles):
    """The record is still waiting (a consent is the user's to give, not the transfer's failure)."""
    def check(ctx, case_dir, state_dir, result):
        problems = ["stderr does not say %r" % n for n in needles if n not in result.err]
        records, _ = h.read_records(state_dir)
        docs = [d for d in records.values() if d is not None]
        if len(docs) != 1:
            problems.append("record unreadable")
        elif docs[0]["state"] in ("failed", "done"):
            problems.append("record %s after a consent answer" % docs[0]["state"])
        return problems
    return check


def cases():
    from trials_r4 import Case  # imported here: trials_r4 imports this module
    return [
        Case("login: --collection not a UUID", LOGIN + ["--collection", "my-staging"],
             check=says("--collection my-staging")),
        Case("login: --collection empty", LOGIN + ["--collection", ""]),
        Case("login: --collection UUID without hyphens", LOGIN + ["--collection", COLLECTION.replace("-", "")]),
        Case("login: --session-identity an e-mail address", LOGIN + ["--session-identity", "me@example.org"],
             check=says("--session-identity")),
        Case("login: --session-domain with a shell backtick", LOGIN + ["--session-domain", "x`id`.edu"],
             check=says("--session-domain")),
        Case("env: COPYPT_GLOBUS_DATA_ACCESS not collection ids", SWEEP, state="record", rcs=(2,),
             env={"COPYPT_GLOBUS_DATA_ACCESS": "my-staging,other"},
             check=says("COPYPT_GLOBUS_DATA_ACCESS")),
        Case("globus reply: task_list 403 ConsentRequired (Transfer's shape)", SWEEP, kind="upstream",
             state="record", rcs=(2,),
             rules=("globus", [{"kind": "globus:task_list", "status": 403, "headers": JSON, "body": consent_doc()}]),
             check=untouched("copypt login --collection " + COLLECTION)),
        Case("globus reply: task_list 403 session requirement (MFA, a domain with a backtick)", SWEEP, kind="upstream",
             state="record", rcs=(2,),
             rules=("globus", [{"kind": "globus:task_list", "status": 403, "headers": JSON, "body": session_doc()}]),
             check=untouched("--mfa", "multi-factor")),
    ]
