"""R4 bad-input cases for the state directory, records and locks: depth, overflow, permissions, links (issue 14).

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged.
"""


def cases():
    from trials_r4 import Case  # noqa: F401  (imported here: trials_r4 imports this module)
    return []
