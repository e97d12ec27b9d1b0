"""A Git LFS pointer saved in place of a model: a few lines of text that name the real file.

A repository cloned without git-lfs (or a "raw" link followed in a browser) leaves these behind
under the model's own name, so they are the most common "model file" that is not one.
"""
from __future__ import annotations

import re

POINTER_START = b"version https://git-lfs.github.com/spec/v1"
POINTER_MAX_BYTES = 1024  # the LFS spec keeps pointer files under 1024 bytes


def pointer_sentence(name: str, head: bytes) -> str | None:
    """What to tell the user when `head` (the file's first bytes) is an LFS pointer, else None."""
    if not head.startswith(POINTER_START):
        return None
    from runtime.planning.words import size  # one way of writing sizes for every sentence

    found = re.search(rb"^size (\d+)\s*$", head, re.MULTILINE)
    real = f" (the real file is {size(int(found.group(1)))})" if found else ""
    return (f"{name} is a Git LFS pointer, a small text file that stands in for the model{real}, "
            "not the model itself. Download the real file: run `git lfs pull` in the cloned "
            "repository (with git-lfs installed), or use the file's download link on its "
            "Hugging Face page.")
