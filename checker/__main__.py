"""``python -m checker`` and the ``jixiao`` console script (``checker.__main__:main``): the process's entry."""

import gc

# The collector is paused while the CLI is imported, and what the imports made is then frozen (never traversed
# by a collection again) before it resumes: ~20,000 objects that live as long as the process (typer, click,
# our modules' functions and classes), which the young generations' collections would otherwise traverse
# twice each, ~12 ms of a cold check. Only here, in the program's entry, never in a module a library imports.
_collecting = gc.isenabled()
gc.disable()
try:
    from checker.cli import main
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
