"""DeskSeek runtime: hardware detection, model inspection, planning and inference engines.

Qt-free by rule (import-linter checks it): the runtime can run in the window's worker thread,
in a terminal (`python -m runtime`), or later in a separate process.
"""
