"""Imported once by the generation runner's fork server (generation_runner): loads the spaCy
model and the generator's tables, so every generation forked from it starts warm.

Never imported by the web app itself: importing this module costs about a second.
"""

from __future__ import annotations

import os

from ..articles import parse_article
from .generation_runner import _lower_priority

# One thread each for the numeric libraries: a generation is given one core's worth of CPU time
# (RLIMIT_CPU counts every thread), and the web workers keep the other cores.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def _warm() -> None:
    _lower_priority()  # loading the model must not slow the web workers down either
    from ..generation import generate_bank  # spaCy and the model: loaded here, once

    text = b"Ada Lovelace met Charles Babbage in London on 5 June 1833. About 300 people came."
    generate_bank(parse_article(text, "warm.txt", "txt"))


try:
    _warm()
except Exception:  # noqa: BLE001 - a missing model is reported by the generation itself
    pass
