#!/usr/bin/env python3
"""Writes the synthetic documents docread_test.c reads (tests/docs/).

Every document is invented: Harrowmere Borough Council does not exist.
The same three recommendations (four actions) are laid out the way
councils publish them, one layout per format:
  plan.docx  Word table, numbered recommendations (Word numbering), a
             merged title row (gridSpan), recommendation 1 over two rows
             (vMerge), a cell of two paragraphs, a lettered list.
  plan.odt   OpenDocument table with a No. column, a merged theme row
             (number-columns-spanned + covered cells), recommendation 1
             over two rows (number-rows-spanned), a lettered list.
  plan.html  a ModernGov-like page: script, style, nav, header, footer,
             a layout table around the content, the plan as a table with
             rowspan and colspan and <br> in cells, a small table in a
             cell, an <ol type="a">.
  plan.pdf   a hand-written PDF: text placed with Tm/Tj, a paragraph, a
             table whose cells wrap onto several lines, rows separated by
             padding, and a paragraph after it.
  pages.pdf  six recommendations on short pages: the table breaks over
             pages, a row split by the break, the header row repeated,
             a page footer between.
  nohead.pdf the same without the header repeated, the last page's
             table with no text in the Response column.
And the documents the refusals need:
  undated.docx  plan.docx with no date in its text (dated by core.xml)
  renamed.pdf   plan.docx under a PDF's name (read by content: Word)
  other.zip     a zip that is neither Word nor OpenDocument
  xxe.docx      a document.xml that declares an external entity
  bomb.docx     a document.xml that inflates to 51 MiB (over 50 MiB)

Python 3 standard library only.  Run from anywhere:
  python3 tests/docs/make_fixtures.py
Output is deterministic (fixed zip timestamps)."""

import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2025, 3, 14, 10, 0, 0)

RECS = [
    ("1", "That the service publishes a placement sufficiency strategy "
          "for children in care by the end of the year.",
     ["Accepted. The strategy will be written with foster carers."],
     [("Draft the sufficiency strategy and consult foster carers and "
       "children in care.", "Head of Corporate Parenting", "March 2026"),
      ("Report progress on the strategy to the panel every six months.",
       "Scrutiny Officer", "September 2025")]),
    ("2", "That every child in care has a named link worker in the "
          "placements team.",
     ["Partly accepted.",
      "Link workers will be named for children placed out of area first."],
     [("Recruit two additional link workers for out of area placements.",
       "Placements Team Manager", "September 2025")]),
    ("3", "That the panel receives a quarterly report on unplanned "
          "placement endings.",
     ["Accepted."],
     [("Add unplanned endings to the quarterly performance report.",
       "Performance Manager", "June 2025")]),
]

TITLE = "Placement Stability Review: Action Plan"
INTRO = ("Harrowmere Borough Council, Children and Young People Scrutiny "
         "Panel. The panel's recommendations and the service's response.")
AFTER = "Contact: Scrutiny Officer, Harrowmere Borough Council."


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def write_zip(path, entries, stored_first=None):
    with zipfile.ZipFile(path, "w") as z:
        if stored_first:
            name, data = stored_first
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_STORED
            z.writestr(info, data)
        for name, data in entries:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


# ---------------------------------------------------------------- Word

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>')

RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>')

STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:styles ' + W + '>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="Heading 2"/>'
    '</w:style>'
    '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/>'
    '</w:style></w:styles>')

NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:numbering ' + W + '>'
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="%1)"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/>'
    '<w:lvlText w:val="(%2)"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '</w:numbering>')

CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
    '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dc:title>Action plan</dc:title>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-02-01T09:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-03-14T16:30:00Z</dcterms:modified>'
    '</cp:coreProperties>')


def w_p(text, style=None, num=None, runs=None):
    ppr = ""
    if style or num:
        ppr = "<w:pPr>"
        if style:
            ppr += '<w:pStyle w:val="%s"/>' % style
        if num:
            ppr += ('<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/>'
                    '</w:numPr>' % (num[1], num[0]))
        ppr += "</w:pPr>"
    if runs is None:
        runs = '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % esc(text)
    return "<w:p>%s%s</w:p>" % (ppr, runs)


def w_tc(paras, span=None, vmerge=None):
    pr = ""
    if span or vmerge:
        pr = "<w:tcPr>"
        if span:
            pr += '<w:gridSpan w:val="%d"/>' % span
        if vmerge == "restart":
            pr += '<w:vMerge w:val="restart"/>'
        elif vmerge == "continue":
            pr += "<w:vMerge/>"
        pr += "</w:tcPr>"
    return "<w:tc>%s%s</w:tc>" % (pr, "".join(paras) or "<w:p/>")


def docx_document(extra_body="", dated=True):
    body = [w_p(TITLE, style="Heading1")]
    if dated:
        body.append(w_p("Date: 14 March 2025"))
    body += [w_p(INTRO),
            w_p("The panel looked at:"),
            w_p("how often children moved placement;", num=(2, 0)),
            w_p("why placements ended without a plan;", num=(2, 0)),
            w_p("planned moves", num=(2, 1)),
            w_p("what children in care told the panel.", num=(2, 0))]
    rows = ['<w:tr>' + w_tc([w_p("Harrowmere Borough Council: placement "
                                 "stability review")], span=5) + '</w:tr>',
            '<w:tr>' + "".join(w_tc([w_p(h)]) for h in
                               ["Recommendation", "Response", "Action",
                                "Owner", "Timescale"]) + '</w:tr>']
    for ref, rec, resp, acts in RECS:
        for k, (act, owner, when) in enumerate(acts):
            vm = None
            if len(acts) > 1:
                vm = "restart" if k == 0 else "continue"
            if k == 0:
                rec_c = w_tc([w_p(rec, num=(1, 0))], vmerge=vm)
                # the response as split runs, with a tab and a tracked
                # deletion that must not be read
                resp_c = w_tc([w_p(r, runs=(
                    '<w:r><w:t>%s</w:t></w:r><w:del><w:r><w:delText>'
                    'DELETED</w:delText></w:r></w:del>' % esc(r)))
                    for r in resp], vmerge=vm)
            else:
                rec_c = w_tc([], vmerge=vm)
                resp_c = w_tc([], vmerge=vm)
            rows.append('<w:tr>' + rec_c + resp_c + w_tc([w_p(act)]) +
                        w_tc([w_p(owner)]) + w_tc([w_p(when)]) + '</w:tr>')
    table = ('<w:tbl><w:tblPr/><w:tblGrid>' +
             '<w:gridCol w:w="2000"/>' * 5 + '</w:tblGrid>' +
             "".join(rows) + '</w:tbl>')
    body.append(w_p("Recommendations", style="Heading2"))
    body.append(table)
    body.append(w_p(AFTER))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document ' + W + '><w:body>' + "".join(body) + extra_body +
            '<w:sectPr/></w:body></w:document>')


def make_docx(path, document=None):
    write_zip(path, [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/document.xml", document or docx_document()),
        ("word/styles.xml", STYLES),
        ("word/numbering.xml", NUMBERING),
        ("docProps/core.xml", CORE),
    ])


# -------------------------------------------------------- OpenDocument

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"')

ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
    'xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type='
    '"application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" '
    'manifest:media-type="text/xml"/></manifest:manifest>')

ODT_META = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-meta ' + ODF_NS + '><office:meta>'
    '<meta:creation-date>2025-04-01T10:00:00</meta:creation-date>'
    '<dc:date>2025-04-22T15:00:00</dc:date>'
    '</office:meta></office:document-meta>')

ODT_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-styles ' + ODF_NS + '><office:styles>'
    '<text:list-style style:name="Lettered">'
    '<text:list-level-style-number text:level="1" style:num-format="a" '
    'style:num-suffix=")"/>'
    '<text:list-level-style-number text:level="2" style:num-format="i" '
    'style:num-prefix="(" style:num-suffix=")"/>'
    '</text:list-style></office:styles></office:document-styles>')


def o_p(text):
    return "<text:p>%s</text:p>" % esc(text)


def o_cell(paras, cols=None, rows=None):
    attrs = ""
    if cols:
        attrs += ' table:number-columns-spanned="%d"' % cols
    if rows:
        attrs += ' table:number-rows-spanned="%d"' % rows
    return "<table:table-cell%s>%s</table:table-cell>" % (
        attrs, "".join(o_p(p) for p in paras))


def odt_content(body_extra=""):
    heads = ["No.", "Recommendation", "Response", "Action", "Lead officer",
             "Target date"]
    rows = ["<table:table-header-rows><table:table-row>" +
            "".join(o_cell([h]) for h in heads) +
            "</table:table-row></table:table-header-rows>"]
    for ref, rec, resp, acts in RECS:
        if ref == "3":
            # a theme row merged over the six columns
            rows.append("<table:table-row>" +
                        o_cell(["Theme: reporting to the panel"], cols=6) +
                        "<table:covered-table-cell/>" * 5 +
                        "</table:table-row>")
        for k, (act, owner, when) in enumerate(acts):
            span = len(acts) if len(acts) > 1 and k == 0 else None
            if k == 0:
                first = (o_cell([ref], rows=span) + o_cell([rec], rows=span) +
                         o_cell(resp, rows=span))
            else:
                first = "<table:covered-table-cell/>" * 3
            rows.append("<table:table-row>" + first + o_cell([act]) +
                        o_cell([owner]) + o_cell([when]) +
                        "</table:table-row>")
    # trailing repeated empty cells and rows, as LibreOffice writes them
    rows.append('<table:table-row table:number-rows-repeated="1000">'
                '<table:table-cell table:number-columns-repeated="6"/>'
                '</table:table-row>')
    table = ('<table:table table:name="Plan">'
             '<table:table-column table:number-columns-repeated="6"/>' +
             "".join(rows) + "</table:table>")
    text = ('<text:h text:outline-level="1">%s</text:h>' % esc(TITLE) +
            o_p("Date: 22 April 2025") + o_p(INTRO) +
            o_p("The panel heard from:") +
            '<text:list text:style-name="Lettered">'
            '<text:list-item>' + o_p("foster carers;") + '</text:list-item>'
            '<text:list-item>' + o_p("children in care;") +
            '<text:list><text:list-item>' + o_p("living out of area") +
            '</text:list-item></text:list></text:list-item>'
            '<text:list-item>' + o_p("social workers.") + '</text:list-item>'
            '</text:list>' +
            '<text:h text:outline-level="2">Recommendations</text:h>' +
            table + o_p(AFTER) + body_extra)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content ' + ODF_NS + '><office:body>'
            '<office:text>' + text + '</office:text></office:body>'
            '</office:document-content>')


def make_odt(path, content=None):
    write_zip(path, [
        ("content.xml", content or odt_content()),
        ("styles.xml", ODT_STYLES),
        ("meta.xml", ODT_META),
        ("META-INF/manifest.xml", ODT_MANIFEST),
    ], stored_first=("mimetype", "application/vnd.oasis.opendocument.text"))


# ---------------------------------------------------------------- HTML

def make_html(path):
    rows = []
    for ref, rec, resp, acts in RECS:
        if ref == "3":
            rows.append('<tr><td colspan="6" class="theme"><strong>Theme: '
                        'reporting to the panel</strong></td></tr>')
        for k, (act, owner, when) in enumerate(acts):
            span = ' rowspan="%d"' % len(acts) if len(acts) > 1 else ""
            first = ""
            if k == 0:
                resp_html = "<br>".join(esc(r) for r in resp)
                if ref == "3":
                    # a small table inside a cell: content, not layout
                    resp_html += ('<table class="inner"><tr><td>Cost</td>'
                                  '<td>Nil</td></tr></table>')
                first = ('<td%s>%s</td><td%s>%s</td><td%s>%s</td>' %
                         (span, ref, span, esc(rec), span, resp_html))
            rows.append("<tr>%s<td>%s</td><td>%s</td><td>%s</td></tr>" %
                        (first, esc(act), esc(owner), esc(when)))
    page = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Agenda item - Harrowmere Borough Council</title>
<script>var tracking = "Recommendation 9. That this script is not read";</script>
<style>td { padding: 4px } .theme { font-weight: bold }</style>
</head><body>
<header><a href="/">Harrowmere Borough Council</a> | Home | Councillors</header>
<nav><ul><li>Committees</li><li>Meetings</li><li>Decisions</li></ul></nav>
<table class="mgLayout" width="100%%"><tr>
<td class="mgSideMenu" role="navigation"><ul><li>Browse meetings</li><li>Calendar</li></ul></td>
<td class="mgContent">
<h1 class="mgMainTitle">%s</h1>
<p>Date: 9 May 2025</p>
<p>%s</p>
<table class="mgTable" summary="Action plan">
<caption>Recommendations</caption>
<thead><tr><th>Ref</th><th>Recommendation</th><th>Response</th><th>Action</th>
<th>Responsible officer</th><th>Timescale</th></tr></thead>
<tbody>
%s
</tbody></table>
<p>The panel asked for:</p>
<ol type="a"><li>a briefing on
 foster carer recruitment;</li><li value="3"><p>a visit to a children's home.</p></li></ol>
<p>%s</p>
</td></tr></table>
<footer>Copyright Harrowmere Borough Council | Accessibility statement</footer>
</body></html>
""" % (esc(TITLE), esc(INTRO), "\n".join(rows), esc(AFTER))
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)


# ----------------------------------------------------------------- PDF

def pdf_str(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def wrap(text, width_chars):
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width_chars:
            lines.append(cur)
            cur = word
        else:
            cur = (cur + " " + word) if cur else word
    if cur:
        lines.append(cur)
    return lines


MORE_RECS = [
    ("4", "That foster carers are offered respite within four weeks of "
          "asking for it, and that the wait is reported to the panel.",
     ["Accepted."],
     [("Set up a respite rota with the fostering service and record each "
       "request and the date respite began.", "Fostering Service Manager",
       "December 2025")]),
    ("5", "That children moving placement are told why, in words they "
          "understand, before the move.",
     ["Accepted."],
     [("Add the explanation to the placement move checklist and audit "
       "twenty moves.", "Principal Social Worker", "October 2025")]),
    ("6", "That the panel revisits placement stability in a year.",
     ["Accepted."],
     [("Schedule the item in the panel's work programme.",
       "Scrutiny Officer", "March 2026")]),
]


class PdfWriter:
    """Text placed with Tm/Tj on pages of a given size (Helvetica)."""

    def __init__(self, width, height):
        self.width, self.height = width, height
        self.pages = [[]]

    def text(self, x, y, s, size=8.0):
        self.pages[-1].append("BT /F1 %.1f Tf 1 0 0 1 %.1f %.1f Tm (%s) Tj ET"
                              % (size, x, y, pdf_str(s)))

    def new_page(self):
        self.pages.append([])

    def write(self, path, info):
        n = len(self.pages)
        # objects: 1 catalog, 2 pages, 3 font, 4 info, then page+content
        kids = " ".join("%d 0 R" % (5 + 2 * i) for i in range(n))
        objs = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids.encode() +
            b"] /Count %d >>" % n,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
            b"/Encoding /WinAnsiEncoding >>",
            info,
        ]
        for i, ops in enumerate(self.pages):
            stream = "\n".join(ops).encode("latin-1")
            objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
                        b"/Resources << /Font << /F1 3 0 R >> >> "
                        b"/Contents %d 0 R >>" %
                        (self.width, self.height, 6 + 2 * i))
            objs.append(b"<< /Length %d >>\nstream\n" % len(stream) +
                        stream + b"\nendstream")
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, o in enumerate(objs):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n"
                b"startxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
        with open(path, "wb") as f:
            f.write(out)


def pdf_plan(path, recs, height, repeat_header):
    """The plan as a PDF table on pages `height` points high: rows that
    do not fit are split (their first lines on one page, the rest on the
    next, as word processors do), each page has a footer, and the header
    row is repeated after a page break when repeat_header."""
    size, lead, pad = 8.0, 10.0, 7.0
    # columns: x and width in characters (Helvetica 8pt: < 4.6pt a char)
    cols = [(40, 24), (170, 22), (290, 26), (430, 14), (510, 10)]
    header = ["Recommendation", "Response", "Action", "Owner", "Timescale"]
    pdf = PdfWriter(595, height)
    top, bottom = height - 42.0, 50.0
    page = [1]

    def footer():
        pdf.text(280, 30, "Page %d" % page[0])

    y = top
    pdf.text(40, y, TITLE, 14)
    y -= 24
    for line in wrap(INTRO, 110):
        pdf.text(40, y, line)
        y -= lead
    y -= 12
    pdf.text(40, y, "Date: 14 March 2025")
    y -= 24

    def lines_of(cells):
        return [wrap(c, cols[i][1]) for i, c in enumerate(cells)]

    def place(wrapped, first, count):
        nonlocal y
        for i, w in enumerate(wrapped):
            for k, line in enumerate(w[first:first + count]):
                pdf.text(cols[i][0], y - k * lead, line)
        y -= count * lead + pad

    def row(cells):
        nonlocal y
        wrapped = lines_of(cells)
        height_lines = max(len(w) for w in wrapped) or 1
        done = 0
        while done < height_lines:
            fit = int((y - bottom) // lead)
            if fit <= 0:
                footer()
                pdf.new_page()
                page[0] += 1
                y = top
                if repeat_header:
                    place(lines_of(header), 0, 1)
                continue
            n = min(fit, height_lines - done)
            place(wrapped, done, n)
            done += n

    row(header)
    for ref, rec, resp, acts in recs:
        for k, (act, owner, when) in enumerate(acts):
            if k == 0:
                row([ref + ". " + rec, " ".join(resp), act, owner, when])
            else:
                row(["", "", act, owner, when])
    y -= 16
    for line in wrap(AFTER, 110):
        pdf.text(40, y, line)
        y -= lead
    footer()
    pdf.write(path, b"<< /Title (Action plan) /CreationDate "
              b"(D:20250301090000Z) /ModDate (D:20250314163000Z) >>")


def make_pdf(path):
    pdf_plan(path, RECS, 842, True)


# ------------------------------------------------------------ refusals

def make_refusals():
    with open(os.path.join(HERE, "plan.docx"), "rb") as f:
        docx = f.read()
    with open(os.path.join(HERE, "renamed.pdf"), "wb") as f:
        f.write(docx)
    write_zip(os.path.join(HERE, "other.zip"),
              [("readme.txt", "Minutes of the panel.\n"),
               ("data/figures.csv", "month,moves\nJanuary,4\n")])
    xxe = ('<?xml version="1.0" encoding="UTF-8"?>'
           '<!DOCTYPE w:document [<!ENTITY secret SYSTEM '
           '"file:///etc/passwd"><!ENTITY lol "lol">]>'
           '<w:document ' + W + '><w:body><w:p><w:r><w:t>&secret;&lol;'
           '</w:t></w:r></w:p></w:body></w:document>')
    make_docx(os.path.join(HERE, "xxe.docx"), document=xxe)
    bomb = docx_document(extra_body="<w:p><w:r><w:t>" + " " *
                         (51 * 1024 * 1024) + "</w:t></w:r></w:p>")
    make_docx(os.path.join(HERE, "bomb.docx"), document=bomb)


def main():
    make_docx(os.path.join(HERE, "plan.docx"))
    # the same without a date in its text: dated by its properties
    make_docx(os.path.join(HERE, "undated.docx"),
              document=docx_document(dated=False))
    make_odt(os.path.join(HERE, "plan.odt"))
    make_html(os.path.join(HERE, "plan.html"))
    make_pdf(os.path.join(HERE, "plan.pdf"))
    # six recommendations on short pages: the table breaks twice, a row
    # split over the break, the header repeated and a footer between
    pdf_plan(os.path.join(HERE, "pages.pdf"), RECS + MORE_RECS, 300, True)
    # the same without the repeated header, and recommendation 6 without
    # a response: the last page's table has no text in that column
    last = MORE_RECS[2]
    pdf_plan(os.path.join(HERE, "nohead.pdf"),
             RECS + MORE_RECS[:2] + [(last[0], last[1], [""], last[3])],
             300, False)
    make_refusals()


if __name__ == "__main__":
    main()
