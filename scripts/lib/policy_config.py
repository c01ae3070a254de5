"""policy_config: the configuration of scripts/policy-s3 and the authorization decisions made from it.

Python 3 standard library only. Config(doc) checks a whole POST /__policy/config document (raising
policy_iam.PolicyError with a one-line reason) and answers:

    authorize(principal_arn, action, bucket, key, context) -> (allowed, why)
    kms_allowed(principal_arn, action, key_arn)             -> (allowed, why)

Rules (see scripts/policy-s3 for the whole list):
  - an explicit Deny in the principal's identity policies or the bucket policy wins;
  - a principal with no entry in identity_policies is its account's administrator (its identity
    allows everything); an entry, even an empty list, means exactly those policies;
  - the account root (arn:aws:iam::ACCT:root) is always allowed on its own buckets;
  - same account: the identity policy allows, or the bucket policy names the principal (by ARN, by
    its role ARN for an assumed role, or "*"); a bucket policy naming only the account delegates
    to the identity policy;
  - cross-account: the identity policy allows AND the bucket policy allows (by ARN, role ARN,
    "*" or the account).
  - KMS: the key policy decides; a statement naming the principal grants directly to a principal of
    the key's account; naming the account (or any cross-account grant) also needs the principal's
    identity policy to allow the kms: action on the key ARN. A Deny anywhere wins.
"""

import copy
import re

import policy_iam as iam

OWNERSHIP = ("BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter")
PRINCIPAL_RE = re.compile(r"^arn:aws:(iam::[0-9]{12}:(user|role)/.+|iam::[0-9]{12}:root|"
                          r"sts::[0-9]{12}:assumed-role/[^/]+/.+)$")
KMS_RE = re.compile(r"^arn:aws:kms:[a-z0-9-]+:([0-9]{12}):key/(.+)$")
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def _need(cond, message):
    if not cond:
        raise iam.PolicyError(message)


class Config:
    def __init__(self, doc):
        _need(isinstance(doc, dict), "the configuration must be a JSON object")
        unknown = set(doc) - {"principals", "buckets", "identity_policies", "kms_keys"}
        _need(not unknown, "unknown configuration field %s" % (sorted(unknown)[0] if unknown else ""))
        doc = copy.deepcopy(doc)
        self.principals = doc.get("principals") or {}
        self.buckets = doc.get("buckets") or {}
        self.identity = doc.get("identity_policies") or {}
        self.kms_keys = doc.get("kms_keys") or {}
        for name in ("principals", "buckets", "identity_policies", "kms_keys"):
            _need(isinstance(doc.get(name) or {}, dict), "%s must be an object" % name)
        for key, p in self.principals.items():
            _need(isinstance(p, dict) and isinstance(p.get("secret"), str) and p["secret"],
                  "principal %s needs a secret" % key)
            _need(isinstance(p.get("arn"), str) and PRINCIPAL_RE.match(p["arn"]),
                  "principal %s needs an arn (arn:aws:iam::ACCT:user/NAME, role/NAME, root or "
                  "arn:aws:sts::ACCT:assumed-role/ROLE/SESSION)" % key)
        for name, b in self.buckets.items():
            _need(BUCKET_RE.match(name), "bucket name %r is not valid" % name)
            _need(isinstance(b, dict) and isinstance(b.get("owner"), str) and iam.ACCOUNT_RE.match(b["owner"]),
                  "bucket %s needs an owner (a 12-digit account id)" % name)
            b.setdefault("region", "us-east-1")
            b.setdefault("object_ownership", "ObjectWriter")
            _need(b["object_ownership"] in OWNERSHIP, "bucket %s: object_ownership must be one of %s" % (
                name, ", ".join(OWNERSHIP)))
            if b.get("policy") is not None:
                try:
                    iam.validate(b["policy"], "bucket")
                except iam.PolicyError as e:
                    raise iam.PolicyError("bucket %s policy: %s" % (name, e)) from None
        for arn, policies in self.identity.items():
            _need(isinstance(policies, list), "identity_policies[%s] must be a list of policies" % arn)
            for pol in policies:
                try:
                    iam.validate(pol, "identity")
                except iam.PolicyError as e:
                    raise iam.PolicyError("identity policy of %s: %s" % (arn, e)) from None
        for arn, k in self.kms_keys.items():
            _need(KMS_RE.match(arn), "kms key %s must be a key ARN arn:aws:kms:REGION:ACCT:key/ID" % arn)
            _need(isinstance(k, dict) and isinstance(k.get("policy"), dict), "kms key %s needs a policy" % arn)
            try:
                iam.validate(k["policy"], "key")
            except iam.PolicyError as e:
                raise iam.PolicyError("key policy of %s: %s" % (arn, e)) from None

    def document(self):
        return {"principals": {k: {**v, "secret": "(hidden)"} for k, v in self.principals.items()},
                "buckets": self.buckets, "identity_policies": self.identity, "kms_keys": self.kms_keys}

    # MARK: - identity

    def identity_policies(self, principal_arn):
        """The principal's identity policies, or None when it has no entry (an administrator)."""
        for arn in (principal_arn, iam.role_arn_of(principal_arn)):
            if arn in self.identity:
                return self.identity[arn]
        return None

    def _identity(self, principal_arn, action, resource, context):
        """('deny'|'allow'|'none', why) from the identity policies."""
        policies = self.identity_policies(principal_arn)
        if policies is None:
            return "allow", "no identity policies configured (administrator)"
        for pol in policies:
            hit = iam.statements_matching(pol, "Deny", principal_arn, action, resource, context)
            if hit:
                return "deny", "explicit deny in identity policy (%s)" % iam.describe(hit[0][0])
        for pol in policies:
            hit = iam.statements_matching(pol, "Allow", principal_arn, action, resource, context)
            if hit:
                return "allow", "identity policy allows (%s)" % iam.describe(hit[0][0])
        return "none", "no identity policy allows it"

    def kms_key(self, key_id):
        """The configured key ARN for a key ARN or bare key id, or None."""
        if key_id in self.kms_keys:
            return key_id
        for arn in self.kms_keys:
            m = KMS_RE.match(arn)
            if m and m.group(2) == key_id:
                return arn
        return None

    # MARK: - decisions

    def authorize(self, principal_arn, action, bucket, key, context):
        """(allowed, why) for an S3 action on bucket (and key, or None for the bucket itself)."""
        resource = "arn:aws:s3:::%s" % bucket + ("" if key is None else "/" + key)
        account = iam.account_of(principal_arn)
        owner = self.buckets[bucket]["owner"]
        ident, ident_why = self._identity(principal_arn, action, resource, context)
        if ident == "deny":
            return False, ident_why
        policy = self.buckets[bucket].get("policy")
        denied = iam.statements_matching(policy, "Deny", principal_arn, action, resource, context)
        if denied:
            return False, "explicit deny in the bucket policy of %s (%s)" % (bucket, iam.describe(denied[0][0]))
        if principal_arn == "arn:aws:iam::%s:root" % account and account == owner:
            return True, "the bucket owner's root"
        allows = iam.statements_matching(policy, "Allow", principal_arn, action, resource, context)
        exact = [st for st, how in allows if how == "exact"]
        if account == owner:
            if ident == "allow":
                return True, "same account: " + ident_why
            if exact:
                return True, "same account: the bucket policy allows (%s)" % iam.describe(exact[0])
            return False, "same account: %s and no bucket policy statement names the principal" % ident_why
        if not allows:
            return False, "cross-account (owner %s): no statement in the bucket policy of %s allows %s" % (
                owner, bucket, action)
        if ident != "allow":
            return False, "cross-account: the bucket policy allows but %s" % ident_why
        return True, "cross-account: %s and the bucket policy allows (%s)" % (ident_why, iam.describe(allows[0][0]))

    def kms_allowed(self, principal_arn, action, key_arn):
        """(allowed, why) for a kms: action on a configured key."""
        policy = self.kms_keys[key_arn]["policy"]
        key_account = KMS_RE.match(key_arn).group(1)
        account = iam.account_of(principal_arn)
        ident, ident_why = self._identity(principal_arn, action, key_arn, {})
        if ident == "deny":
            return False, ident_why
        if iam.statements_matching(policy, "Deny", principal_arn, action, key_arn, {}):
            return False, "explicit deny in the key policy"
        allows = iam.statements_matching(policy, "Allow", principal_arn, action, key_arn, {})
        if not allows:
            return False, "no statement in the key policy allows %s" % action
        if account == key_account and any(how == "exact" for _, how in allows):
            return True, "the key policy allows the principal"
        if ident == "allow":
            return True, "the key policy allows the account and " + ident_why
        return False, "the key policy allows the account but " + ident_why
