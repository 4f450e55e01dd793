"""Exit codes scripts can rely on (also in docs/cli.md)."""

OK = 0
FAILED = 1  # the command ran and the answer is "no": an invalid policy, a refused action
USAGE = 2  # bad arguments (argparse's own code)
NOT_FOUND = 3  # unknown group, version or policy
ENVIRONMENT = 4  # configuration or AWS unreachable
PIPE_CLOSED = 141  # the reader closed the pipe (`| head`): 128 + SIGPIPE, as other tools exit
