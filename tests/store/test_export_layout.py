"""The JSON export as the file a user opens: its exact bytes (one-space indent, Chinese text as
itself, not \\u escapes), every key in its place, each file once with its type; and an export of
chosen conversations holds every one still there, whichever of them is gone."""
import base64
import hashlib
import json
import re

from app.store import export_json, import_data

PNG = b"\x89PNG fake"
LEASE = "租金每月一号交。".encode()
PNG_SHA, LEASE_SHA = hashlib.sha256(PNG).hexdigest(), hashlib.sha256(LEASE).hexdigest()


def history(cid="C1", title="租约"):
    """One conversation with fixed ids and times (imported, so every byte of its export is known):
    a question with an attached picture, a reply citing a document, the document."""
    return {"format": "deskseek-history", "version": 1, "conversations": [{
        "id": cid, "title": title, "model": "deepseek-r1", "created": "2026-01-02T03:04:05Z",
        "updated": "2026-01-02T03:05:00Z", "active_leaf_id": f"{cid}-M2", "messages": [
            {"id": f"{cid}-M1", "role": "user", "content": "车库密码是多少？", "status": "done",
             "created": "2026-01-02T03:04:06Z", "attachments": [{"sha256": PNG_SHA, "name": "门.png"}]},
            {"id": f"{cid}-M2", "parent_id": f"{cid}-M1", "role": "assistant", "content": "7421 [1]",
             "status": "done", "created": "2026-01-02T03:04:07Z",
             "sources": [{"name": "租约.txt", "location": "", "text": "租金每月一号交。"}]}],
        "documents": [{"id": f"{cid}-D1", "sha256": LEASE_SHA, "name": "租约.txt", "kind": "text", "pages": 0,
                       "created": "2026-01-02T03:04:05Z", "passages": [["", "租金每月一号交。"]]}]}],
        "attachments": {PNG_SHA: {"mime": "image/png", "data_base64": base64.b64encode(PNG).decode()},
                        LEASE_SHA: {"mime": "", "data_base64": base64.b64encode(LEASE).decode()}}}


EXPECTED = """{
 "format": "deskseek-history",
 "version": 1,
 "exported": "EXPORTED",
 "conversations": [
  {
   "id": "C1",
   "title": "租约",
   "model": "deepseek-r1",
   "created": "2026-01-02T03:04:05Z",
   "updated": "2026-01-02T03:05:00Z",
   "active_leaf_id": "C1-M2",
   "pinned": false,
   "archived": false,
   "system_prompt": "",
   "options": "{}",
   "deleted": null,
   "origin": "",
   "messages": [
    {
     "id": "C1-M1",
     "conversation_id": "C1",
     "parent_id": null,
     "role": "user",
     "content": "车库密码是多少？",
     "reasoning": "",
     "model": "",
     "engine": "",
     "status": "done",
     "finish_reason": "",
     "prompt_tokens": 0,
     "completion_tokens": 0,
     "time_to_first_token_s": null,
     "total_s": 0.0,
     "error": null,
     "created": "2026-01-02T03:04:06Z",
     "plan_reason": "",
     "attachments": [
      {
       "sha256": "075f8e3f22fcb592f1c27b086375ceeaacc767bd43a4583cffd38685d3a1d9bb",
       "name": "门.png",
       "mime": "image/png",
       "size": 9
      }
     ]
    },
    {
     "id": "C1-M2",
     "conversation_id": "C1",
     "parent_id": "C1-M1",
     "role": "assistant",
     "content": "7421 [1]",
     "reasoning": "",
     "model": "",
     "engine": "",
     "status": "done",
     "finish_reason": "",
     "prompt_tokens": 0,
     "completion_tokens": 0,
     "time_to_first_token_s": null,
     "total_s": 0.0,
     "error": null,
     "created": "2026-01-02T03:04:07Z",
     "plan_reason": "",
     "attachments": [],
     "sources": [
      {
       "name": "租约.txt",
       "location": "",
       "text": "租金每月一号交。"
      }
     ]
    }
   ],
   "documents": [
    {
     "id": "C1-D1",
     "sha256": "ba2203236bc6f9f3a62211a838eaecf11f2745ba0ec6ceb296f36fb6e71d92b5",
     "name": "租约.txt",
     "kind": "text",
     "pages": 0,
     "created": "2026-01-02T03:04:05Z",
     "passages": [
      [
       "",
       "租金每月一号交。"
      ]
     ]
    }
   ]
  }
 ],
 "attachments": {
  "075f8e3f22fcb592f1c27b086375ceeaacc767bd43a4583cffd38685d3a1d9bb": {
   "mime": "image/png",
   "data_base64": "iVBORyBmYWtl"
  },
  "ba2203236bc6f9f3a62211a838eaecf11f2745ba0ec6ceb296f36fb6e71d92b5": {
   "mime": "",
   "data_base64": "56ef6YeR5q+P5pyI5LiA5Y+35Lqk44CC"
  }
 }
}"""


def test_the_export_file_is_exactly_these_bytes(tmp_path, store):
    import_data(store, history())
    path = tmp_path / "export.json"
    assert export_json(store, path) == 1
    raw = path.read_bytes()
    exported = json.loads(raw)["exported"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", exported)
    assert raw == EXPECTED.replace("EXPORTED", exported).encode("utf-8")


def test_an_export_of_chosen_conversations_skips_a_gone_one_and_keeps_the_rest(tmp_path, store):
    import_data(store, history("C1", "First"))
    import_data(store, history("C2", "Second"))
    path = tmp_path / "chosen.json"
    assert export_json(store, path, ["C1", "GONE", "C2"]) == 2
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [(c["id"], c["title"]) for c in data["conversations"]] == [("C1", "First"), ("C2", "Second")]
    assert sorted(data["attachments"]) == sorted([PNG_SHA, LEASE_SHA])
