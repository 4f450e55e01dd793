"""Exit codes scripts can rely on (also in the README)."""

OK = 0
FAILED = 1  # the command ran and the answer is "no": an invalid policy, a refused action
USAGE = 2  # bad arguments (argparse's own code)
NOT_FOUND = 3  # unknown group, version or policy
ENVIRONMENT = 4  # configuration or AWS unreachable
