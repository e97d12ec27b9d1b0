"""Issue 14's "done when": a Chinese user and an English user ask about the same long Chinese
report and both get the right passage quoted with its page, at the default context, from the
moment the file is read: before its passages have vectors (those take tens of seconds for a
long file), by its words and, across languages, by the dictionary's words."""
from __future__ import annotations

import pytest

from app.documents.quote import quote_documents
from app.documents.read import read_document
from app.store import open_store
from runtime.types import ChatMessage
from tests.documents.test_extract import make_pdf

PAGES = 150
FILLER = [
    "本季度各生产线的设备综合效率保持稳定，计划外停机时间较上年有所减少。",
    "人力资源部门组织了多场技能培训，覆盖一线员工和基层管理人员。",
    "公司持续推进安全生产标准化建设，全年未发生重大安全事故。",
    "信息化项目第二阶段已经上线，订单处理周期明显缩短。",
    "原材料价格在上半年波动较大，采购部门通过长期合同锁定了部分成本。",
    "质量管理体系顺利通过年度复审，客户投诉率继续下降。",
    "研发中心完成了三款新型传感器的样机测试，预计明年投产。",
    "物流仓储实行分区管理，库位利用率提高，拣货差错减少。",
    "董事会审议通过了年度预算方案和内部控制评价报告。",
    "公司积极参与社区公益活动，向当地学校捐赠了实验器材。",
]
FACTS = {
    58: "报告期内，归属于股东的净利润为6.12亿元，同比增长9.3%。",
    137: "2025年2月，公司在鹿特丹设立了欧洲销售与服务办事处，负责比荷卢地区的客户。",
}


@pytest.fixture(scope="module")
def report(qapp, tmp_path_factory):
    pages = []
    for page in range(1, PAGES + 1):
        lines = [FILLER[(page * 3 + i) % len(FILLER)] for i in range(8)]
        if page in FACTS:
            lines.insert(4, FACTS[page])
        pages.append(f"第{page}页\n" + "\n".join(lines))
    store = open_store(tmp_path_factory.mktemp("history") / "history.db")
    cid = store.create_conversation().id
    path = tmp_path_factory.mktemp("files") / "年度报告.pdf"
    path.write_bytes(make_pdf(pages))
    read_document(store, cid, path)  # as the reading thread does; vectors come later
    yield store, cid
    store.close()


class NoVectorsYet:
    """The embedding model before the reading thread has embedded this file: no vectors."""
    name, dim = "use-not-yet", 512

    def query(self, text):  # never reached while no passage has a vector
        raise AssertionError(text)


@pytest.mark.parametrize("question, page", [
    ("公司在鹿特丹设立了什么机构？", 137),
    ("What office did the company open in Rotterdam?", 137),
    ("归属于股东的净利润是多少？", 58),
    ("What net profit was attributable to shareholders?", 58),
])
def test_both_languages_get_the_page_that_answers_before_any_vector(report, question, page):
    store, cid = report
    assert store.documents(cid)[0].passages > 100  # long: quoted by its passages, never whole
    history = [ChatMessage("user", question)]
    quoted = quote_documents(store, cid, history, 4096, 1024, model=NoVectorsYet())
    found = [p for p in quoted if FACTS[page][:12] in p.text.replace("\n", "")]
    assert found and found[0].location == f"p. {page}", [(p.location, p.text[:30]) for p in quoted]
    assert f"p. {page}" in history[0].content
