"""R4 bad-input cases for the Globus health of waiting transfers (issue 18 items 1-3):
`--stall-after` values no duration can be read from, and records whose `globus_health` a
person edited into something copypt cannot read. Each must exit non-zero with one clear line,
change nothing and never crash.

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged.
"""

SINCE = "2026-11-25T09:41:08Z"


def cases():
    from trials_r4 import Case, says  # imported here: trials_r4 imports this module
    sweep = ["copypt-sweep", "--once"]
    return [
        Case("sweep: --stall-after 0", sweep + ["--stall-after", "0s"], rcs=(2,), check=says("--stall-after")),
        Case("sweep: --stall-after negative", sweep + ["--stall-after", "-5m"], rcs=(2,)),
        Case("sweep: --stall-after not a duration", sweep + ["--stall-after", "soon"], rcs=(2,)),
        Case("sweep: --stall-after with an unknown unit", sweep + ["--stall-after", "6x"], rcs=(2,)),
        Case("record: globus_health of an unknown class", sweep, state="record",
             files={"RECORD": {"globus_health": {"class": "sleepy", "since": SINCE}}}),
        Case("record: globus_health without since", sweep, state="record",
             files={"RECORD": {"globus_health": {"class": "stalled"}}}),
        Case("record: globus_health a string", sweep, state="record", files={"RECORD": {"globus_health": "stalled"}}),
        Case("record: globus_health faults negative-huge", sweep, state="record",
             files={"RECORD": {"globus_health": {"class": "faulting", "since": SINCE, "faults": -99999999999999999999}}}),
    ]
