"""One turn of a conversation, without Qt: what the model is sent (`request.build_request`, the one
place that builds it), and a reply started, checkpointed and finished in the store
(`service.TurnService`, `turn.Turn`, `turn.run`). The window's controller and `deskseek chat`
(`cli.py`) go through these, and so does the API server that is coming (issue 13).

Nothing is imported here, so `deskseek chat` (which never opens the history) loads only what it uses.
"""
