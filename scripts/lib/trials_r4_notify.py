"""R4 bad-input cases for notifications and pings (issue 18 items 4-5): --notify-url,
COPYPT_NOTIFY_URL, --ping-url, --notify-command, copypt-add --notify-url.

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged. A webhook's path
is a secret (Slack's), so no message may repeat it.
"""

SECRET = "R4-webhook-path-SECRET-0001"


def _not_said(secret):
    """check: neither stdout nor stderr holds `secret`."""
    def check(ctx, case_dir, state_dir, result):
        return ["output repeats the secret" for text in (result.out, result.err) if secret in text]
    return check


def cases():
    from trials_r4 import Case, UUID_GOOD  # noqa: F401  (imported here: trials_r4 imports this module)
    sweep = ["copypt-sweep", "--once"]
    add = ["copypt-add", "--no-check", "--task", UUID_GOOD, "--from", "s3://r4-stg/run/", "--to", "s3://r4-dst/out/"]
    hidden = _not_said(SECRET)
    return [
        Case("notify: --notify-url not a URL", sweep + ["--notify-url", "hooks.slack.com/" + SECRET], rcs=(2,), check=hidden),
        Case("notify: --notify-url ftp://", sweep + ["--notify-url", "ftp://h.example/" + SECRET], rcs=(2,), check=hidden),
        Case("notify: --notify-url with user:password@", sweep + ["--notify-url", "https://u:%s@h.example/x" % SECRET],
             rcs=(2,), check=hidden),
        Case("notify: --notify-url with a fragment", sweep + ["--notify-url", "https://h.example/%s#frag" % SECRET],
             rcs=(2,), check=hidden),
        Case("notify: --notify-url with no host (https:///path)", sweep + ["--notify-url", "https:///" + SECRET],
             rcs=(2,), check=hidden),
        Case("notify: --notify-url with a newline", sweep + ["--notify-url", "https://h.example/%s\nX-Injected: 1" % SECRET],
             rcs=(2,), check=hidden),
        Case("notify: COPYPT_NOTIFY_URL not a URL", sweep, rcs=(2,), env={"COPYPT_NOTIFY_URL": "http:/h/" + SECRET},
             check=hidden),
        Case("notify: --ping-url empty", sweep + ["--ping-url", ""], rcs=(2,)),
        Case("notify: --ping-url javascript:", sweep + ["--ping-url", "javascript:alert(1)"], rcs=(2,)),
        Case("notify: --notify-command with an unclosed quote", sweep + ["--notify-command", "notify-send 'copypt"], rcs=(2,)),
        Case("notify: --notify-command empty", sweep + ["--notify-command", "   "], rcs=(2,)),
        Case("notify: --notify-command ending in a backslash", sweep + ["--notify-command", "notify-send \\"], rcs=(2,)),
        Case("notify: copypt-add --notify-url not http(s)", add + ["--notify-url", "file:///etc/" + SECRET], rcs=(2,),
             check=hidden),
    ]
