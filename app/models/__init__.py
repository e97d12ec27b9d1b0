"""Qt-free models: the Hub, downloads, the local library."""
