import os

# Before anything imports Qt: no display here, and never touch the user's real data.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
