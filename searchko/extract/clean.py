"""Cleaning extracted text: pure functions on strings, shared by the extractors.

Scraped pages arrive with the article's body wrapped in site furniture (skip
links, menus, licence notes, posting rules, lists of other articles'
headlines), sometimes with the body twice. These functions take that out and
guess a title and an issuing organisation, with rules that hold on Korean news
and government sites in general rather than on one site. They are
conservative: a line of ordinary body text (a sentence) is never dropped,
except as the repeat of text kept earlier.

The usual order is ``normalize_whitespace`` → ``dedupe_paragraphs`` →
``strip_boilerplate``; ``guess_source`` wants the text *before*
``strip_boilerplate``, since attribution lines are furniture.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "clean_text",
    "dedupe_paragraphs",
    "guess_source",
    "guess_title",
    "is_boilerplate_line",
    "normalize_whitespace",
    "reprinted_from",
    "shorten",
    "split_sentences",
    "strip_boilerplate",
]

# ---------------------------------------------------------------- whitespace

# spaces that are not the ASCII space: tab, nbsp, ideographic space, the
# typographic spaces of U+2000..U+200A, narrow nbsp, medium math space
_SPACE_CHARS = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\f\v"
_INNER_SPACES = re.compile(f"[ {_SPACE_CHARS}]+")
_LEADING_SPACES = re.compile(f"^[ {_SPACE_CHARS}]+")
# invisible characters a scraper leaves behind: BOM, zero-width space
_INVISIBLE = re.compile("[\ufeff\u200b]")


def normalize_whitespace(text: str) -> str:
    """Spaces, tabs, no-break and ideographic spaces collapsed to one space,
    trailing spaces removed, at most one blank line between paragraphs, and
    the text in NFC (not NFKC: full-width letters and compatibility
    characters stay as the author wrote them). An indentation is kept as
    that many plain spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    blank = True  # no blank line at the top
    for line in text.split("\n"):
        m = _LEADING_SPACES.match(line)
        indent = " " * len(m.group(0)) if m else ""
        line = _INNER_SPACES.sub(" ", line[m.end() if m else 0:]).rstrip()
        if not line:
            if not blank:
                lines.append("")
            blank = True
            continue
        lines.append(indent + line)
        blank = False
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# ---------------------------------------------------------------- duplicates

# A line with fewer letters/digits than this is not compared: headings,
# labels and list marks legitimately repeat (a table of contents repeats the
# headings of the sections that follow it).
_MIN_COMPARED = 16
_WORD = re.compile(r"\w", re.UNICODE)
# A sentence ends at . ! ? after a Hangul syllable, a lowercase letter or a
# closing bracket, then a space: "…했다. 다음" — not in "2025. 1. 31." nor
# after an initial ("Pete B. Hegseth").
_SENTENCE_END = re.compile(r"(?<=[가-힣a-z)\]」』\"'”’])[.!?。]+[\"'”’」』)\]]*(?=\s)")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def split_sentences(line: str) -> list[str]:
    """The sentences of one line, each with its final punctuation."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(line):
        out.append(line[start:m.end()].strip())
        start = m.end()
    out.append(line[start:].strip())
    return [s for s in out if s]


def _sentences(line: str) -> list[str]:
    return [_key(s) for s in split_sentences(line)]


def dedupe_paragraphs(text: str) -> str:
    """The text without the paragraphs (lines) it already had.

    Lines are compared with whitespace collapsed and case folded. A line is
    a repeat when it was seen before, or when every sentence in it was seen
    before (the second copy of a body that the scraper re-wrapped); the
    first copy is kept, so no text is lost. Lines with fewer than 16
    letters or digits (headings, labels, "-", "|", "<끝>") are not compared,
    but such a line right after the same line is dropped.
    """
    seen: set[str] = set()
    out: list[str] = []
    previous = None
    for line in text.split("\n"):
        key = _key(line)
        if not key:
            out.append(line)
            continue
        if len(_WORD.findall(key)) < _MIN_COMPARED:
            if key != previous:
                out.append(line)
            previous = key
            continue
        parts = _sentences(line)
        if key in seen or all(p in seen for p in parts):
            continue
        seen.add(key)
        seen.update(parts)
        out.append(line)
        previous = key
    return "\n".join(out)


# ---------------------------------------------------------------- boilerplate

# Bullets and list marks at the start of a line: □ ■ ○ ● ◎ ◆ ◇ ▶ ▷ ▲ △ ▣ ☞ ※
# ㅇ (a jamo used as a bullet in government documents), -, *, •, ·, "1."
_BULLET = re.compile(r"^\s*(?:[□■○●◎◆◇▶▷►▲△▣☞※•·∙*\-–—]+|ㅇ(?=\s)|\(?\d{1,2}[.)](?=\s))\s*")

# Whole lines that are a page's skip links, landmarks, buttons and article
# navigation, never text: compared without spaces and punctuation.
_FURNITURE_LINES = {
    "콘텐츠영역", "본문영역", "본문바로가기", "본문으로바로가기", "주메뉴바로가기", "메뉴바로가기",
    "전체메뉴", "메뉴열기", "메뉴닫기", "닫기", "창닫기", "검색", "통합검색", "로그인", "회원가입",
    "이전기사", "다음기사", "이전다음기사", "이전글", "다음글", "목록", "목록으로", "목록보기",
    "맨위로", "위로가기", "top", "인쇄", "인쇄하기", "공유", "공유하기", "스크랩", "글자크기",
    "좋아요", "기사듣기", "url복사", "링크복사", "skiptocontent", "skiptomaincontent",
}
# Lines that start with a link to the previous or next article ("다음기사 …")
_ARTICLE_NAV = re.compile(r"^\s*(?:이전|다음)\s*(?:기사|글)(?![가-힣])")
# "공유하기: 페이스북 엑스 링크 복사" and the like
_SHARE = re.compile(r"^\s*(?:공유하기|기사\s*공유|SNS\s*공유)\s*[:：]?.*(?:페이스북|트위터|엑스|카카오|링크\s*복사|URL)", re.I)

# A site's footer links: "이용약관 | 개인정보처리방침 | 찾아오시는 길"
_FOOTER_ITEMS = re.compile(
    r"^(?:이용\s*약관|서비스\s*이용\s*약관|개인\s*정보\s*처리\s*방침|개인\s*정보\s*보호\s*정책|저작권\s*정책|"
    r"찾아오시는\s*길|사이트\s*맵|이메일\s*무단\s*수집\s*거부|고객\s*센터|회사\s*소개|광고\s*문의|제휴\s*문의|"
    r"청소년\s*보호\s*정책|누리집\s*이용\s*안내|뷰어\s*내려받기|RSS)$", re.I)

# Licence and attribution notes: phrases that do not occur in body sentences.
_LICENCE = re.compile(
    r"무단\s*전재.{0,20}(?:재배포|금지)|재배포\s*금지|all\s+rights\s+reserved|copyright\s*(?:ⓒ|©|\(c\))"
    r"|저작권자\s*(?:ⓒ|©|\(c\))|^\s*(?:ⓒ|©)"
    r"|공공누리.{0,40}(?:유형|출처\s*표시|자유\s*이용|이용할\s*수|조건에\s*따라|담당자|안내$)"
    r"|보도자료를\s*전재하여|저작권자의\s*허락을\s*받으셔야|저작권\s*전부를\s*보유하고\s*있지",
    re.I,
)

# The intro of a site's posting or comment rules, which a list of rules
# follows: a heading ("게시물 운영원칙") or a notice that such posts are
# deleted ("…에 따라 다음과 같은 게시물은 삭제 또는 계정이 차단될 수 있습니다")
_POSTING_RULES = re.compile(
    r"(?:게시물|게시판|댓글)\s*(?:운영\s*(?:원칙|정책|방침)|이용\s*(?:원칙|규칙))"
    r"|다음과\s*같은\s*(?:게시물|댓글|게시글)"
)
_POSTING_RULES_ACTION = re.compile(r"삭제|차단|제한")


def _posting_rules_intro(line: str) -> bool:
    if not _POSTING_RULES.search(line):
        return False
    heading = len(line.strip()) <= 20 and not _ENDS_SENTENCE.search(line)
    return heading or bool(_POSTING_RULES_ACTION.search(line))


# Headings of lists of other articles' headlines
_HEADLINE_LIST = re.compile(
    r"^\s*(?:[#*■□▶▷●◆\-]\s*)*(?:(?:인기|최신|추천|관련|많이\s*본|화제의|랭킹)\s*"
    r"(?:뉴스|기사|소식|포스트)(?:\s*더\s*보기)?|이\s*시각\s*주요\s*뉴스|함께\s*볼\s*만한\s*(?:뉴스|기사))"
    r"\s*[>›»:]?\s*$"
)
_LIST_MARK_ONLY = re.compile(r"^\s*(?:[-*•·∙]|\d{1,2}[.)]?)\s*$")
_LIST_MARKED = re.compile(r"^\s*(?:[-*•·∙]|\d{1,2}[.)])\s+\S")
# a line ending like a sentence: "…했다." "…입니다." "…?" (a headline does not)
_ENDS_SENTENCE = re.compile(r"[.!?。]\s*[\"'”’」』)\]]*\s*$")

# Table rows and rules left from a page's layout: | 뉴스 |, |, |---|---|
_PIPE_ONLY = re.compile(r"^[\s|:\-=+_*·•–—]*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|?\s*$")

# Where a press release's body ends: "<끝>", "〈끝〉", "/끝/", "(끝)" at a line's end
_END_MARK = re.compile(r"(?:<\s*끝\s*\.?\s*>|〈\s*끝\s*〉|＜\s*끝\s*＞|/\s*끝\s*/|\(\s*끝\s*\)|\[\s*끝\s*\])\s*$")
# The release's own contact lines, which follow "<끝>": "문의: … (02-…)"
_CONTACT = re.compile(r"^\s*(?:문의|문의처|담당|담당자|연락처|담당\s*부서)\s*[:：].*\d{2,4}\s*[-)]\s*\d{3,4}")

# "붙임 1. …", "[별첨]": attachments of a press release, after its "<끝>"
_ATTACHMENT = re.compile(r"^\s*[\[【<]?\s*(?:붙임|별첨|첨부|참고\s*자료)\s*\d*\s*[\]】>.:：\s]")

# A line that is only a short lead-in and a link ("실시간 뉴스 속보는, https://…")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)


def _bare(line: str) -> str:
    """A line without spaces, punctuation and bullets, for comparing with the
    furniture lines."""
    return re.sub(r"[\W_]+", "", _BULLET.sub("", line)).casefold()


def is_boilerplate_line(line: str) -> bool:
    """Whether a single line is page furniture wherever it is: a skip link,
    a button, article navigation, a share bar, a licence or copyright note,
    a row of footer links, a rule of pipes and dashes."""
    if not line.strip():
        return False
    if _PIPE_ONLY.match(line):
        return True
    return bool(
        _bare(line) in _FURNITURE_LINES
        or _ARTICLE_NAV.match(line)
        or _SHARE.match(line)
        or _LICENCE.search(line)
        or _is_footer_links(line)
    )


def _is_footer_links(line: str) -> bool:
    """A row of short items split by | or · where one is a footer link."""
    items = [i.strip() for i in re.split(r"\s[|·]\s|\s{2,}|\|", line) if i.strip()]
    return len(items) >= 2 and all(len(i) <= 20 for i in items) and any(_FOOTER_ITEMS.match(i) for i in items)


def _is_headline(line: str) -> bool:
    text = _BULLET.sub("", line).strip()
    return bool(text) and len(text) <= 100 and not _ENDS_SENTENCE.search(text)


def _menu_cell_row(line: str) -> bool:
    """A table row with one short cell and no digits: ``| 멀티미디어 |``."""
    if not _TABLE_ROW.match(line):
        return False
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    filled = [c for c in cells if c and not _PIPE_ONLY.match(c)]
    return len(filled) == 1 and len(filled[0]) <= 20 and not re.search(r"\d", filled[0])


def strip_boilerplate(text: str) -> str:
    """Scraped text without the web page's furniture around the body.

    Dropped: skip links and buttons ("콘텐츠 영역", "본문 바로가기", "닫기"),
    links to the previous/next article ("이전기사", "다음기사 …"), share
    bars, licence and copyright notes (공공누리, "무단 전재 및 재배포 금지",
    "저작권자 ⓒ"), rows of footer links ("이용약관 | 개인정보처리방침"),
    lines of pipes and dashes and runs of one-word table rows (menus), a
    site's posting rules with the list that follows them, and
    lists of other articles' headlines under a heading such as "인기 뉴스",
    "최신 뉴스", "많이 본 뉴스" or "관련 기사" (the heading and the short,
    sentence-less lines after it). When a press release's end mark ("<끝>")
    follows body text, what comes after the last one is dropped, except the
    release's own contact lines ("문의: … 02-…"). A short lead-in ending in a
    link at the very end ("실시간 뉴스 속보는, https://…") goes too. Lines
    that read as sentences are never dropped by the list rules.
    """
    lines = text.split("\n")
    keep = [True] * len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _posting_rules_intro(line) or _HEADLINE_LIST.match(line):
            headlines = not _posting_rules_intro(line)
            end, items = _list_after(lines, i + 1, headlines)
            # posting rules are dropped with their list only; a headline
            # list's heading names furniture even when its list is empty
            if headlines or len(items) >= 2:
                for k in [i, *items]:
                    keep[k] = False
                i = end
                continue
        if is_boilerplate_line(line):
            keep[i] = False
        elif _menu_cell_row(line):
            # one-word table rows are a menu when there are two or more together
            j = i + 1
            while j < len(lines) and (_PIPE_ONLY.match(lines[j]) or _menu_cell_row(lines[j])):
                j += 1
            if sum(1 for k in range(i, j) if _menu_cell_row(lines[k])) >= 2:
                for k in range(i, j):
                    keep[k] = False
                i = j
                continue
        i += 1
    lines = [line for line, k in zip(lines, keep) if k]
    lines = _cut_after_end_mark(lines)
    lines = _drop_trailing_links(lines)
    return "\n".join(lines)


def _list_after(lines: list[str], i: int, headlines: bool) -> tuple[int, list[int]]:
    """The list starting at ``i``: (the index after it, its lines).

    A list is its items: "- item", "1. item", a bare "-" on its own line
    followed by the item, or (for a headline list whose first item has no
    mark) plain short lines. Posting rules may be sentences; headlines
    never are, so a sentence ends a headline list.
    """
    items: list[int] = []
    marked = None
    after_mark = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _LIST_MARK_ONLY.match(line):
            items.append(i)
            after_mark = True
            marked = True if marked is None else marked
            i += 1
            continue
        if _HEADLINE_LIST.match(line) or _posting_rules_intro(line):
            break  # the next list: the caller handles it
        has_mark = bool(_LIST_MARKED.match(line))
        if marked is None:
            marked = has_mark
        if headlines:
            ok = _is_headline(line) and (has_mark or after_mark or not marked)
        else:
            ok = has_mark or after_mark
        if not ok:
            break
        items.append(i)
        after_mark = False
        i += 1
    return i, items


def _has_text(lines: list[str]) -> bool:
    return any(len(_WORD.findall(_END_MARK.sub("", line))) >= 2 for line in lines)


def _cut_after_end_mark(lines: list[str]) -> list[str]:
    ends = [k for k, line in enumerate(lines) if _END_MARK.search(line)]
    if not ends:
        return lines
    last = ends[-1]
    if not _has_text(lines[: last + 1]):
        return lines  # nothing before the mark: it does not end a body
    tail = lines[last + 1:]
    if any(_ATTACHMENT.match(line) for line in tail):
        return lines  # the release's attachments follow: they are text
    contacts = [line for line in tail if _CONTACT.match(line)]
    return lines[: last + 1] + ([""] + contacts if contacts else [])


def _drop_trailing_links(lines: list[str]) -> list[str]:
    """Without the last lines that are a short lead-in ending in a link."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines:
        last = lines[-1].strip()
        m = _URL.search(last)
        if not m or m.end() != len(last):
            break
        rest = last[: m.start()].strip(" ,:·-|>→")
        if len(rest) > 20 or _ENDS_SENTENCE.search(rest) or _URL.search(rest):
            break
        lines = lines[:-1]
        while lines and not lines[-1].strip():
            lines = lines[:-1]
    return lines


def clean_text(text: str) -> str:
    """normalize_whitespace, dedupe_paragraphs, strip_boilerplate, in that
    order (and whitespace again, for the blank lines left behind)."""
    return normalize_whitespace(strip_boilerplate(dedupe_paragraphs(normalize_whitespace(text))))


# ---------------------------------------------------------------- title, source

TITLE_MAX = 80
# "배포일시: …", "출처: …": header fields, not a title
_HEADER_FIELD = re.compile(
    r"^\s*(?:출처|배포일시|배포일|일시|날짜|등록일|입력|수정|작성일|작성자|담당|담당부서|문의|기자|"
    r"source|date|author|by)\s*[:：]", re.I
)
_DATE = re.compile(r"\d{4}\s*(?:[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}\.?|년\s*\d{1,2}\s*월\s*\d{1,2}\s*일)"
                   r"(?:\s*\([^)]{1,3}\))?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_LABEL = re.compile(r"^(?:등록일|작성일|입력|수정|게시일|발행일|배포일|기사입력|최종수정|승인)?\s*[:：]?$")


def _is_date_line(line: str) -> bool:
    """"2025.01.31", "등록일 2025. 1. 31.", "입력 2025-01-31 10:00 | 수정 …"."""
    if not _DATE.search(line):
        return False
    rest = _DATE.sub(" ", line)
    return all(_DATE_LABEL.match(part.strip(" ·,")) for part in rest.split("|"))


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with
    "…" when something was cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]  # "…" takes the place of the character after the cut
    space = cut.rfind(" ")
    cut = cut[:space] if space >= limit // 2 else cut[: limit - 1]
    return cut.rstrip(" ,·:;-–—(") + "…"


def guess_title(text: str) -> str:
    """A title from the first meaningful line of ``text``: furniture,
    header fields ("출처: …") and date lines are skipped, bullets ("□", "ㅇ",
    "-") stripped; a line longer than 80 characters is cut to its first
    sentence, then shortened at a word boundary to 80 characters ("…")."""
    for line in text.split("\n")[:40]:
        line = line.strip()
        if not line or is_boilerplate_line(line) or _menu_cell_row(line):
            continue
        if _HEADER_FIELD.match(line) or _is_date_line(line) or _END_MARK.fullmatch(line):
            continue
        line = _BULLET.sub("", line).strip()
        if len(_WORD.findall(line)) < 2:
            continue
        if len(line) > TITLE_MAX:
            line = split_sentences(line)[0]
        return shorten(line)
    return ""


_SOURCE_FIELD = re.compile(r"^\s*(?:출처|source)\s*[:：]\s*(.+?)\s*$", re.I | re.M)
_REPRINT = re.compile(r"이\s*자료는\s*([^\s\"“”'’,.]{2,20}(?:\s[^\s\"“”'’,.]{1,20}){0,2}?)(?:의|에서)\s*보도\s*자료")
_ORG = r"[가-힣A-Za-z·]{1,20}(?:부|처|청|원|실|위원회|본부|공사|공단|재단|센터|시|도|군|구)"
_SPOKESPERSON = re.compile(rf"(?<![가-힣])({_ORG})\s*대변인실")
_RELEASE_HEADER = re.compile(rf"^\s*[\[【]?\s*({_ORG})\s*[\]】]?\s*보도\s*(?:참고\s*)?자료\s*$")
_BRACKET_HEADER = re.compile(r"^\s*[\[【]([^\]】=]{2,20}?)(?:=([^\]】]{2,20}))?[\]】]")
_NOT_A_SOURCE = {"보도자료", "속보", "단독", "사진", "영상", "포토", "종합", "인터뷰", "기고", "사설", "칼럼",
                 "해설", "카드뉴스", "공지", "알림", "보도참고자료", "참고자료", "설명자료", "팩트체크", "특집"}
_HEADER_LINES = 8


def reprinted_from(text: str) -> str:
    """X of "이 자료는 X의 보도자료를 전재하여 …", the note of a portal that
    reprints a ministry's press release; "" without one."""
    m = _REPRINT.search(text)
    return m.group(1).strip() if m else ""


def guess_source(text: str) -> str:
    """The organisation that issued a text, from (in this order) a
    "출처: X" line among the first lines, "이 자료는 X의 보도자료를 …", an
    "X 보도자료" or "[X]" header on the first lines ("[서울=X]" gives X), or
    "X 대변인실" anywhere; "" when there is none. Give it the text before
    ``strip_boilerplate``: attribution lines are furniture there."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    header = lines[:_HEADER_LINES]
    m = _SOURCE_FIELD.search("\n".join(header))
    if m:
        return m.group(1)
    issuer = reprinted_from(text)
    if issuer:
        return issuer
    for line in header[:3]:
        m = _RELEASE_HEADER.match(line)
        if m:
            return m.group(1)
        m = _BRACKET_HEADER.match(line)
        if m:
            name = (m.group(2) or m.group(1)).strip()
            if (re.sub(r"\s+", "", name) not in _NOT_A_SOURCE and not re.search(r"\d", name)
                    and not re.search(r"(?:기자|특파원|논설위원)$", name)):
                return name
    m = _SPOKESPERSON.search(text)
    if m:
        return f"{m.group(1)} 대변인실"
    return ""
