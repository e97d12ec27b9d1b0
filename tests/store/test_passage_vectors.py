"""Passage vectors on real SQLite files: which passages and conversations still want a model's
vectors, storing them (a passage removed meanwhile skipped), and forgetting an earlier pass's."""


def add(store, cid, name, *texts):
    return store.add_document(cid, name, name.encode() + b"".join(t.encode() for t in texts), "text", 1,
                              [(f"p. {i + 1}", t) for i, t in enumerate(texts)])


def seqs(store, cid, model="m", size=8):
    return [seq for seq, _text in store.passages_without_vectors(cid, model, size)]


def test_whether_any_passage_is_stored(store):
    assert store.has_passages() is False
    c = store.create_conversation()
    doc = add(store, c.id, "a.txt", "One passage.")
    assert store.has_passages() is True
    store.remove_document(doc.id)
    assert store.has_passages() is False


def test_vectors_are_stored_for_live_passages_and_listed_in_order(store):
    c = store.create_conversation()
    doc = add(store, c.id, "a.txt", "First passage.", "Second passage.", "Third passage.")
    first, second, third = seqs(store, c.id)
    assert store.add_passage_vectors("m", []) == 0
    assert store.add_passage_vectors("m", [(first, b"\x01" * 8), (third, b"\x03" * 8), (99999, b"\x09" * 8)]) == 2
    assert store.passage_vectors(c.id, "m") == [(first, b"\x01" * 8), (third, b"\x03" * 8)]
    assert store.passages_without_vectors(c.id, "m", 8) == [(second, "Second passage.")]
    assert store.add_passage_vectors("m", [(second, b"\x02" * 8), (first, b"\x11" * 8)]) == 2  # replaces
    assert store.passage_vectors(c.id, "m") == [(first, b"\x11" * 8), (second, b"\x02" * 8),
                                                (third, b"\x03" * 8)]
    store.remove_document(doc.id)
    assert store.passage_vectors(c.id, "m") == []


def test_the_conversations_still_wanting_a_models_vectors_of_a_size(store):
    done, wanting, empty = (store.create_conversation() for _ in range(3))
    add(store, done.id, "done.txt", "All embedded.")
    add(store, wanting.id, "wanting.txt", "Embedded.", "Not yet.")
    store.add_passage_vectors("m", [(s, b"\0" * 8) for s in seqs(store, done.id)] +
                              [(seqs(store, wanting.id)[0], b"\0" * 8)])
    assert store.conversations_without_vectors("m", 8) == [wanting.id]
    assert sorted(store.conversations_without_vectors("m", 16)) == sorted([done.id, wanting.id])  # wrong size
    assert sorted(store.conversations_without_vectors("other", 8)) == sorted([done.id, wanting.id])


def test_forgetting_an_earlier_pass_of_a_model_keeps_the_current_one_and_other_models(store):
    c = store.create_conversation()
    add(store, c.id, "a.txt", "First passage.", "Second passage.")
    pair = seqs(store, c.id)
    for model in ("use-v1", "use-v1-f16", "use-v2", "usual", "other"):
        store.add_passage_vectors(model, [(s, model.encode()) for s in pair])
    assert store.forget_passage_vectors("use-", "use-v2") == 4
    for model, left in (("use-v1", []), ("use-v1-f16", []), ("use-v2", pair), ("usual", pair), ("other", pair)):
        assert store.passage_vectors(c.id, model) == [(s, model.encode()) for s in left]
    assert store.forget_passage_vectors("use-", "use-v2") == 0
