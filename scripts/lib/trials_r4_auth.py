"""R4 bad-input cases for token health (issue 18 items 6-7): `copypt auth check` and the sweep's
--warn-refresh-age. (The once-a-day notices file is a cache outside the state directory; its
unreadable and symlinked forms are pinned by Tests/CopyPTCLITests/DailyNoticesTests.swift.)

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged.
"""


def cases():
    from trials_r4 import Case, says  # imported here: trials_r4 imports this module
    sweep = ["copypt-sweep", "--once"]
    check = ["copypt", "auth", "check"]
    return [
        Case("sweep: --warn-refresh-age not a duration", sweep + ["--warn-refresh-age", "soon"], rcs=(2,)),
        Case("sweep: --warn-refresh-age negative", sweep + ["--warn-refresh-age", "-5d"], rcs=(2,)),
        Case("auth check: --warn-refresh-age not a duration", check + ["--warn-refresh-age", "30 days"], rcs=(2,)),
        Case("auth check: an unknown subcommand", ["copypt", "auth", "chek"], rcs=(2,), check=says("check")),
    ]
