"""policy_iam: the small honest subset of IAM policy checking and evaluation that scripts/policy-s3 enforces.

Python 3 standard library only.

    validate(doc, kind)        raises PolicyError (-> 400 MalformedPolicy) for anything this subset
                               would evaluate wrongly; kind is "identity", "bucket" or "key"
    statements_matching(doc, effect, principal, action, resource, context)
                               the statements of doc with that Effect that match: each answer is
                               "exact" (the principal named by ARN, its role ARN, or "*") or
                               "account" (named by account id or arn:aws:iam::ACCT:root)

Supported: Version 2012-10-17 (or absent), Statement as an object or a list, Sid, Effect Allow/Deny,
Principal "*" or {"AWS": ARN | account id | arn:aws:iam::ACCT:root | "*" | [...]}, Action (string or
list, `*` and `?` wildcards, case-insensitive), Resource (string or list, `*` and `?`, case-sensitive),
Condition with StringEquals, StringNotEquals, StringLike, StringNotLike, ArnEquals, ArnLike on the keys
s3:x-amz-acl, aws:PrincipalArn, aws:PrincipalAccount, s3:x-amz-server-side-encryption,
s3:x-amz-server-side-encryption-aws-kms-key-id (several keys are ANDed, a key's values ORed; a key the
request lacks fails the positive operators and passes the negated ones, as in IAM).
Refused as unsupported by the stand-in: NotAction, NotResource, NotPrincipal, Principal forms other
than AWS (Service, Federated, CanonicalUser), any other condition operator (…IfExists, Bool, Null,
Numeric…, Date…, IpAddress…, ForAllValues:/ForAnyValue:) and any other condition key, policy variables
(${…}).
"""

import fnmatch
import re

CONDITION_KEYS = {
    "s3:x-amz-acl", "aws:principalarn", "aws:principalaccount",
    "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
}
OPERATORS = {"stringequals", "stringnotequals", "stringlike", "stringnotlike", "arnequals", "arnlike"}
ACCOUNT_RE = re.compile(r"^[0-9]{12}$")
ROOT_RE = re.compile(r"^arn:aws:iam::([0-9]{12}):root$")
ASSUMED_RE = re.compile(r"^arn:aws:sts::([0-9]{12}):assumed-role/([^/]+)/(.+)$")
ARN_ACCOUNT_RE = re.compile(r"^arn:aws:(?:iam|sts)::([0-9]{12}):")


class PolicyError(ValueError):
    """A policy this subset refuses: the message says why (answered as 400 MalformedPolicy)."""


def account_of(arn):
    """The 12-digit account of an IAM or STS ARN, or None."""
    m = ARN_ACCOUNT_RE.match(arn or "")
    return m.group(1) if m else None


def role_arn_of(arn):
    """arn:aws:iam::ACCT:role/ROLE for an assumed-role session ARN, else the ARN itself (as AWS does
    for aws:PrincipalArn and for policies naming the role)."""
    m = ASSUMED_RE.match(arn or "")
    return "arn:aws:iam::%s:role/%s" % (m.group(1), m.group(2)) if m else arn


def _list(value):
    return value if isinstance(value, list) else [value]


def _strings(value, what):
    items = _list(value)
    if not items or not all(isinstance(v, str) and v for v in items):
        raise PolicyError("%s must be a non-empty string or list of strings" % what)
    for v in items:
        if "${" in v:
            raise PolicyError("policy variables (%s) are unsupported by the stand-in" % v)
    return items


def statements(doc):
    """The statement list of a policy document (a statement object counts as a list of one)."""
    st = doc.get("Statement")
    return st if isinstance(st, list) else [st]


def validate(doc, kind):
    """Raises PolicyError unless doc is a policy this subset evaluates faithfully."""
    if not isinstance(doc, dict):
        raise PolicyError("a policy must be a JSON object")
    unknown = set(doc) - {"Version", "Id", "Statement"}
    if unknown:
        raise PolicyError("unknown policy field %s" % sorted(unknown)[0])
    if doc.get("Version", "2012-10-17") not in ("2012-10-17", "2008-10-17"):
        raise PolicyError("Version must be 2012-10-17")
    if "Statement" not in doc or not isinstance(doc["Statement"], (dict, list)) or doc["Statement"] == []:
        raise PolicyError("Missing required field Statement")
    for st in statements(doc):
        if not isinstance(st, dict):
            raise PolicyError("each Statement must be an object")
        for field in ("NotAction", "NotResource", "NotPrincipal"):
            if field in st:
                raise PolicyError("%s is unsupported by the stand-in" % field)
        unknown = set(st) - {"Sid", "Effect", "Principal", "Action", "Resource", "Condition"}
        if unknown:
            raise PolicyError("unknown statement field %s" % sorted(unknown)[0])
        if st.get("Effect") not in ("Allow", "Deny"):
            raise PolicyError("Effect must be Allow or Deny")
        if "Action" not in st:
            raise PolicyError("Missing required field Action")
        _strings(st["Action"], "Action")
        if kind in ("bucket", "identity") and "Resource" not in st:
            raise PolicyError("Missing required field Resource")
        if "Resource" in st:
            _strings(st["Resource"], "Resource")
        if kind == "identity" and "Principal" in st:
            raise PolicyError("an identity policy has no Principal")
        if kind in ("bucket", "key"):
            if "Principal" not in st:
                raise PolicyError("Missing required field Principal")
            _validate_principal(st["Principal"])
        if "Condition" in st:
            _validate_condition(st["Condition"])


def _validate_principal(principal):
    if principal == "*":
        return
    if not isinstance(principal, dict) or not principal:
        raise PolicyError('Principal must be "*" or {"AWS": ...}')
    if set(principal) != {"AWS"}:
        raise PolicyError("Principal %s is unsupported by the stand-in" % sorted(set(principal) - {"AWS"})[0])
    for p in _strings(principal["AWS"], "Principal AWS"):
        if p != "*" and not ACCOUNT_RE.match(p) and not account_of(p):
            raise PolicyError("Invalid principal in policy: %s" % p)


def _validate_condition(condition):
    if not isinstance(condition, dict) or not condition:
        raise PolicyError("Condition must be an object")
    for op, block in condition.items():
        if op.lower() not in OPERATORS:
            raise PolicyError("condition operator %s is unsupported by the stand-in" % op)
        if not isinstance(block, dict) or not block:
            raise PolicyError("Condition %s must be an object" % op)
        for key, values in block.items():
            if key.lower() not in CONDITION_KEYS:
                raise PolicyError("condition key %s is unsupported by the stand-in" % key)
            _strings(values, "Condition %s %s" % (op, key))


# MARK: - evaluation

def _glob(pattern, value, fold):
    if fold:
        pattern, value = pattern.lower(), value.lower()
    # fnmatch knows [...] classes; IAM does not: escape them.
    pattern = pattern.replace("[", "[[]")
    return fnmatch.fnmatchcase(value, pattern)


def principal_match(principal_field, principal_arn):
    """'exact', 'account' or None: how a resource policy's Principal names principal_arn."""
    if principal_field == "*":
        return "exact"
    account = account_of(principal_arn)
    best = None
    for p in _list(principal_field.get("AWS")):
        if p == "*" or p == principal_arn or p == role_arn_of(principal_arn):
            return "exact"
        m = ROOT_RE.match(p)
        if p == account or (m and m.group(1) == account):
            best = "account"
    return best


def _condition_holds(condition, context):
    for op, block in (condition or {}).items():
        op = op.lower()
        for key, values in block.items():
            have = context.get(key.lower())
            values = _list(values)
            if op in ("stringnotequals", "stringnotlike"):
                if have is None:
                    continue
                like = op == "stringnotlike"
                if any(_glob(v, have, False) if like else v == have for v in values):
                    return False
                continue
            if have is None:
                return False
            if op in ("stringequals", "arnequals"):
                ok = any(v == have for v in values)
            else:  # stringlike, arnlike
                ok = any(_glob(v, have, False) for v in values)
            if not ok:
                return False
    return True


def statements_matching(doc, effect, principal_arn, action, resource, context):
    """[(statement, how)] of doc with this Effect matching the request; how is 'exact', 'account'
    (resource and key policies naming the account) or 'identity' (identity policies)."""
    found = []
    if not doc:
        return found
    for st in statements(doc):
        if st.get("Effect") != effect:
            continue
        how = "identity"
        if "Principal" in st:
            how = principal_match(st["Principal"], principal_arn)
            if how is None:
                continue
        if not any(_glob(a, action, True) for a in _list(st["Action"])):
            continue
        if "Resource" in st and not any(_glob(r, resource, False) for r in _list(st["Resource"])):
            continue
        if not _condition_holds(st.get("Condition"), context):
            continue
        found.append((st, how))
    return found


def describe(st):
    """A short name of a statement for the decision log."""
    return st.get("Sid") or "%s %s" % (st.get("Effect"), ",".join(_list(st.get("Action"))))
