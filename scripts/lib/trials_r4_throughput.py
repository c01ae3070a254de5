"""R4 bad-input cases for adaptive concurrency (issue 16, Swift side): `--concurrency` (a fixed width)
and `--max-concurrency` (the adaptive default's cap) on `copypt copy` and the sweep, given together,
out of range or not numbers. Each must end in one readable line naming the flag, exit 2, and change
nothing (no request: the arguments are checked first).

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged.
"""


def cases():
    from trials_r4 import Case, says  # imported here: trials_r4 imports this module
    copy = ["copypt", "copy"]
    one = ["s3://r4-stg/run/a.dat", "s3://r4-dst/copy/a.dat"]
    sweep = ["copypt-sweep", "--once"]
    both = says("--concurrency", "--max-concurrency")
    return [
        Case("copy: --concurrency with --max-concurrency", copy + ["--concurrency", "8", "--max-concurrency", "64"] + one,
             rcs=(2,), check=both),
        Case("copy: --max-concurrency 0", copy + ["--max-concurrency", "0"] + one, rcs=(2,), check=says("--max-concurrency")),
        Case("copy: --max-concurrency 100000", copy + ["--max-concurrency", "100000"] + one, rcs=(2,),
             check=says("--max-concurrency")),
        Case("copy: --max-concurrency -5", copy + ["--max-concurrency", "-5"] + one, rcs=(2,)),
        Case("copy: --max-concurrency not a number", copy + ["--max-concurrency", "lots"] + one, rcs=(2,),
             check=says("--max-concurrency")),
        Case("copy: --concurrency 99999999999999999999", copy + ["--concurrency", "99999999999999999999"] + one, rcs=(2,)),
        Case("sweep: --concurrency with --max-concurrency", sweep + ["--concurrency", "4", "--max-concurrency", "64"],
             state="succeeded", rcs=(2,), check=both),
        Case("sweep: --max-concurrency 0", sweep + ["--max-concurrency", "0"], state="succeeded", rcs=(2,),
             check=says("--max-concurrency")),
        Case("sweep: --max-concurrency 5000", sweep + ["--max-concurrency", "5000"], state="succeeded", rcs=(2,),
             check=says("--max-concurrency")),
    ]
