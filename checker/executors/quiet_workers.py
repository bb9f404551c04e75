"""Imported by the local Dask cluster's fork server (its preload list, see dask.py) before it forks any
worker. Workers inherit its standard error, and a worker torn down while it starts (the run interrupted
by Ctrl-C) prints a multiprocessing traceback there; what happened to each file is in the outcomes, so
the workers' standard error goes nowhere. Only the fork server that jixiao started acts on this: it is
named by the environment variable below with its parent's process id; imported anywhere else, this
module does nothing."""

from __future__ import annotations

import os

VARIABLE = "JIXIAO_DASK_FORK_SERVER_PARENT"

if os.environ.get(VARIABLE) == str(os.getppid()):
    _devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(_devnull, 2)
    os.close(_devnull)
