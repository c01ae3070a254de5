#!/usr/bin/env python3
"""Fast checks of globus_emulator_submit's pure parts (scope strings, transfer documents), no
servers: python3 scripts/lib/globus_emulator_selftest.py. The emulator's routes are tested
end to end from Swift (Tests/CopyPTIntegrationTests/GlobusSubmissionEmulatorTests.swift)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import globus_emulator_submit as g  # noqa: E402

A = "1f2e3d4c-5b6a-4789-8abc-def012345678"
B = "aa4e5f9c-05f3-11e8-a6ad-0a448319c2f8"


class Scopes(unittest.TestCase):
    def test_plain_and_openid(self):
        names, consents = g.grant_of("openid profile email " + g.TRANSFER_SCOPE)
        self.assertEqual(names, ["openid", "profile", "email", g.TRANSFER_SCOPE])
        self.assertEqual(consents, set())

    def test_dependencies_optional_or_not(self):
        text = "%s[*%s %s]" % (g.TRANSFER_SCOPE, g.data_access_scope(A), g.data_access_scope(B.upper()))
        names, consents = g.grant_of(text)
        self.assertEqual(names, [g.TRANSFER_SCOPE])
        self.assertEqual(consents, {A, B})

    def test_consent_scope_round_trips(self):
        self.assertEqual(g.grant_of(g.consent_scope([A, B]))[1], {A, B})
        self.assertEqual(g.consent_scope([A]), "%s[*https://auth.globus.org/scopes/%s/data_access]" % (g.TRANSFER_SCOPE, A))

    def test_dependency_of_another_scope_grants_nothing(self):
        self.assertEqual(g.grant_of("other:scope[*%s]" % g.data_access_scope(A))[1], set())

    def test_malformed(self):
        for text in ("%s[*x" % g.TRANSFER_SCOPE, "a]", "a[*]", "*"):
            with self.assertRaises(ValueError, msg=text):
                g.parse_scopes(text)


class Documents(unittest.TestCase):
    def doc(self, **change):
        d = {"DATA_TYPE": "transfer", "submission_id": A, "source_endpoint": A, "destination_endpoint": B,
             "DATA": [{"DATA_TYPE": "transfer_item", "source_path": "/a/", "destination_path": "/b/", "recursive": True}]}
        d.update(change)
        return d

    def test_good(self):
        self.assertIsNone(g.Submissions.check(self.doc(sync_level=3, deadline="2030-01-01T00:00:00Z", label="run42")))

    def test_refusals(self):
        bad = [dict(DATA=[]), dict(DATA="x"), dict(sync_level=4), dict(sync_level=True), dict(deadline="soon"),
               dict(verify_checksum="yes"), dict(label="x" * 129), dict(source_endpoint=""),
               dict(DATA=[{"DATA_TYPE": "transfer_item", "source_path": "a", "destination_path": "/b"}]),
               dict(DATA=[{"DATA_TYPE": "delete_item", "path": "/a"}])]
        for change in bad:
            self.assertIsNotNone(g.Submissions.check(self.doc(**change)), change)
        self.assertEqual(g.Submissions.check(self.doc(DATA=[]))[1], "ClientError.BadRequest.NoTransferItems")


class Sessions(unittest.TestCase):
    def test_mfa_and_domain(self):
        c = {"session_required_mfa": True, "session_required_single_domain": ["uchicago.edu"]}
        self.assertTrue(g.Submissions.session_lacking(c, None))
        self.assertTrue(g.Submissions.session_lacking(c, g.session_of({"session_required_mfa": "true"})))
        self.assertFalse(g.Submissions.session_lacking(c, g.session_of(
            {"session_required_mfa": "true", "session_required_single_domain": "a.edu,uchicago.edu"})))


if __name__ == "__main__":
    unittest.main(verbosity=1)
