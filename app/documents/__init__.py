"""Reading dropped documents into passages (Qt-free)."""
