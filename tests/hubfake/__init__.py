"""A fake Hugging Face Hub on 127.0.0.1 for tests and benchmarks: the Hub and a CDN, real HTTP.

It answers as huggingface_hub 2.4.0 expects (checked against its hf_api.py, file_download.py and
utils/_http.py):
  GET  /api/models?search=&filter=&author=&sort=&limit=&full=   a list; Link rel="next" pages
  GET  /api/models/{owner}/{name}[/revision/{rev}][?blobs=true]  siblings (+ size, blobId, lfs.sha256/size)
  GET  /api/models/{owner}/{name}/tree/{rev}[/{path}]?recursive=true   files with oid, size, lfs.oid/size
  HEAD/GET /{owner}/{name}/resolve/{rev}/{path}
        LFS file (*.gguf, *.safetensors..., or >= 10 MiB): 302 to the CDN (another port, so
        huggingface_hub does not follow it) with X-Repo-Commit, X-Linked-Etag ("sha256"),
        X-Linked-Size, ETag; a small file: 200 from the Hub itself with X-Repo-Commit and ETag.
  CDN  HEAD/GET /repos/xx/yy/{sha256}?...&X-Amz-Signature=...   Range -> 206 + Content-Range;
        a start past the end -> 416 "bytes */SIZE"; expired signature -> 403.
Errors: JSON {"error": ...} with X-Error-Code RepoNotFound / RevisionNotFound / EntryNotFound (404),
GatedRepo (401, a gated repo's resolve without a token); a token not in hub.tokens -> 401
"Invalid credentials in Authorization header". Revisions: "main" and the repo's commit sha.

Use:
    from tests.hubfake import FakeHub            # or the pytest fixture `fake_hub` (fixture.py)
    with FakeHub() as hub:
        hub.add_smollm2()                         # HuggingFaceTB/SmolLM2-135M-Instruct-GGUF, real file
        hub.add_repo("me/models", folder=Path(...), gated="manual", tags=["gguf"])
        model = sparse_gguf.write_deepseek(tmp / "v3", "Q4_K_M")      # 9 shards, ~378 GiB claimed
        hub.add_sparse("unsloth/DeepSeek-V3-GGUF", model, folder_in_repo="Q4_K_M")
        hub.url, hub.cdn_url                      # endpoints
        hub.tokens.add("hf_ok")                   # tokens that open gated repos
        hub.faults.cut_after(1 << 20, times=1, match="SmolLM2")   # drop the connection mid-file
        hub.faults.corrupt(offset=12345)          # one inverted byte (sha256 mismatch)
        hub.faults.fail_status(503, times=2)      # CDN errors; server="hub" for the Hub
        hub.faults.throttle(2e6)                  # ~2 MB/s (progress, pause, cancel)
        hub.faults.expire_urls()                  # CDN links handed out so far answer 403
        hub.stop(); hub.restart()                 # go away (connections dropped); come back, same ports
        hub.stop_cdn()                            # only the CDN goes away
        hub.requests                              # RequestRecord(server, method, path, range, status, bytes_sent)
        hub.bytes_served(server="cdn", path_contains="Q4_K_M"); hub.reset_log()
`python -m tests.hubfake FOLDER` serves each FOLDER/owner/name/ as a repo until Ctrl+C (for curl).
"""
from tests.hubfake.faults import Faults, RequestRecord
from tests.hubfake.server import SMOLLM2_REPO, FakeHub

__all__ = ["FakeHub", "Faults", "RequestRecord", "SMOLLM2_REPO"]
