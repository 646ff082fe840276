"""Writing the site's files: one small file in three system calls."""

from __future__ import annotations

import os


_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def write_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` (created or truncated, mode 0o666 minus the umask) in three syscalls."""
    fd = os.open(path, _OPEN_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
