"""Qt-free models: the Hub, downloads, the local library.

The Hub side (what the window's Models page calls; every call blocks on the network, so run it
off the GUI thread; every failure is a HubError with a sentence for the user):

    hub.HubClient(endpoint=None, token=None)        endpoint: explicit > setting > HF_ENDPOINT > the Hub
                                                    (pass endpoint_setting(store) through resolve_endpoint);
                                                    token None: the keyring's, False: none
        .search(text, limit=30) -> [RepoSummary(repo_id, downloads, likes, tags, gated)]
        .repo_files(repo_id, revision=None) -> RepoFiles(repo_id, revision, gated,
                                               files=(RemoteFile(path, size, sha256|None), ...))
        .locate(repo_id, path, revision) -> FileLocation(url, needs_token, size, sha256, commit)
    remote_plan.plan_repo(client, repo_id, hardware, prefs=PlanPreferences(), cache=HeaderCache(...),
                          revision=None, disk_speed=machine.models_disk_speed())
        -> RepoPlan(repo_id, revision, verdicts, bytes_fetched); .recommended -> Verdict | None
        Verdict(model: RemoteModel(repo_id, revision, files, quant; .path .size_bytes .uri),
                info: ModelInfo | None, plan: Plan | None, summary: str | None (one line),
                reason: str (the planner's sentence), recommended: bool; .fits, .quant)
    remote_plan.plan_uri(client, "hf://OWNER/REPO/PATH.gguf", hardware, prefs, cache, disk_speed)
        -> (ModelInfo, PlanResult)
    remote_header.HeaderCache(app_paths().cache)     headers read once, kept by sha256
    endpoint.resolve_endpoint(explicit, setting), endpoint_setting(store), save_endpoint_setting(store, url)
    tokens.save_token(endpoint, token), load_token(endpoint), forget_token(endpoint)   (OS keyring)
    machine.models_disk_speed(), machine.disk_speed_cache()    for the memory-mapped last resort
    cli: `deskseek models search|files|login|logout`, `deskseek plan hf://…`

The download side (thread-based; the queue's listener is called on its worker thread, so the
window adapts it with queued signals; failures are DeskSeekError sentences):

    pull.PullRequest(repo, files, endpoint, dest_root, revision="main", token=None)
        .for_file(repo, path, endpoint, dest_root, **kw)   any shard names all of a split model
        .first_path                                       <dest_root>/<owner>/<repo>/<first file>
    pull.pull(request, control=None, on_progress=None) -> Path   blocking; the first file's final path
    pull.interrupted_downloads(models_dir) -> [PullRequest]      partial files left by earlier sessions
    download.DownloadControl(): .pause() keeps the partial file, .cancel() deletes it
    progress.Progress(done, total, rate, eta; .fraction)        a few times a second
    download_queue.DownloadQueue(listener)                        one download at a time
        .add(request, paused=False) -> job id; .pause(id) .resume(id) .cancel(id); .jobs(); .close()
        listener.job_changed(DownloadJob)   queued / running / paused / done / failed / cancelled
        listener.job_progress(DownloadJob)  DownloadJob(id, request, state, progress, path, message)
    download_errors: ChecksumError, DiskSpaceError, ConnectionLostError (DownloadError); DownloadStopped
    pull_cli: `deskseek pull OWNER/REPO[/PATH.gguf | :QUANT] [--dir DIR] [--endpoint URL]`
"""
