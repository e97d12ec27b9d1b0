"""The sidebar's grouping rules as plain functions, and its Qt model over them (no widgets)."""
from datetime import date, datetime, timedelta, timezone

from PySide6.QtCore import Qt

from app.store import Conversation, SearchHit
from app.ui.sidebar_model import ConversationListModel
from app.ui.sidebar_rows import Header, Hit, Item, grouped_rows, hit_rows

TODAY = date(2026, 11, 28)


def conv(cid: str, days_ago: float, pinned=False, archived=False, title="") -> Conversation:
    local_noon = datetime(2026, 11, 28, 12).astimezone() - timedelta(days=days_ago)
    updated = local_noon.astimezone(timezone.utc).isoformat(timespec="microseconds")
    return Conversation(id=cid, title=title or cid, model="", created=updated, updated=updated,
                        pinned=pinned, archived=archived)


def shape(rows):
    return [r.group if isinstance(r, Header) else r.conversation.id for r in rows]


def test_pinned_first_then_today_yesterday_week_older_then_archived():
    rows = grouped_rows([conv("old", 30), conv("a", 0), conv("week", 5), conv("pin", 40, pinned=True),
                         conv("y", 1), conv("b", 0.1), conv("arch", 0, archived=True), conv("w7", 7),
                         conv("w8", 8)], TODAY)
    assert shape(rows) == ["pinned", "pin", "today", "a", "b", "yesterday", "y",
                           "week", "week", "w7", "older", "w8", "old", "archived", "arch"]


def test_empty_groups_have_no_header_and_a_future_time_counts_as_today():
    assert shape(grouped_rows([conv("soon", -2)], TODAY)) == ["today", "soon"]
    assert grouped_rows([], TODAY) == []


def hit(cid, mid, title="T", snippet="s"):
    return SearchHit(message_id=mid, conversation_id=cid, conversation_title=title, role="user",
                     model="", created="", snippet=snippet, highlights=((0, 1),), score=1.0)


def test_hits_keep_the_best_one_per_conversation_in_order():
    rows = hit_rows([hit("c1", "m1"), hit("c2", "m2"), hit("c1", "m3")])
    assert [(r.conversation_id, r.message_id) for r in rows] == [("c1", "m1"), ("c2", "m2")]
    assert hit_rows([]) == [Header("no_matches")]


def test_titles_holding_the_query_follow_the_message_hits_once():
    convs = [conv("c1", 0, title="Bread notes"), conv("c3", 0, title="My BREAD list"), conv("c4", 0, title="x")]
    rows = hit_rows([hit("c1", "m1")], convs, "bread")
    assert [(r.conversation_id, r.message_id) for r in rows] == [("c1", "m1"), ("c3", "")]
    assert rows[1].snippet == "My BREAD list" and rows[1].highlights == ((3, 8),)


def test_model_headers_are_not_selectable_and_rows_carry_their_id(qapp):
    model = ConversationListModel()
    model.set_rows(grouped_rows([conv("a", 0, title="Hello"), conv("p", 3, pinned=True)], TODAY))
    assert [model.index(i).data() for i in range(model.rowCount())] == ["Pinned", "p", "Today", "Hello"]
    header = model.index(0)
    assert not header.flags() & Qt.ItemFlag.ItemIsSelectable
    assert not header.flags() & Qt.ItemFlag.ItemIsEnabled
    assert model.index(3).data(ConversationListModel.IdRole) == "a"
    assert model.index(3).flags() & Qt.ItemFlag.ItemIsEditable
    assert model.row_of("a") == 3 and model.row_of("zzz") == -1


def test_model_rename_asks_and_ignores_blank_or_unchanged_titles(qapp):
    model = ConversationListModel()
    model.set_rows([Header("today"), Item(conv("a", 0, title="Old"))])
    asked = []
    model.rename_requested.connect(lambda cid, title: asked.append((cid, title)))
    assert not model.setData(model.index(1), "Old")
    assert not model.setData(model.index(0), "header")
    assert model.setData(model.index(1), "  新标题 ")
    assert asked == [("a", "新标题")]


def test_model_hit_rows_show_title_and_snippet(qapp):
    model = ConversationListModel()
    model.set_rows([Hit("c1", "m1", "", "…about bread…", ((7, 12),))])
    index = model.index(0)
    assert index.data() == "New chat"
    assert index.data(ConversationListModel.SnippetRole) == "…about bread…"
    assert index.data(ConversationListModel.KindRole) == "hit"
    assert "bread" in index.data(Qt.ItemDataRole.AccessibleTextRole)


def test_document_hits_follow_under_their_header_once_per_conversation():
    from app.store import DocumentHit

    found = [DocumentHit("d1", "c1", "Lease", "lease.pdf", "lease.pdf", ((0, 5),)),
             DocumentHit("d2", "c2", "Moving", "lease.pdf", "The garage code is 7421.", ((4, 10),))]
    rows = hit_rows([], [], "garage", found)
    assert rows[0] == Header("documents")
    assert rows[1] == Hit("c1", "", "Lease", "lease.pdf", ((0, 5),), "lease.pdf")
    by_content = rows[2]
    assert by_content.snippet == "lease.pdf: The garage code is 7421."
    assert by_content.snippet[slice(*by_content.highlights[0])] == "garage"  # moved past the name
    assert hit_rows([], [], "nothing", []) == [Header("no_matches")]
