"""Cleaning extracted text, decoding bytes, and what the extractors make of
scraped input: the seeds in ../shared/seeds, the sample corpus in data/, and
small made-up pages."""

from __future__ import annotations

import codecs
import html
import datetime as dt
import re
import unicodedata

import pytest
import yaml

import searchko
from searchko.errors import DocumentError
from searchko.extract import decode, html as html_extract
from searchko.extract.clean import (
    clean_text,
    dedupe_paragraphs,
    guess_source,
    guess_title,
    normalize_whitespace,
    shorten,
    strip_boilerplate,
)
from searchko.extract.html import extract_html, html_to_text
from searchko.extract.markdown import document_from_markdown, markdown_to_text, read_front_matter
from searchko.extract.text import extract_text

from .conftest import DATA, SHARED

SEEDS = SHARED / "seeds"
SEED_PRESS = SEEDS / "000_8a50d303d3944d47.txt"
SEED_BLOG = SEEDS / "002_baffc63969dbeac5.txt"


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def flat(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------ whitespace

def test_whitespace_is_collapsed_and_trailing_space_removed():
    text = "첫째\t줄은\u00a0\u00a0공백이\u3000많다.   \n\n\n\n둘째 줄.\u2003\n"
    assert normalize_whitespace(text) == "첫째 줄은 공백이 많다.\n\n둘째 줄."


def test_whitespace_keeps_indentation_and_one_blank_line():
    text = "\n\n□ 본문 첫 문단입니다.\r\n  ㅇ 세부 내용입니다.\r\n\r\n\r\n□ 다음 문단입니다.\n\n"
    assert normalize_whitespace(text) == "□ 본문 첫 문단입니다.\n  ㅇ 세부 내용입니다.\n\n□ 다음 문단입니다."


def test_whitespace_composes_hangul_but_keeps_compatibility_characters():
    decomposed = unicodedata.normalize("NFD", "한미동맹")
    assert normalize_whitespace(decomposed) == "한미동맹"
    # NFC, not NFKC: full-width letters and ㈜ stay as written
    assert normalize_whitespace("ＡＩ 반도체 ㈜가나") == "ＡＩ 반도체 ㈜가나"
    assert normalize_whitespace("\ufeff머리\u200b말") == "머리말"


# ------------------------------------------------------------ duplicates

BODY = [
    "□ 시청은 올해 봄철 도로 정비 계획을 발표하고 다음 달부터 공사를 시작한다고 밝혔습니다.",
    "□ 이번 정비 대상은 시내 간선도로 열두 곳으로, 야간 시간대에 차로를 부분 통제합니다.",
    "□ 시청은 공사 기간 동안 우회 도로 안내 표지판을 설치하고 누리집에 일정을 공개할 예정입니다.",
]


def test_a_body_that_repeats_is_kept_once():
    text = "\n".join(BODY + ["<끝>"] + BODY + ["<끝>"])
    assert dedupe_paragraphs(text).split("\n") == BODY + ["<끝>"]


def test_a_partial_repeat_is_dropped_too():
    text = "\n".join(BODY + BODY[1:] + ["맺음말 한 줄은 새 문장이라 남습니다."])
    assert dedupe_paragraphs(text).split("\n") == BODY + ["맺음말 한 줄은 새 문장이라 남습니다."]


def test_a_rewrapped_repeat_is_dropped():
    first = "시청은 오늘 시내 도로 정비 계획을 발표했습니다. 공사는 다음 달 첫 주부터 차례로 시작됩니다."
    second = "시청은 오늘 시내 도로 정비 계획을 발표했습니다.\n공사는 다음 달 첫 주부터 차례로 시작됩니다."
    assert dedupe_paragraphs(first + "\n" + second) == first
    assert dedupe_paragraphs(second + "\n" + first) == second


def test_short_lines_are_not_compared_but_not_doubled():
    text = "목차\n도로 정비 계획\n예산 배정\n-\n도로 정비 계획\n본문 문단은 길어서 비교 대상이 되는 문장입니다.\n-\n-\n|\n|"
    assert dedupe_paragraphs(text).split("\n") == [
        "목차", "도로 정비 계획", "예산 배정", "-", "도로 정비 계획",
        "본문 문단은 길어서 비교 대상이 되는 문장입니다.", "-", "|"]


def test_dedupe_compares_whitespace_collapsed():
    a = "공원 조성 사업은   내년 상반기에 마무리될 예정입니다."
    b = "공원 조성 사업은 내년 상반기에\t마무리될 예정입니다."
    assert dedupe_paragraphs(f"{a}\n\n{b}").strip() == a


# ------------------------------------------------------------ boilerplate

def test_end_mark_cuts_the_trailer_but_keeps_the_release_contact():
    text = "\n".join([
        "도로 정비 계획 발표",
        *BODY,
        "□ 자세한 일정은 추후 안내합니다. <끝>",
        "",
        "문의: 시청 도로과 (02-123-4567)",
        "※ 이 게시판의 자료는 각 기관에서 자동으로 연계된 자료입니다.",
        "사이트 하단 안내 문구가 이어집니다",
    ])
    assert strip_boilerplate(text).split("\n") == [
        "도로 정비 계획 발표", *BODY, "□ 자세한 일정은 추후 안내합니다. <끝>", "", "문의: 시청 도로과 (02-123-4567)"]


def test_end_mark_without_a_body_before_it_loses_nothing():
    text = "<끝>\n" + "\n".join(BODY)
    assert strip_boilerplate(text) == text


def test_attachments_after_the_end_mark_are_kept():
    text = "\n".join(BODY + ["<끝>", "붙임 1. 공사 구간 목록", "간선도로 열두 곳의 구간은 다음과 같습니다."])
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "콘텐츠 영역", "본문 바로가기", "닫기", "이전다음기사", "이전기사", "다음기사 시청, 새 공원 개장",
    "공유하기: 페이스북 엑스 링크 복사", "|", "|---|---|", "-", "ⓒ 가나다신문",
    "이용약관 | 개인정보처리방침 | 찾아오시는 길", "회사소개 · 광고문의 · 사이트맵",
    "저작권자 ⓒ 가나다신문, 무단 전재 및 재배포 금지",
    "Copyright © 가나다신문. All rights reserved.",
    "이 누리집의 기사는 공공누리 제1유형(출처표시)에 따라 이용할 수 있습니다.",
    "이 자료는 시청의 보도자료를 전재하여 제공함을 알려드립니다.",
])
def test_furniture_lines_go(line):
    assert strip_boilerplate(f"{BODY[0]}\n{line}\n{BODY[1]}") == f"{BODY[0]}\n{BODY[1]}"


@pytest.mark.parametrize("line", [
    "정부는 저작권 보호를 강화하기 위해 관련 법을 개정한다고 밝혔습니다.",
    "다음 기사에서는 예산 배정 과정을 자세히 살펴봅니다.",
    "이전 글에 이어 도로 정비 일정을 정리했습니다.",
    "인기 뉴스 프로그램의 진행자가 바뀐다는 소식이 전해졌습니다.",
    "| 구분 | 2024년 | 2025년 |",
    "검색 기능을 개선한 새 누리집이 문을 열었습니다.",
    "다음 뉴스 서비스가 개편된다.",
    "무단 복제 단속 결과를 발표했다.",
    "정부는 이용약관 | 개인정보처리방침 개정안을 마련해 다음 달 시행한다고 밝혔다.",
])
def test_body_sentences_with_furniture_words_stay(line):
    text = f"{BODY[0]}\n{line}\n{BODY[1]}"
    assert strip_boilerplate(text) == text


def test_menu_rows_of_one_word_go_but_data_tables_stay():
    menu = "| 소식 |\n|\n|---|---|\n| 알림 |\n|\n| 자료실 |\n|"
    table = "| 구분 | 2024년 | 2025년 |\n|---|---|---|\n| 예산 | 100 | 120 |"
    assert strip_boilerplate(f"{BODY[0]}\n{menu}\n{BODY[1]}") == f"{BODY[0]}\n{BODY[1]}"
    assert strip_boilerplate(f"{BODY[0]}\n{table}\n{BODY[1]}") == f"{BODY[0]}\n| 구분 | 2024년 | 2025년 |\n| 예산 | 100 | 120 |\n{BODY[1]}"


def test_posting_rules_and_their_list_go():
    text = "\n".join([
        BODY[0],
        "누리집 게시물 운영원칙에 따라 다음과 같은 게시물은 삭제될 수 있습니다.",
        "- 1. 다른 사람의 개인정보를 올린 경우",
        "- 2. 광고를 목적으로 하는 글인 경우",
        "- 3. 같은 글을 여러 번 올린 경우",
        BODY[1],
    ])
    assert strip_boilerplate(text) == f"{BODY[0]}\n{BODY[1]}"


def test_news_about_posting_rules_stays():
    text = "\n".join([BODY[0], "포털은 댓글 운영 정책을 다음과 같이 바꿨다.", "- 1. 기사별 댓글 수 제한", "- 2. 작성자 이력 공개", BODY[1]])
    assert strip_boilerplate(text) == text


def test_headline_lists_go_up_to_the_next_sentence():
    text = "\n".join([
        BODY[0],
        "많이 본 뉴스",
        "-", "시청, 봄꽃 축제 일정 발표",
        "-", "도서관 야간 개방 확대…주말도 운영",
        "최신 뉴스",
        "- 시민 체육대회 참가 신청 시작",
        "- 공영주차장 요금 조정 안내",
        "관련 기사",
        "구청, 골목길 정비 사업 착수",
        "전통시장 상품권 할인 판매",
        BODY[1],
    ])
    assert strip_boilerplate(text) == f"{BODY[0]}\n{BODY[1]}"


def test_a_trailing_promo_link_goes_but_links_in_the_text_stay():
    text = f"{BODY[0]}\n자세한 내용은 https://example.org/a 에서 볼 수 있습니다.\n더 많은 소식은, https://example.org"
    assert strip_boilerplate(text) == f"{BODY[0]}\n자세한 내용은 https://example.org/a 에서 볼 수 있습니다."


# ------------------------------------------------------------ title and source

def test_title_is_the_first_meaningful_line():
    assert guess_title("콘텐츠 영역\n본문 바로가기\n시청, 도로 정비 계획 발표\n본문") == "시청, 도로 정비 계획 발표"
    assert guess_title("\n□ 시청은 공사를 시작합니다.\n") == "시청은 공사를 시작합니다."
    assert guess_title("2025.03.02\n등록일 2025. 3. 2.\n출처: 시청\n- 새 공원 개장") == "새 공원 개장"
    # a date inside a title is part of it
    assert guess_title("시청 정례브리핑 (2025. 3. 2.)\n본문") == "시청 정례브리핑 (2025. 3. 2.)"


def test_a_long_first_line_gives_its_first_sentence_shortened_at_a_word():
    line = ("□ 시청은 2025년 3월 2일 오전, 시내 간선도로 열두 곳의 정비 계획을 발표하고 야간 시간대에 차로를 "
            "부분 통제하면서 공사를 진행하기로 하였습니다. 두 번째 문장입니다.")
    title = guess_title(line)
    assert len(title) <= 80 and title.endswith("…")
    assert line[2:].startswith(title[:-1])
    assert not title[:-1].endswith(" ")
    assert line[2 + len(title) - 1] == " "  # cut at a word boundary


def test_shorten():
    assert shorten("짧은 제목") == "짧은 제목"
    assert shorten("가" * 100) == "가" * 79 + "…"
    assert len(shorten("낱말 " * 40)) <= 80


@pytest.mark.parametrize("text, source", [
    ("시청 공지\n출처: 시청 도로과\n본문", "시청 도로과"),
    ("본문입니다.\n“이 자료는 행정안전부의 보도자료를 전재하여 제공함을 알려드립니다.”", "행정안전부"),
    ("[서울=가나다뉴스] 시청이 계획을 발표했다.", "가나다뉴스"),
    ("[환경부] 미세먼지 대책 발표\n본문", "환경부"),
    ("[단독] 시청 새 청사 이전\n본문", ""),
    ("환경부 보도자료\n미세먼지 대책 발표", "환경부"),
    ("브리핑 녹취\n본문\n담당: 외교부 대변인실", "외교부 대변인실"),
    ("아무 단서도 없는 글입니다.", ""),
])
def test_source_from_the_issuing_line(text, source):
    assert guess_source(text) == source


# ------------------------------------------------------------ decoding

KOREAN = "국방부 보도자료\n한미 양국은 오늘 회의를 열었습니다."


@pytest.mark.parametrize("raw", [
    KOREAN.encode("utf-8"),
    codecs.BOM_UTF8 + KOREAN.encode("utf-8"),
    codecs.BOM_UTF16_LE + KOREAN.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + KOREAN.encode("utf-16-be"),
    KOREAN.encode("utf-32"),
    KOREAN.encode("cp949"),
    KOREAN.encode("euc-kr"),
], ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-32", "cp949", "euc-kr"])
def test_encodings_are_detected(raw):
    assert decode(raw, "a.txt") == KOREAN


def test_cp949_beyond_euc_kr_and_short_korean_texts():
    assert decode("똠방각하 뷁".encode("cp949"), "a.txt") == "똠방각하 뷁"
    assert decode("국방부".encode("cp949"), "a.txt") == "국방부"


def test_utf16_without_a_byte_order_mark():
    text = "Report 2025: " + KOREAN
    assert decode(text.encode("utf-16-le"), "a.txt") == text
    assert decode(text.encode("utf-16-be"), "a.txt") == text


@pytest.mark.parametrize("raw", [
    bytes(range(256)) * 8,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
    bytes(64),
    bytes(range(1, 9)) * 100,
], ids=["all-bytes", "png", "zeros", "controls"])
def test_binary_is_reported(raw):
    with pytest.raises(DocumentError, match=r"not a text file \(binary\?\)"):
        decode(raw, "a.txt")


def test_a_cp949_file_becomes_a_document(tmp_path):
    (tmp_path / "a.txt").write_bytes("시청 도로 정비 계획\n배포일시: 2025년 3월 2일\n출처: 시청\n\n본문입니다.".encode("cp949"))
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 4)
    errors = []
    docs = list(searchko.iter_documents([tmp_path], on_error=errors.append))
    assert [(d.title, d.date, d.source) for d in docs] == [("시청 도로 정비 계획", dt.date(2025, 3, 2), "시청")]
    assert len(errors) == 1 and "binary" in str(errors[0]) and errors[0].path.endswith("b.txt")


# ------------------------------------------------------------ text, markdown

def test_a_txt_with_front_matter_is_read_as_markdown():
    raw = ("---\ntitle: 새 공원 개장\ncategories: [소식]\ntags: 공원, 시청\ndate: 2025-04-01\n---\n\n"
           "<p style=\"color: red\">시청은 새 공원을 <b>개장</b>했습니다.&nbsp;</p>\n").encode("utf-8")
    (doc,) = extract_text(raw, "a.txt")
    assert doc.title == "새 공원 개장"
    assert doc.categories == ("소식", "공원", "시청")
    assert doc.date == dt.date(2025, 4, 1)
    assert doc.body == "시청은 새 공원을 개장했습니다."


def test_a_txt_starting_with_a_rule_is_plain_text():
    raw = "---\n시청 소식지\n---\n본문입니다.".encode("utf-8")
    (doc,) = extract_text(raw, "a.txt")
    assert doc.title == "시청 소식지"
    assert "본문입니다." in doc.body


def test_excerpt_leads_the_body_unless_the_body_says_it():
    doc = document_from_markdown("---\ntitle: 제목\nexcerpt: 요약 문장입니다.\n---\n본문 문장입니다.\n", "a.md")
    assert doc.body == "요약 문장입니다.\n\n본문 문장입니다."
    doc = document_from_markdown("---\ntitle: 제목\nexcerpt: >\n  본문 첫 문장입니다.\n---\n본문 첫 문장입니다. 둘째 문장.\n", "a.md")
    assert doc.body == "본문 첫 문장입니다. 둘째 문장."


def test_bad_front_matter_in_markdown_is_reported():
    with pytest.raises(DocumentError, match="front matter"):
        read_front_matter("---\ntitle: [unclosed\n---\n본문", "a.md")


def test_inline_html_is_reduced_to_text():
    markdown = ('<p><img src="/a.jpg" alt="사진" /></p>\n\n<h2 data-ke-size="size26">소제목</h2>\n\n'
                '<p data-ke-size="size16">&nbsp;</p>\n\n<p>본문 <span style="color: #ee2323;">강조</span> 문장.</p>')
    assert markdown_to_text(markdown) == "소제목\n본문 강조 문장."
    # an autolink is not a tag
    assert markdown_to_text("<b>참고</b>: <https://example.org/a>") == "참고: https://example.org/a"


# ------------------------------------------------------------ HTML

PAGE = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">
<title>새 공원 개장 | 시청 소식</title>
<meta property="og:site_name" content="시청 소식">
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-04-01T09:00:00+09:00"}</script>
<style>.a { color: red }</style></head><body>
<div id="top"><ul class="gnb"><li><a href="/1">소식</a></li><li><a href="/2">알림</a></li><li><a href="/3">자료실</a></li></ul></div>
<div id="wrap"><div class="cont">
<h1>새 공원 개장</h1>
<p>시청은 강변에 새 공원을 만들어 다음 달 시민에게 개방한다고 밝혔다. 공원에는 산책로와 놀이터, 작은 도서관이 들어선다.</p>
<h2>주말 행사</h2>
<p>개장 첫 주말에는 음악회와 어린이 그리기 대회가 열린다. 참가 신청은 시청 누리집에서 받는다.</p>
<p>시청 관계자는 시민 누구나 편하게 쉴 수 있는 공간이 되도록 관리하겠다고 말했다.</p>
</div>
<div class="side-box"><h3>많이 본 뉴스</h3><ol><li><a href="/n/1">도서관 야간 개방 확대</a></li>
<li><a href="/n/2">공영주차장 요금 조정</a></li><li><a href="/n/3">시민 체육대회 참가 신청</a></li></ol></div></div>
<div id="foot"><p><a href="/terms">이용약관</a> | <a href="/privacy">개인정보처리방침</a> | <a href="/map">찾아오시는 길</a></p>
<p>ⓒ 시청 소식. 무단 전재 및 재배포 금지</p></div>
</body></html>"""
PAGE_BODY = ["시청은 강변에 새 공원을 만들어", "주말 행사", "개장 첫 주말에는 음악회와", "시청 관계자는 시민 누구나"]
PAGE_FURNITURE = ["소식\n", "자료실", "많이 본 뉴스", "도서관 야간 개방", "이용약관", "무단 전재"]


@pytest.fixture(params=["trafilatura", "stdlib"])
def html_extractor(request, monkeypatch):
    if request.param == "trafilatura":
        pytest.importorskip("trafilatura")
    else:
        monkeypatch.setattr(html_extract, "_trafilatura", lambda: None)
    return request.param


def test_a_page_gives_its_article_and_metadata(html_extractor):
    (doc,) = extract_html(PAGE.encode("utf-8"), "a.html")
    assert doc.title == "새 공원 개장"
    assert doc.date == dt.date(2025, 4, 1)
    assert doc.source == "시청 소식"
    for text in PAGE_BODY:
        assert text in doc.body, html_extractor
    for text in PAGE_FURNITURE:
        assert text not in doc.body + "\n", (html_extractor, text)


def test_a_page_title_falls_back_to_title_tag_and_time(html_extractor):
    page = PAGE.replace("<h1>새 공원 개장</h1>", "").replace('"datePublished"', '"dateModified"')
    page = page.replace('<div class="cont">', '<div class="cont"><time datetime="2025-04-02">4월 2일</time>')
    (doc,) = extract_html(page.encode("utf-8"), "a.html")
    assert doc.title == "새 공원 개장"
    assert doc.date == dt.date(2025, 4, 2)


def test_data_web_pages_keep_their_body_and_lose_the_furniture(html_extractor):
    for path in sorted((DATA / "web").glob("*.html")):
        markup = path.read_text("utf-8")
        (doc,) = extract_html(path.read_bytes(), str(path))
        meta = {k: html.unescape(v) for k, v in re.findall(r'<meta property="([^"]+)" content="([^"]+)"', markup)}
        assert doc.title == meta["og:title"]
        assert doc.source == meta["og:site_name"]
        assert doc.date.isoformat() == meta["article:published_time"][:10]
        article = markup[markup.index("<article>"):markup.index("</article>")]
        for paragraph in re.findall(r"<(?:p|h2)>(.*?)</(?:p|h2)>", article):
            assert flat(html_to_text(paragraph)) in flat(doc.body), (path.name, paragraph[:30])
        for furniture in ("많이 본 뉴스", "최신 뉴스", "이용약관", "공공누리", "Copyright", "공유하기:", "부처 소개"):
            assert furniture not in doc.body, (path.name, furniture)
        aside = markup[markup.index("<aside>"):markup.index("</aside>")]
        for headline in re.findall(r'<a href="/news/\d+">(.*?)</a>', aside):
            assert headline not in doc.body, (path.name, headline)


# ------------------------------------------------------------ the sample corpus keeps its text

@pytest.mark.parametrize("folder", ["press", "briefings"])
def test_cleaning_keeps_every_line_of_the_sample_texts(folder):
    for path in sorted((DATA / folder).glob("*.txt")):
        text = normalize_whitespace(path.read_text("utf-8"))
        assert lines_of(clean_text(text)) == lines_of(text), path.name
        (doc,) = extract_text(path.read_bytes(), str(path))
        assert lines_of(doc.body) == lines_of(text), path.name


def test_cleaning_keeps_every_line_of_the_sample_news():
    for path in sorted((DATA / "news").glob("*.md")):
        meta, body = read_front_matter(path.read_text("utf-8"), str(path))
        plain = normalize_whitespace(markdown_to_text(body))
        assert lines_of(clean_text(plain)) == lines_of(plain), path.name
        (doc,) = searchko.iter_documents([path])
        for line in lines_of(plain):
            assert line in doc.body, (path.name, line)
        assert doc.body.count(flat(meta["excerpt"]).split(". ")[0]) == 1, path.name


# ------------------------------------------------------------ the seeds

@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is missing")
    return {d.id.rsplit("/", 1)[-1]: d for d in searchko.iter_documents([SEEDS])}


def test_seed_press_release_keeps_its_body_once(seeds):
    doc = seeds[SEED_PRESS.name]
    raw = SEED_PRESS.read_text("utf-8").split("\n")
    body_lines = {line for line in raw if line.startswith("□")}
    assert len(body_lines) >= 5
    for line in body_lines:
        assert doc.body.count(line) == 1, line
    # everything after the release's last "<끝>" is the portal's furniture
    last_end = max(k for k, line in enumerate(raw) if line.strip() == "<끝>")
    for line in raw[last_end + 1:]:
        if len(line.strip()) > 3:
            assert line.strip() not in doc.body, line
    for furniture in ("콘텐츠 영역", "게시물 운영원칙", "인기 뉴스", "최신 뉴스", "공공누리", "문의처",
                      "| 뉴스 |", "이전다음기사", "다음기사", "닫기", "저작권", "전재하여"):
        assert furniture not in doc.body, furniture
    assert doc.body.count("<끝>") == 1


def test_seed_press_release_metadata(seeds):
    doc = seeds[SEED_PRESS.name]
    first = next(line for line in SEED_PRESS.read_text("utf-8").split("\n") if line.startswith("□"))
    assert doc.title and len(doc.title) <= 80 and doc.title != "콘텐츠 영역"
    assert first.lstrip("□ ").startswith(doc.title.rstrip("…"))
    assert doc.date == dt.date(2025, 1, 31)
    assert doc.source == "국방부"


def test_seed_blog_post_from_front_matter_and_html(seeds):
    doc = seeds[SEED_BLOG.name]
    meta = yaml.safe_load(SEED_BLOG.read_text("utf-8").split("\n---\n")[0].removeprefix("---\n"))
    assert doc.title == meta["title"]
    assert doc.categories == ("News",)
    for markup in ("<", ">", "style=", "&nbsp;", "data-ke-size", "\u00a0", "https://"):
        assert markup not in doc.body, markup
    # the excerpt leads the body, once; the headings stay
    assert doc.body.startswith(flat(meta["excerpt"]))
    assert doc.body.count(flat(meta["excerpt"])) == 1
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", SEED_BLOG.read_text("utf-8"))
    assert headings and all(h in doc.body for h in headings)
