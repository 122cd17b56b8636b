"""The one error a build step raises: the command line prints its message, without a traceback."""


class BuildError(Exception):
    """A build step failed; the message says which and why."""
