"""Safe, mechanical fixes (``jixiao fix``, ``jixiao check --fix``): each answers an active finding of one
rule, keeps what the value means, and is written into a copy of the file with only those cells changed.

``plan`` decides what to change from a checked file; ``xlsx`` and ``text`` write it; ``run`` ties them to
files on disk (never a partial file, never over the input unless ``--in-place``, then with a ``.bak``).
"""
