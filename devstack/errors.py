"""Why the local stack could not start or keep running; each message says what to do."""


class StackError(Exception):
    """The local stack cannot start or has stopped working."""


class PortInUseError(StackError):
    pass


class MissingDependencyError(StackError):
    pass


class PartCrashedError(StackError):
    pass
