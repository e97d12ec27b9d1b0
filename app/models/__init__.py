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
"""
