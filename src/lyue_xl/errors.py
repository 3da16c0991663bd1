"""The one exception type users see: something they must fix before anything can run."""


class LyueError(Exception):
    """Something the user must fix before anything can run; ``str()`` is shown as is (Chinese).

    The command line turns it into exit code 2 and one line on stderr.
    """
