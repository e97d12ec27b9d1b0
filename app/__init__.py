"""DeskSeek desktop program: the window (app.ui), what it keeps (app.store), documents."""
