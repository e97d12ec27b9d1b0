"""Writes questions.jsonl: each question, the document that answers it, and the answer as it is
written there (a passage quoting that text, whitespace aside, answers the question)."""
import json
from pathlib import Path

HEN_EN, HEN_ZH = "hengyuan_2025_report_en.md", "hengyuan_2025_report_zh.pdf"
PUMP, LIB = "rf400_pump_station_manual_en.txt", "harbor_library_renovation_en.html"
TRAVEL, DRONE = "travel_policy_zh.html", "drone_spraying_pilot_zh.md"
LANG = {HEN_EN: "en", PUMP: "en", LIB: "en", HEN_ZH: "zh", TRAVEL: "zh", DRONE: "zh"}

Q = [  # (question, document, answer, about a table)
    # en -> en
    ("What net profit attributable to shareholders did Hengyuan report for 2025?", HEN_EN, "RMB 612 million, up 9.3%", False),
    ("How large a cash dividend does the board propose?", HEN_EN, "RMB 2.10 per ten shares", False),
    ("What was the voluntary staff turnover in 2025?", HEN_EN, "Voluntary staff turnover fell to 6.8%", False),
    ("How much revenue did semiconductor metrology bring in 2025?", HEN_EN, "| Semiconductor metrology | 1,061 |", True),
    ("What is the gross margin of the service and software segment?", HEN_EN, "| 819 | 17.0% | +19.7% | 53.6% |", True),
    ("When did the Penang plant start production and how many people work there?", HEN_EN, "The Penang plant started production on 7 July 2025. It has 310 employees", False),
    ("How many paying laboratories did HY-Cloud have at the end of the year?", HEN_EN, "3,140 paying laboratories", False),
    ("What relative uncertainty did the quantum-referenced mass standard prototype reach?", HEN_EN, "relative uncertainty of 2 × 10⁻⁸", False),
    ("How much revenue came from Europe?", HEN_EN, "| Europe | 482 | 10.0% |", True),
    ("What revenue growth does the company expect for 2026?", HEN_EN, "We expect revenue growth of 8% to 12% in 2026", False),
    ("What share of energy came from renewable sources?", HEN_EN, "of which 34% came from renewable sources", False),
    ("What is the rated flow and head of each RF-400 pump?", PUMP, "18 litres per second against a total head of 22 metres", False),
    ("How long must forced ventilation run before someone enters the wet well?", PUMP, "forced ventilation running for at least 15 minutes beforehand", False),
    ("What is the default stop level of the pump station?", PUMP, "Stop level               | 450", True),
    ("What does alarm code E33 mean?", PUMP, "E33  Moisture in the motor's oil chamber", False),
    ("How much oil goes into the oil chamber at the yearly service?", PUMP, "0.9 litres of white medical oil", False),
    ("How long is the warranty on the RF-400?", PUMP, "24 months from commissioning or 30 months from delivery", False),
    ("What insulation resistance should a pump in service have at least?", PUMP, "at least 2 megohms for one in service", False),
    ("When will the Harborview Central Library reopen?", LIB, "reopen to the public on 14 September 2026", False),
    ("What is the forecast final cost of the library renovation?", LIB, "The forecast final cost is $47.6 million", False),
    ("How much has been spent so far on design and professional fees?", LIB, "Design and professional fees | 4.1 | 4.3 | 3.6", True),
    ("How much asbestos-containing material was removed from the third floor?", LIB, "removed 14 tonnes of asbestos-containing material", False),
    ("How many study seats will the renovated library have?", LIB, "820 study seats, up from 540", False),
    # zh -> zh
    ("恒远2025年的营业收入是多少？", HEN_ZH, "全年实现营业收入48.2亿元", False),
    ("恒远的研发费用占营业收入的比例是多少？", HEN_ZH, "研发费用增至5.31亿元，占营业收入的11.0%", False),
    ("年度股东大会什么时候召开？", HEN_ZH, "2026年5月16日召开的年度股东大会", False),
    ("过程分析板块最大的单笔订单来自哪里？", HEN_ZH, "8600万元，来自武汉的一家疫苗生产企业", False),
    ("半导体量测板块2025年的毛利率是多少？", HEN_ZH, "半导体量测 1,061 22.0% +31.4% 52.8%", True),
    ("2025年末存货是多少？", HEN_ZH, "年末存货为9.32亿元", False),
    ("员工持股计划覆盖多少名员工？", HEN_ZH, "覆盖1126名员工", False),
    ("300毫米检测站每小时可以检测多少片晶圆？", HEN_ZH, "每小时可检测60片晶圆", False),
    ("中国以外的亚太地区收入占比是多少？", HEN_ZH, "中国以外的亚太地区 723 15.0%", True),
    ("出差三天以内由谁审批？", TRAVEL, "出差三天以内（含三天）的，由部门负责人审批", False),
    ("普通员工在一类城市出差，住宿费每晚最多报销多少？", TRAVEL, "其他员工 | 500元", True),
    ("二类城市的伙食补助每天多少钱？", TRAVEL, "伙食补助（元/天） | 120 | 100", True),
    ("自驾车出差怎么报销？", TRAVEL, "按每公里0.8元的标准报销燃油和车辆损耗费用", False),
    ("出差回来后多长时间内要报销？", TRAVEL, "出差结束返回后十五个工作日内办理报销手续", False),
    ("借支差旅费最多能借多少？", TRAVEL, "借款金额不得超过预计费用的80%", False),
    ("住在亲友家里没有住宿费，有补贴吗？", TRAVEL, "每晚给予80元的住宿节约补贴", False),
    ("无人机统防统治每亩作业服务费是多少，财政补助多少？", DRONE, "每亩每次作业服务费为12元，其中省级财政补助6元，县级财政补助2元，农户自付4元", False),
    ("清溪县投入了多少架无人机？", DRONE, "| 清溪县 | 38.2 | 96 |", True),
    ("试点区化学农药使用量减少了多少？", DRONE, "化学农药使用量比上年同期减少18.6%", False),
    ("统防统治区的水稻亩产是多少？", DRONE, "统防统治区水稻平均亩产532公斤", False),
    ("试点期间发生了多少起飘移药害纠纷？", DRONE, "共发生飘移药害纠纷11起", False),
    ("云岭县平均每亩作业成本是多少？", DRONE, "| 云岭县 | 18.7 | 45 | 52% | 13.9 |", True),
    ("结余资金是多少，怎么处理？", DRONE, "结余资金237万元按规定结转用于2026年试点", False),
    # en -> zh (English question, Chinese document)
    ("How many employees did Hengyuan have at the end of 2025, and how many in R&D?", HEN_ZH, "截至2025年末，公司共有员工6214人，其中研发人员1487人", False),
    ("How much did it cost to build the Penang plant?", HEN_ZH, "工厂建设投资3.9亿元，全部使用自有资金", False),
    ("What order backlog did the company enter 2026 with?", HEN_ZH, "13.7亿元的在手订单", False),
    ("By how much did Scope 1 and 2 greenhouse gas emissions fall?", HEN_ZH, "仍比2024年下降7%", False),
    ("What share of revenue comes from pharmaceutical and semiconductor customers?", HEN_ZH, "制药和半导体客户合计贡献58%的收入", False),
    ("What was the earnings per share in 2025?", HEN_ZH, "每股收益（元） 1.53", True),
    ("Who approves a business trip of ten days or more, or a trip abroad?", TRAVEL, "十天及以上或出境出差的，须经总经理审批", False),
    ("Which staff may fly economy class on a business trip?", TRAVEL, "单程距离超过1200公里的可乘坐飞机经济舱", False),
    ("What is the hotel limit per night for middle managers in provincial capitals?", TRAVEL, "中层管理人员、高级工程师 | 650元 | 500元", True),
    ("What happens to the meal allowance when the host provides meals?", TRAVEL, "相应餐次的伙食补助按每餐三分之一扣减", False),
    ("How many drones and licensed pilots took part in the spraying pilot?", DRONE, "投入植保无人机212架，培训持证飞手386名", False),
    ("How much water per mu does drone spraying use?", DRONE, "每亩用水量约1.5升", False),
    ("At what wind speed should drone spraying stop according to the proposed rules?", DRONE, "风速超过每秒3米、气温超过35摄氏度时停止作业", False),
    ("How much did the pilot raise rice coverage of unified pest control in the three counties?", DRONE, "由试点前的21%提高到63%", False),
    ("What was the pilot turnover rate of drone operators?", DRONE, "飞手流失率达到27%", False),
    # zh -> en (Chinese question, English document)
    ("恒远在鹿特丹设立了什么机构？", HEN_EN, "opened a sales and service office in Rotterdam in February", False),
    ("XB-6微量天平卖了多少台？", HEN_EN, "sold 2,900 units", False),
    ("实验室称重板块的收入是多少？", HEN_EN, "| Laboratory weighing | 1,735 |", True),
    ("泵站的控制柜离湿井最远可以多远？", PUMP, "within 15 metres of the well", False),
    ("水泵每小时最多启动几次？", PUMP, "limits starts to 15 per pump per hour", False),
    ("叶轮和耐磨板之间的间隙应该是多少？", PUMP, "the gap should be between 0.3 and 0.5 millimetres", False),
    ("报警代码E21是什么意思？", PUMP, "E21  Pump blocked after three reversing attempts", False),
    ("双泵版本需要多大的断路器？", PUMP, "protected by a 32 A type C breaker for the duplex version", False),
    ("湿井混凝土底板至少要多厚？", PUMP, "at least 250 millimetres thick", False),
    ("图书馆翻修的应急预备费还剩多少？", LIB, "the contingency has fallen from $3.9 million to $0.9 million", False),
    ("图书馆的地源热泵钻了多少个钻孔？", LIB, "Twenty-four boreholes, each 180 metres deep", False),
    ("家具、书架和设备的预算是多少？", LIB, "Furniture, shelving and equipment | 2.6", True),
    ("临时图书馆的访客数量相当于原来的多少？", LIB, "serve about 61% of the visitors", False),
    ("联邦政府的节能补助有多少钱？", LIB, "A federal grant of $6.0 million for energy efficiency", False),
]


def main() -> None:
    here = Path(__file__).parent
    with open(here / "questions.jsonl", "w", encoding="utf-8") as out:
        for n, (question, doc, answer, table) in enumerate(Q, 1):
            qlang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in question) else "en"
            out.write(json.dumps({"id": n, "question": question, "document": doc,
                                  "pair": f"{qlang}->{LANG[doc]}", "answer": answer, "table": table},
                                 ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
