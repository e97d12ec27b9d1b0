"""`python -m tests.hubfake FOLDER`: serve FOLDER/owner/name/... as Hub repos until Ctrl+C."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.hubfake.server import FakeHub


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m tests.hubfake FOLDER   (FOLDER/owner/name/ holds each repo's files)")
        return 2
    root = Path(argv[0])
    hub = FakeHub()
    for owner in sorted(p for p in root.iterdir() if p.is_dir()):
        for repo in sorted(p for p in owner.iterdir() if p.is_dir()):
            hub.add_repo(f"{owner.name}/{repo.name}", folder=repo)
    hub.start()
    print(f"hub {hub.url}  cdn {hub.cdn_url}  repos: {', '.join(hub.repos) or 'none'}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
