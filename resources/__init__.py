"""Package data: styles, icons, translations."""
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent


def read_text(name: str) -> str:
    return (RESOURCES / name).read_text(encoding="utf-8")
