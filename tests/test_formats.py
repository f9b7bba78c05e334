"""Document formats: PDF, HWP, HWPX, DOCX, JSON, CSV and JSON Lines.

Every fixture is built here, byte by byte where the format is binary: a
small PDF writer, a compound-file (OLE) writer for HWP 5, zips of XML.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import sys
import zipfile
import zlib

import pytest

import searchko
from searchko.documents import ExtractOptions
from searchko.errors import DocumentError, DocumentWarning, MissingExtraError
from searchko.extract import hwp as hwp_module
from searchko.extract import _zipxml
from searchko.extract._zipxml import MAX_EXPANDED
from searchko.extract.docx import extract_docx
from searchko.extract.hwp import extract_hwp, paragraph_text
from searchko.extract.hwpx import extract_hwpx
from searchko.extract.pdf import extract_pdf, is_garbled
from searchko.extract.tabular import extract_csv, extract_json, extract_jsonl

SENTENCE = "한미 양국은 핵협의그룹 회의를 열었다."


def extract(function, raw, path="doc"):
    """(documents, problems) of one extractor run."""
    problems = []
    docs = list(function(raw, path, on_error=problems.append, options=ExtractOptions()))
    return docs, problems


# -- PDF ---------------------------------------------------------------------------


def make_pdf(pages: list[list[str]], info: dict | None = None, unicode_map: str = "real") -> bytes:
    """A PDF with one Type0 font (Identity-H, glyphs not embedded): every
    distinct character gets a 2-byte CID, and the ToUnicode CMap maps it back
    to that character ("real"), to a private-use code point ("private"), or
    is left out ("none")."""
    chars = sorted({c for page in pages for line in page for c in line})
    cid = {c: n for n, c in enumerate(chars, 1)}
    target = {"real": ord, "private": lambda c: 0xE000 + cid[c]}.get(unicode_map)
    mappings = [f"<{cid[c]:04X}> <{target(c):04X}>" for c in chars] if target else []
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            + "".join(f"{len(mappings[i:i + 100])} beginbfchar\n" + "\n".join(mappings[i:i + 100])
                      + "\nendbfchar\n" for i in range(0, len(mappings), 100))
            + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    def text_string(value: str) -> str:
        return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"

    first_page = 8
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    to_unicode = " /ToUnicode 6 0 R" if target else ""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        3: (b"<< /Type /Font /Subtype /Type0 /BaseFont /HYGoThic-Medium /Encoding /Identity-H "
            b"/DescendantFonts [4 0 R]" + to_unicode.encode() + b" >>"),
        4: (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /HYGoThic-Medium /CIDSystemInfo "
            b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /DW 1000 >>"),
        5: (b"<< /Type /FontDescriptor /FontName /HYGoThic-Medium /Flags 4 /FontBBox [0 -120 1000 880] "
            b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"),
        6: stream(cmap),
        7: ("<< " + " ".join(f"/{key} " + (f"({value})" if key.endswith("Date") else text_string(value))
                            for key, value in (info or {}).items()) + " >>").encode(),
    }
    for i, page in enumerate(pages):
        content = "\n".join(f"BT /F1 20 Tf 72 {760 - 30 * j} Td <{''.join(f'{cid[c]:04X}' for c in line)}> Tj ET"
                            for j, line in enumerate(page)).encode()
        objects[first_page + 2 * i] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {first_page + 2 * i + 1} 0 R >>").encode()
        objects[first_page + 2 * i + 1] = stream(content)

    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref, size = out.tell(), max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    out.write(b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size)))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def test_pdf_text_title_and_date_come_from_the_text_layer_and_the_info_dict():
    raw = make_pdf([["외교부 보도자료", SENTENCE]],
                   info={"Title": "핵협의그룹 회의 결과", "CreationDate": "D:20250131093000+09'00'"})
    [doc], problems = extract(extract_pdf, raw)
    assert doc.body == f"외교부 보도자료\n{SENTENCE}"
    assert doc.title == "핵협의그룹 회의 결과"
    assert doc.date == dt.date(2025, 1, 31)
    assert problems == []


def test_pdf_without_info_takes_the_first_line_and_a_korean_date_and_joins_pages():
    raw = make_pdf([["보도자료", "2025년 3월 12일"], [SENTENCE]])
    [doc], problems = extract(extract_pdf, raw)
    assert doc.title == "보도자료"
    assert doc.date == dt.date(2025, 3, 12)
    assert doc.body == f"보도자료\n2025년 3월 12일\n\n{SENTENCE}"
    assert problems == []


def test_pdf_pages_without_text_are_named_in_a_warning():
    raw = make_pdf([[SENTENCE], [], [SENTENCE], [], []])
    [doc], problems = extract(extract_pdf, raw, "scan.pdf")
    assert doc.body == f"{SENTENCE}\n\n{SENTENCE}"
    [warning] = problems
    assert isinstance(warning, DocumentWarning)
    assert str(warning) == "scan.pdf: no text layer on pages 2, 4-5 (scanned? searchko does no OCR)"


@pytest.mark.parametrize("unicode_map", ["private", "none"])
def test_pdf_with_a_text_layer_of_glyph_ids_is_reported_unusable(unicode_map):
    raw = make_pdf([[SENTENCE]], unicode_map=unicode_map)
    [doc], problems = extract(extract_pdf, raw, "hwp-export.pdf")
    [warning] = problems
    assert isinstance(warning, DocumentWarning)
    assert "text layer is unusable" in str(warning)
    assert doc.title == ""  # not a line of garbage


def test_garbled_text_detector():
    assert is_garbled("(cid:12)(cid:34)(cid:5) (cid:77)(cid:3)")
    assert is_garbled("\ue001\ue002\ue003 \ue004 가")
    assert is_garbled("\ufffd\ufffd\ufffd 다")
    assert not is_garbled(SENTENCE)
    assert not is_garbled(SENTENCE + " (cid:12)")  # a stray unmapped glyph
    assert not is_garbled("")


def test_pdf_that_is_not_a_pdf_or_is_damaged_is_a_document_error():
    with pytest.raises(DocumentError, match="not a PDF"):
        list(extract_pdf(b"hello", "a.pdf"))
    with pytest.raises(DocumentError, match="a.pdf: not a readable PDF"):
        list(extract_pdf(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "a.pdf"))


def test_pdf_warnings_without_on_error_are_dropped():
    [doc] = extract_pdf(make_pdf([[SENTENCE], []]), "a.pdf")
    assert doc.body == SENTENCE


def test_encrypted_pdf_opens_with_an_empty_password_or_is_refused():
    from pypdf import PdfReader, PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([[SENTENCE]]))))
        writer.encrypt(user_password, "owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    [doc], _ = extract(extract_pdf, encrypted(""))
    assert doc.body == SENTENCE
    with pytest.raises(DocumentError, match="encrypted PDF"):
        list(extract_pdf(encrypted("secret"), "a.pdf"))


# -- HWP 5 (OLE compound file) -------------------------------------------------------

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def make_cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file (CFB v3, 512-byte sectors) holding ``streams`` named
    by path ("BodyText/Section0"); streams under 4096 bytes live in the mini
    stream, as real writers put them."""
    storages = sorted({"/".join(name.split("/")[:i]) for name in streams
                       for i in range(1, name.count("/") + 1)})
    entries = [""] + storages + list(streams)  # "" is the root
    big = {name: data for name, data in streams.items() if len(data) >= 4096}
    small = {name: data for name, data in streams.items() if len(data) < 4096}

    mini, mini_fat, mini_start = b"", [], {}
    for name, data in small.items():
        count = -(-len(data) // 64)
        mini_start[name] = len(mini_fat) if data else ENDOFCHAIN
        mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + [ENDOFCHAIN] * bool(count)
        mini += data.ljust(count * 64, b"\0")

    def sectors(data: bytes) -> list[bytes]:
        return [data[i:i + 512].ljust(512, b"\0") for i in range(0, len(data), 512)]

    # the chains after the FAT: directory, mini FAT, mini stream, big streams
    chains = [("dir", sectors(b"\0" * 128 * len(entries))),
              ("minifat", sectors(b"".join(struct.pack("<I", n) for n in mini_fat))),
              ("mini", sectors(mini))] + [(name, sectors(data)) for name, data in big.items()]
    body_count = sum(len(s) for _, s in chains)
    fat_count = 1
    while fat_count * 128 < fat_count + body_count:
        fat_count += 1
    fat, start, body = [FATSECT] * fat_count, {}, []
    for key, chain in chains:
        start[key] = len(fat) if chain else ENDOFCHAIN
        fat += [len(fat) + i + 1 for i in range(len(chain) - 1)] + [ENDOFCHAIN] * bool(chain)
        body.append(chain)
    fat += [FREESECT] * (fat_count * 128 - len(fat))

    def entry(index: int) -> bytes:
        path = entries[index]
        name = path.rsplit("/", 1)[-1] if path else "Root Entry"
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        kids = sorted((i for i, p in enumerate(entries) if p and (p.rsplit("/", 1)[0] if "/" in p else "") == path
                       and i != index), key=lambda i: (len(entries[i].rsplit("/", 1)[-1]),
                                                       entries[i].rsplit("/", 1)[-1].upper()))
        siblings = sorted((i for i, p in enumerate(entries) if p and (p.rsplit("/", 1)[0] if "/" in p else "")
                           == parent), key=lambda i: (len(entries[i].rsplit("/", 1)[-1]),
                                                      entries[i].rsplit("/", 1)[-1].upper()))
        right = NOSTREAM
        if path and siblings.index(index) + 1 < len(siblings):
            right = siblings[siblings.index(index) + 1]  # siblings as a chain to the right
        if not path:
            kind, first, size = 5, start["mini"], len(mini)
        elif path in streams:
            kind, size = 2, len(streams[path])
            first = start[path] if path in big else mini_start[path]
        else:
            kind, first, size = 1, 0, 0
        encoded = name.encode("utf-16-le") + b"\0\0"
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, NOSTREAM, right,
                           kids[0] if kids and kind != 2 else NOSTREAM, b"\0" * 16, 0, 0, 0, first, size)

    body[0] = sectors(b"".join(entry(i) for i in range(len(entries))))
    difat = list(range(fat_count)) + [FREESECT] * (109 - fat_count)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII109I", bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16,
                         0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, fat_count, start["dir"], 0, 4096,
                         start["minifat"], len(sectors(b"".join(struct.pack("<I", n) for n in mini_fat))),
                         ENDOFCHAIN, 0, *difat)
    fat_bytes = b"".join(struct.pack("<I", n) for n in fat)
    return header + fat_bytes + b"".join(s for chain in body for s in chain)


def hwp_record(tag: int, payload: bytes, level: int = 0) -> bytes:
    if len(payload) < 0xFFF:
        return struct.pack("<I", tag | level << 10 | len(payload) << 20) + payload
    return struct.pack("<II", tag | level << 10 | 0xFFF << 20, len(payload)) + payload


TABLE_CONTROL = struct.pack("<H4s8sH", 11, b" lbt", b"\0" * 8, 11)  # 8 WCHARs: code, 'tbl ', params, code
TAB_CONTROL = struct.pack("<8H", 9, 4000, 0, 0, 0, 0, 0, 9)  # a tab is an inline control: 8 WCHARs too


def hwp_paragraph(*parts: str | bytes) -> bytes:
    """PARA_HEADER + PARA_TEXT records; bytes parts are raw controls."""
    text = b"".join(p if isinstance(p, bytes) else p.encode("utf-16-le") for p in parts)
    return hwp_record(66, b"\0" * 22) + hwp_record(67, text + b"\r\0", level=1)


def summary_stream(title: str, created: dt.datetime) -> bytes:
    """An OLE property set with PIDSI_TITLE (VT_LPWSTR) and PIDSI_CREATE_DTM."""
    text = (title + "\0").encode("utf-16-le")
    values = [(2, struct.pack("<II", 0x1F, len(text) // 2) + text.ljust(-(-len(text) // 4) * 4, b"\0")),
              (12, struct.pack("<IQ", 0x40, (created - dt.datetime(1601, 1, 1)) // dt.timedelta(microseconds=1) * 10))]
    table, data, offset = b"", b"", 8 + 8 * len(values)
    for pid, value in values:
        table += struct.pack("<II", pid, offset + len(data))
        data += value
    section = struct.pack("<II", 8 + len(table) + len(data), len(values)) + table + data
    return struct.pack("<HHI16sI16sI", 0xFFFE, 0, 0x20006, b"\0" * 16, 1,
                       bytes.fromhex("60B6A29F611040D4B4C6006097C09D8C"), 48) + section


def make_hwp(sections: list[bytes], *, compressed=True, flags=0, summary: bytes | None = None) -> bytes:
    header = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, flags | compressed)
    streams = {"FileHeader": header.ljust(256, b"\0"), "DocInfo": b"\0" * 16}
    # in reverse, so that the reader has to put the sections in order
    for n, section in reversed(list(enumerate(sections))):
        if compressed:
            deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
            section = deflate.compress(section) + deflate.flush()
        streams[f"BodyText/Section{n}"] = section
    if summary is not None:
        streams["\x05HwpSummaryInformation"] = summary
    return make_cfb(streams)


def test_hwp_compressed_sections_in_order_with_an_inline_control_skipped():
    raw = make_hwp([hwp_paragraph("외교부 보도자료") + hwp_paragraph("한미 양국은 ", TABLE_CONTROL, "핵협의그룹 회의를 열었다."),
                    hwp_paragraph("둘째 구역", struct.pack("<H", 10), "줄바꿈 뒤", TAB_CONTROL, "탭")])
    [doc], problems = extract(extract_hwp, raw)
    assert doc.body == f"외교부 보도자료\n{SENTENCE}\n둘째 구역\n줄바꿈 뒤\t탭"
    assert doc.title == "외교부 보도자료"
    assert problems == []


def test_hwp_uncompressed_with_a_long_paragraph_and_summary_title_and_date():
    long_text = "가나다라마바사 " * 600  # over 4095 bytes: the record size is in an extra word
    summary = summary_stream("한글 문서 제목", dt.datetime(2025, 1, 30, 23, 30))  # UTC: 31 January in Korea
    raw = make_hwp([hwp_paragraph(SENTENCE) + hwp_paragraph(long_text)], compressed=False, summary=summary)
    assert len(raw) > 8192  # the section lives in regular sectors, the rest in the mini stream
    [doc], _ = extract(extract_hwp, raw)
    assert doc.body == f"{SENTENCE}\n{long_text.rstrip()}"
    assert doc.title == "한글 문서 제목"
    assert doc.date == dt.date(2025, 1, 31)


def test_hwp_paragraph_text_controls():
    def units(*codes):
        return struct.pack(f"<{len(codes)}H", *codes)

    field_start = struct.pack("<H4s8sH", 3, b"klh%", b"\0" * 8, 3)  # extended: 8 WCHARs
    data = ("가".encode("utf-16-le") + TAB_CONTROL + "나".encode("utf-16-le") + field_start
            + "다".encode("utf-16-le") + units(24) + units(31) + "라".encode("utf-16-le") + units(13))
    assert paragraph_text(data) == "가\t나다 라\n"


@pytest.mark.parametrize("flags, reason", [(0x4, "배포용"), (0x2, "password")])
def test_hwp_distribution_and_password_documents_are_refused(flags, reason):
    raw = make_hwp([hwp_paragraph(SENTENCE)], flags=flags)
    with pytest.raises(DocumentError, match=reason):
        list(extract_hwp(raw, "a.hwp"))


def test_hwp_that_is_not_an_ole_file_or_not_hwp_is_a_document_error():
    with pytest.raises(DocumentError, match="a.hwp: not an HWP 5 document"):
        list(extract_hwp(b"PK\x03\x04 a zip, say" * 200, "a.hwp"))
    with pytest.raises(DocumentError, match="no FileHeader"):
        list(extract_hwp(make_cfb({"WordDocument": b"\0" * 100}), "a.hwp"))
    with pytest.raises(DocumentError, match="damaged HWP file"):
        list(extract_hwp(make_hwp([hwp_paragraph(SENTENCE)])[:700], "a.hwp"))


def test_hwp_damaged_or_oversized_body_is_a_document_error(monkeypatch):
    with pytest.raises(DocumentError, match="cannot be inflated"):
        list(extract_hwp(make_hwp([b"not deflate data"], compressed=False, flags=1), "a.hwp"))
    with pytest.raises(DocumentError, match="damaged"):
        list(extract_hwp(make_hwp([hwp_paragraph(SENTENCE)[:-6]]), "a.hwp"))
    monkeypatch.setattr(hwp_module, "MAX_TEXT_BYTES", 1000)
    with pytest.raises(DocumentError, match="expands to more than"):
        list(extract_hwp(make_hwp([hwp_paragraph("가" * 2000)]), "a.hwp"))


# -- HWPX and DOCX (zips of XML) ---------------------------------------------------------


def make_zip(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


HP = 'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section"'


def hwpx_section(*paragraphs: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes" ?><hs:sec {HP}>'
            + "".join(f'<hp:p id="{n}"><hp:run charPrIDRef="0">{p}</hp:run></hp:p>' for n, p in enumerate(paragraphs))
            + "</hs:sec>")


CONTENT_HPF = """<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<opf:package xmlns:opf="http://www.idpf.org/2007/opf/" version="" unique-identifier="" id="">
<opf:metadata><opf:title>한글 문서 제목</opf:title><opf:language>ko</opf:language>
<opf:meta name="CreatedDate" content="text">2025-02-02T16:00:00Z</opf:meta></opf:metadata>
<opf:manifest><opf:item id="header" href="Contents/header.xml" media-type="application/xml"/>
<opf:item id="section1" href="Contents/section1.xml" media-type="application/xml"/>
<opf:item id="section0" href="Contents/section0.xml" media-type="application/xml"/></opf:manifest>
<opf:spine><opf:itemref idref="header" linear="yes"/><opf:itemref idref="section0" linear="yes"/>
<opf:itemref idref="section1" linear="yes"/></opf:spine></opf:package>"""


def test_hwpx_paragraphs_in_spine_order_with_title_and_date_from_content_hpf():
    raw = make_zip({
        "mimetype": "application/hwp+zip",
        "Contents/content.hpf": CONTENT_HPF,
        "Contents/header.xml": f"<hh:head xmlns:hh='urn:h' {HP}><hp:p><hp:run><hp:t>머리</hp:t></hp:run></hp:p></hh:head>",
        "Contents/section1.xml": hwpx_section("<hp:t>둘째 구역</hp:t>"),
        "Contents/section0.xml": hwpx_section(
            "<hp:t>외교부 보도자료</hp:t>",
            "<hp:t>한미 양국은 </hp:t></hp:run><hp:run><hp:t>핵협의그룹 회의를 열었다.</hp:t>",
            "<hp:t>탭<hp:tab width='4000' leader='0' type='1'/>뒤<hp:lineBreak/>줄</hp:t>",
            "<hp:tbl><hp:tr><hp:tc><hp:subList><hp:p><hp:run><hp:t>표 칸</hp:t></hp:run></hp:p>"
            "</hp:subList></hp:tc></hp:tr></hp:tbl>",
        ),
    })
    [doc], problems = extract(extract_hwpx, raw)
    assert doc.body == f"외교부 보도자료\n{SENTENCE}\n탭\t뒤\n줄\n\n표 칸\n둘째 구역"
    assert doc.title == "한글 문서 제목"
    assert doc.date == dt.date(2025, 2, 3)  # 16:00Z is past midnight in Korea
    assert problems == []


def test_hwpx_without_content_hpf_reads_sections_in_numeric_order():
    raw = make_zip({f"Contents/section{n}.xml": hwpx_section(f"<hp:t>구역 {n}</hp:t>") for n in (10, 2, 0, 1)})
    [doc], _ = extract(extract_hwpx, raw)
    assert doc.body == "구역 0\n구역 1\n구역 2\n구역 10"
    assert doc.title == "구역 0"


def make_docx(paragraphs_xml: str, core: str | None = None) -> bytes:
    members = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                              'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                              f"<w:body>{paragraphs_xml}</w:body></w:document>"),
    }
    if core is not None:
        members["docProps/core.xml"] = (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{core}</cp:coreProperties>')
    return make_zip(members)


def test_docx_paragraphs_runs_tabs_breaks_tables_and_core_properties():
    raw = make_docx(
        "<w:p><w:r><w:t>외교부 보도자료</w:t></w:r></w:p>"
        '<w:p><w:r><w:t xml:space="preserve">한미 양국은 </w:t></w:r><w:r><w:t>핵협의그룹 회의를 열었다.</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>탭</w:t><w:tab/><w:t>뒤</w:t><w:br/><w:t>줄</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>표 칸</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:del><w:r><w:delText>지운 글</w:delText></w:r></w:del><w:r><w:t>남은 글</w:t></w:r></w:p>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>글상자</w:t></mc:Choice>"
        "<mc:Fallback><w:t>글상자</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        core="<dc:title>문서 제목</dc:title>"
             '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-30T23:30:00Z</dcterms:created>'
             '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-03-01T00:00:00Z</dcterms:modified>',
    )
    [doc], problems = extract(extract_docx, raw)
    assert doc.body == f"외교부 보도자료\n{SENTENCE}\n탭\t뒤\n줄\n표 칸\n남은 글\n글상자"
    assert doc.title == "문서 제목"
    assert doc.date == dt.date(2025, 1, 31)
    assert problems == []


def test_docx_without_core_properties_takes_the_first_line_and_a_date_in_the_text():
    [doc], _ = extract(extract_docx, make_docx("<w:p><w:r><w:t>보도자료</w:t></w:r></w:p>"
                                               "<w:p><w:r><w:t>2025. 3. 12.</w:t></w:r></w:p>"))
    assert (doc.title, doc.date) == ("보도자료", dt.date(2025, 3, 12))


@pytest.mark.parametrize("function, member", [(extract_docx, "word/document.xml"),
                                              (extract_hwpx, "Contents/section0.xml")])
def test_zip_bomb_is_refused_before_it_is_inflated(function, member):
    raw = make_zip({member: b"\0" * (MAX_EXPANDED + 10 * 2**20)})
    assert len(raw) < 2**20
    with pytest.raises(DocumentError, match=rf"bomb: expands to more than 50 MB \(at {member}; a zip bomb\?\)"):
        list(function(raw, "bomb"))


def test_the_size_bound_is_for_all_members_of_a_file_together(monkeypatch):
    monkeypatch.setattr(_zipxml, "MAX_EXPANDED", 3000)
    paragraph = "<w:p><w:r><w:t>가나다</w:t></w:r></w:p>"
    [doc] = extract_docx(make_docx(paragraph * 40), "a.docx")  # about 1.7 kB: read
    with pytest.raises(DocumentError, match=r"expands to more than .* \(at docProps/core.xml"):
        list(extract_docx(make_docx(paragraph * 40, core="<dc:title>" + "가" * 500 + "</dc:title>"), "a.docx"))


def test_zip_member_bigger_than_it_declares_is_not_read_past_its_size():
    raw = bytearray(make_zip({"word/document.xml": b" " * 2**21}))
    local, central = 0, raw.rindex(b"PK\x01\x02")
    struct.pack_into("<I", raw, local + 22, 100)  # uncompressed size, local header
    struct.pack_into("<I", raw, central + 24, 100)  # and central directory
    with pytest.raises(DocumentError, match="damaged zip member word/document.xml"):
        list(extract_docx(bytes(raw), "liar.docx"))


@pytest.mark.parametrize("function, member", [(extract_docx, "word/document.xml"),
                                              (extract_hwpx, "Contents/section0.xml")])
def test_xml_with_entity_declarations_is_refused(function, member):
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
           '<root>&lol2;</root>')
    with pytest.raises(DocumentError, match="DOCTYPE or ENTITY"):
        list(function(make_zip({member: lol}), "lol"))
    utf16 = lol.replace('"1.0"', '"1.0" encoding="UTF-16"').encode("utf-16")
    with pytest.raises(DocumentError, match="DOCTYPE or ENTITY"):
        list(function(make_zip({member: utf16}), "lol"))


def test_not_a_zip_broken_xml_and_missing_parts_are_document_errors():
    with pytest.raises(DocumentError, match="a.docx: not a Word .* file"):
        list(extract_docx(b"{\\rtf1 a Word 97 file renamed}", "a.docx"))
    with pytest.raises(DocumentError, match="invalid XML"):
        list(extract_docx(make_zip({"word/document.xml": "<w:document"}), "a.docx"))
    with pytest.raises(DocumentError, match="no word/document.xml"):
        list(extract_docx(make_zip({"hello.txt": "hi"}), "a.docx"))
    with pytest.raises(DocumentError, match="a.hwpx: not an HWPX file"):
        list(extract_hwpx(b"\xd0\xcf\x11\xe0 an HWP 5 file renamed", "a.hwpx"))
    with pytest.raises(DocumentError, match="no Contents/section0.xml"):
        list(extract_hwpx(make_zip({"mimetype": "application/hwp+zip"}), "a.hwpx"))


# -- records: JSON Lines, JSON, CSV -----------------------------------------------------

KOREAN_FIELDS = ExtractOptions(id_field="no", text_field="내용", title_field="제목")
RECORDS = [
    {"no": 7, "제목": "첫 기사", "내용": SENTENCE, "date": "2025-03-12", "source": "국방부"},
    {"제목": "본문 없는 기사"},
    {"제목": "둘째 기사", "내용": "사과와 배 가격이 안정되었다."},
]


def by_field(function, raw, path):
    problems = []
    docs = list(function(raw, path, on_error=problems.append, options=KOREAN_FIELDS))
    return docs, problems


def check_records(docs, problems, where, reason="no '내용' field"):
    assert [(d.id, d.title, d.body) for d in docs] == [
        ("7", "첫 기사", SENTENCE), ("#3", "둘째 기사", "사과와 배 가격이 안정되었다.")]
    assert (docs[0].date, docs[0].source) == (dt.date(2025, 3, 12), "국방부")
    assert [str(p) for p in problems] == [f"{where}: {reason}"]
    assert not isinstance(problems[0], DocumentWarning)


def test_jsonl_records_with_custom_field_names():
    raw = "\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS).encode()
    check_records(*by_field(extract_jsonl, raw, "a.jsonl"), "a.jsonl:2")


@pytest.mark.parametrize("shape", ["array", "wrapped"])
def test_json_records_with_custom_field_names(shape):
    data = RECORDS if shape == "array" else {"total": 3, "items": RECORDS}
    raw = json.dumps(data, ensure_ascii=False).encode()
    check_records(*by_field(extract_json, raw, "a.json"), "a.json:2")


def test_csv_records_with_custom_field_names_in_cp949():
    text = "no,제목,내용,date,source\r\n7,첫 기사,\"한미 양국은 핵협의그룹 회의를 열었다.\",2025-03-12,국방부\r\n,본문 없는 기사,,,\r\n,둘째 기사,사과와 배 가격이 안정되었다.,,\r\n"
    # an empty cell is an empty field
    check_records(*by_field(extract_csv, text.encode("cp949"), "a.csv"), "a.csv:3", "the '내용' field is empty")
    check_records(*by_field(extract_csv, text.encode("utf-8-sig"), "a.csv"), "a.csv:3", "the '내용' field is empty")


def test_default_text_field_also_takes_text_or_content():
    raw = json.dumps([{"text": "본문 하나"}, {"content": "본문 둘", "id": "b"}, {"body": "본문 셋"}],
                     ensure_ascii=False).encode()
    docs, problems = extract(extract_json, raw)
    assert [(d.id, d.body) for d in docs] == [("#1", "본문 하나"), ("b", "본문 둘"), ("#3", "본문 셋")]
    assert problems == []


def test_csv_keeps_long_cells_and_multi_line_cells():
    body = "긴 본문 " * 40_000  # over the csv module's default field limit
    raw = f'id,body\n1,"{body}"\n2,"첫 줄\n둘째 줄"\n'.encode()
    docs, problems = extract(extract_csv, raw)
    assert [d.body for d in docs] == [body.strip(), "첫 줄\n둘째 줄"]
    assert problems == []


def test_bad_records_and_bad_files():
    docs, problems = extract(extract_jsonl, b'{"body": "a"}\nnot json\n[1, 2]\n', "a.jsonl")
    assert [d.body for d in docs] == ["a"]
    assert [p.path for p in problems] == ["a.jsonl:2", "a.jsonl:3"]
    docs, problems = extract(extract_json, b'[{"body": "a"}, "b", {"body": {"x": 1}}]', "a.json")
    assert [d.body for d in docs] == ["a"]
    assert [p.path for p in problems] == ["a.json:2", "a.json:3"]
    docs, problems = extract(extract_json, b'{"n": 2, "items": [{"body": "a"}, 3]}', "a.json")
    assert [d.body for d in docs] == ["a"]
    assert [p.path for p in problems] == ["a.json:2"]
    with pytest.raises(DocumentError, match="not valid JSON"):
        list(extract_json(b'[{"body": "a"}', "a.json"))
    with pytest.raises(DocumentError, match="expected a JSON array"):
        list(extract_json(b'{"a": 1, "b": 2}', "a.json"))
    with pytest.raises(DocumentError, match="no header row"):
        list(extract_csv(b"\n\n", "a.csv"))
    with pytest.raises(DocumentError, match=r"a.jsonl:2: no 'body' field"):
        list(extract_jsonl(b'{"body": "a"}\n{"title": "b"}\n', "a.jsonl"))  # no on_error: raised


# -- missing extras and the whole pipeline --------------------------------------------------


@pytest.mark.parametrize("module, function, extra", [("pypdf", extract_pdf, "searchko[pdf]"),
                                                      ("olefile", extract_hwp, "searchko[hwp]")])
def test_a_missing_extra_names_what_to_install(monkeypatch, module, function, extra):
    monkeypatch.setitem(sys.modules, module, None)  # makes the import fail
    with pytest.raises(MissingExtraError, match=extra.replace("[", r"\[")):
        list(function(b"", "x"))


def test_iter_documents_reads_every_new_format_and_reports_a_corrupt_file(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps([{"body": "제이슨 본문"}], ensure_ascii=False), "utf-8")
    (folder / "b.csv").write_bytes("body\n시에스브이 본문\n".encode("cp949"))
    (folder / "c.pdf").write_bytes(make_pdf([["피디에프 본문"]]))
    (folder / "d.hwpx").write_bytes(make_zip({"Contents/section0.xml": hwpx_section("<hp:t>한글 본문</hp:t>")}))
    (folder / "e.hwp").write_bytes(make_hwp([hwp_paragraph("한글 5 본문")]))
    (folder / "f.docx").write_bytes(make_docx("<w:p><w:r><w:t>워드 본문</w:t></w:r></w:p>"))
    (folder / "broken.docx").write_bytes(b"not a zip")
    problems = []
    docs = list(searchko.iter_documents([folder], on_error=problems.append))
    assert {d.id: d.body for d in docs} == {
        "docs/a.json#1": "제이슨 본문", "docs/b.csv#1": "시에스브이 본문", "docs/c.pdf": "피디에프 본문",
        "docs/d.hwpx": "한글 본문", "docs/e.hwp": "한글 5 본문", "docs/f.docx": "워드 본문"}
    assert [(type(p), p.path) for p in problems] == [(DocumentError, str(folder / "broken.docx"))]
