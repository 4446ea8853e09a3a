"""The ``privnum`` command: ``python -m privnum …`` or the ``privnum`` script.

Every operation of the platform API, request signing, push parsing and the
emulator, from the shell; ``privnum --help`` lists them. It is the Rust
command (``privnum::cli``) itself, so it behaves the same everywhere.
"""

from __future__ import annotations

import sys

from ._native import _cli_main


def main() -> int:
    """Run the command with ``sys.argv``; returns the exit status."""
    sys.stdout.flush()
    sys.stderr.flush()
    return _cli_main(["privnum", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
