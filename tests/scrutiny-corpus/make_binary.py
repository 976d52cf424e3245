#!/usr/bin/env python3
"""Writes the corpus's Word, OpenDocument and PDF documents (issue 12:
"a .docx, an .odt, an HTML page and a PDF, each laid out differently").

  28-word-progress-vmerge.docx    Brindlecombe, children missing from home
      and care: a six-monthly progress report (Word).  Cover lines with
      the meeting date, the report's own "2.1 That the Committee notes"
      recommendation, then Appendix A: one table with a merged title row
      (gridSpan), a repeated header row (tblHeader), columns Rec no. |
      Recommendation | Agreed | Agreed action | Lead officer | Target
      date | RAG rating | Progress update, recommendation 3 over two
      rows (vMerge), RAG cells shaded, split runs, a bookmark, a tracked
      insertion, a two-paragraph progress cell; RAG key, contact line and
      a page footer part.  core.xml dated before the meeting.
  29-odt-ofsted-plan-themes.odt   Yarrowfield, Ofsted focused visit to the
      front door: an improvement plan (LibreOffice).  Ref R1..R5 |
      Area for improvement | Action | Owner | Timescale | Status, theme
      rows spanning the six columns (number-columns-spanned + covered
      cells), R3 over two rows (number-rows-spanned), a line break in an
      owner, a soft page break, trailing repeated empty rows.  No date
      in the text: only meta.xml's dc:date (and an earlier creation
      date).
  30-pdf-cabinet-response-landscape.pdf  Ramsgill, family hubs: a Cabinet
      response (PDF as Word exports it): landscape, six columns (No. |
      Recommendation | Cabinet response | Action | Lead officer |
      Timetable), cells drawn line by line with Td, bold header row on a
      shaded band, ruled rows, the title in TJ arrays with kerning,
      statuses written in the Timetable ("June 2025 – completed"), a
      recommendation not accepted with no action, the table breaking
      after recommendation 3 with the header repeated on page 2, a
      running header and a "Page N of 2" footer on each page.

Every council, person, post, address and number is invented (telephone
numbers in Ofcom's drama range 01632 960xxx, addresses under
example.org).  The NAME.expected.json beside each file was written by
hand from the lists below.

Python 3 standard library only; the helpers come from
tests/docs/make_fixtures.py.  Run from anywhere:
  python3 tests/scrutiny-corpus/make_binary.py
Output is deterministic (fixed zip timestamps, no clock)."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ left in tests/docs
sys.path.insert(0, os.path.join(HERE, "..", "docs"))

from make_fixtures import (W, ODF_NS, ODT_MANIFEST, esc, o_p, pdf_str,  # noqa: E402
                           w_p, w_tc, wrap, write_zip)

# ------------------------------------------------------------------ 28
# Word progress report.  (ref, recommendation, agreed, actions), each
# action (text, lead officer, target date, RAG rating, progress paras).

RECS28 = [
    ("1", "That every child who returns from a missing episode is offered "
          "a return home interview within 72 hours.", "Yes",
     [("Commission an independent return home interview service with "
       "capacity to make contact within 72 hours.",
       "Head of Targeted Youth Support", "April 2025", "Blue",
       ["New service started in April 2025.",
        "87% of interviews were offered within 72 hours in the last "
        "quarter."])]),
    ("2", "That return home interview findings are shared with the police "
          "and schools through the exploitation panel.", "Yes",
     [("Add return interview findings to the exploitation panel's "
       "standing agenda.", "Exploitation Panel Chair", "June 2025",
       "Completed", ["A standing item since the June panel."])]),
    ("3", "That foster carers and residential staff receive training on "
          "reporting a child missing.", "Partially",
     [("Deliver missing-from-care training to all in-house foster carers.",
       "Fostering Service Manager", "December 2025", "Green",
       ["142 of 190 carers trained so far."]),
      ("Include the missing protocol in the terms of contracts with "
       "external residential providers.", "Commissioning Manager",
       "March 2026", "Amber",
       ["Contract variation delayed by the renewal of the regional "
        "framework."])]),
    ("4", "That the Council funds a dedicated missing children's "
          "coordinator post in every locality.", "No",
     [("Extend the existing coordinator's role to cover the three "
       "localities, with administrative support.", "Head of Safeguarding",
       "September 2025", "Red",
       ["The administrative post has not been recruited to."])]),
    ("5", "That the Committee receives a quarterly report on children "
          "missing from home and care.", "Yes",
     [("Add missing episode measures to the quarterly performance report.",
       "Performance and Intelligence Manager", "January 2026", "Green",
       ["The first report is scheduled for the January meeting."])]),
]

RAG_FILL = {"Blue": "00B0F0", "Completed": "00B0F0", "Green": "92D050",
            "Amber": "FFC000", "Red": "FF0000"}

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/'
    'vnd.openxmlformats-package.core-properties+xml"/></Types>')

DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/><Relationship Id="rId2" Type="http://'
    'schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/></Relationships>')

DOCX_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/footer" '
    'Target="footer1.xml"/></Relationships>')

DOCX_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:styles ' + W + '>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
    '<w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>'
    '</w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
    '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
    '</w:style></w:styles>')

DOCX_FOOTER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:ftr ' + W + '><w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
    'xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar '
    'w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar '
    'w:fldCharType="end"/></w:r></w:p></w:ftr>')

# Written the week before the meeting: the text's date is the document's.
DOCX_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
    '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dc:title>Missing children progress report</dc:title>'
    '<dc:creator>Scrutiny Officer</dc:creator>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-10-20T08:41:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-10-31T15:12:00Z</dcterms:modified>'
    '</cp:coreProperties>')


def w_bold(text):
    return ('<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">%s</w:t>'
            '</w:r>' % esc(text))


def w_run(text):
    return '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % esc(text)


def w_tc_shaded(text, fill):
    return ('<w:tc><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="%s"/>'
            '</w:tcPr>%s</w:tc>' % (fill, w_p(text)))


def w_rec_runs(text):
    """The recommendation as Word leaves it after editing: split runs, a
    spelling mark and a bookmark."""
    words = text.split(" ")
    head, tail = " ".join(words[:3]) + " ", " ".join(words[3:])
    return (w_run(head) + '<w:proofErr w:type="spellStart"/>' +
            '<w:bookmarkStart w:id="0" w:name="_Hlk1"/>' + w_run(tail) +
            '<w:bookmarkEnd w:id="0"/><w:proofErr w:type="spellEnd"/>')


def docx28_document():
    body = [
        w_p("Brindlecombe Borough Council", style="Title"),
        w_p("", runs=w_bold("Report to: ") +
            w_run("Children and Young People Scrutiny Committee")),
        w_p("", runs=w_bold("Date of meeting: ") + w_run("11 November 2025")),
        w_p("", runs=w_bold("Report of: ") +
            w_run("Director of Children's Services")),
        w_p("", runs=w_bold("Title: ") +
            w_run("Children missing from home and care: progress on the "
                  "scrutiny review's recommendations")),
        w_p("1. Purpose of the report", style="Heading1"),
        w_p("1.1 To update the Committee on progress against the "
            "recommendations of its review of children missing from home "
            "and care, which Cabinet considered in March 2025."),
        w_p("2. Recommendations", style="Heading1"),
        w_p("2.1 That the Committee notes the progress made against each "
            "recommendation, set out at Appendix A."),
        w_p("3. Progress", style="Heading1"),
        w_p("3.1 Three of the six actions are complete or on track. Two are "
            "delayed and the reasons are given in the table."),
        w_p("Appendix A: action plan progress", style="Heading2"),
    ]
    heads = ["Rec no.", "Recommendation", "Agreed", "Agreed action",
             "Lead officer", "Target date", "RAG rating", "Progress update"]
    rows = ['<w:tr>' + w_tc([w_p("", runs=w_bold(
        "Children missing from home and care \u2013 action plan progress, "
        "November 2025"))], span=8) + '</w:tr>',
            '<w:tr><w:trPr><w:tblHeader/></w:trPr>' +
            "".join(w_tc([w_p("", runs=w_bold(h))]) for h in heads) +
            '</w:tr>']
    for ref, rec, agreed, acts in RECS28:
        for k, (act, lead, when, rag, progress) in enumerate(acts):
            vm = None
            if len(acts) > 1:
                vm = "restart" if k == 0 else "continue"
            if k == 0:
                first = (w_tc([w_p(ref)], vmerge=vm) +
                         w_tc([w_p("", runs=w_rec_runs(rec))], vmerge=vm) +
                         w_tc([w_p(agreed)], vmerge=vm))
            else:
                first = (w_tc([], vmerge=vm) + w_tc([], vmerge=vm) +
                         w_tc([], vmerge=vm))
            if ref == "2":
                # a tracked insertion: part of the text as it now reads
                act_p = w_p("", runs=w_run(act[:-1]) + '<w:ins w:id="7" '
                            'w:author="Scrutiny Officer" w:date="2025-10-'
                            '30T09:00:00Z">' + w_run(act[-1]) + '</w:ins>')
            else:
                act_p = w_p(act)
            rows.append('<w:tr>' + first + w_tc([act_p]) + w_tc([w_p(lead)]) +
                        w_tc([w_p(when)]) + w_tc_shaded(rag, RAG_FILL[rag]) +
                        w_tc([w_p(p) for p in progress]) + '</w:tr>')
    grid = "".join('<w:gridCol w:w="%d"/>' % wd for wd in
                   (700, 2600, 900, 2600, 1500, 1100, 900, 2400))
    table = ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
             '<w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>' + grid +
             '</w:tblGrid>' + "".join(rows) + '</w:tbl>')
    body.append(table)
    body += [
        w_p(""),
        w_p("RAG key: Blue \u2013 completed and embedded; Green \u2013 on "
            "track; Amber \u2013 some slippage; Red \u2013 significantly off "
            "track."),
        w_p("Contact officer: Scrutiny Officer, Brindlecombe Borough "
            "Council. Tel: 01632 960418. Email: "
            "scrutiny@brindlecombe.example.org"),
    ]
    sect = ('<w:sectPr><w:footerReference w:type="default" r:id="rId2" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"/><w:pgSz w:w="16838" w:h="11906" '
            'w:orient="landscape"/></w:sectPr>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document ' + W + '><w:body>' + "".join(body) + sect +
            '</w:body></w:document>')


def make28(path):
    write_zip(path, [
        ("[Content_Types].xml", DOCX_TYPES),
        ("_rels/.rels", DOCX_RELS),
        ("word/document.xml", docx28_document()),
        ("word/_rels/document.xml.rels", DOCX_DOC_RELS),
        ("word/styles.xml", DOCX_STYLES),
        ("word/footer1.xml", DOCX_FOOTER),
        ("docProps/core.xml", DOCX_CORE),
    ])


# ------------------------------------------------------------------ 29
# OpenDocument improvement plan: themes, each with (ref, area for
# improvement, actions), each action (text, owner lines, timescale,
# status).

THEMES29 = [
    ("Theme 1: Response to contacts and referrals", [
        ("R1", "The timeliness of decisions on contacts into the "
               "multi-agency safeguarding hub.",
         [("Introduce a daily triage meeting with police and health to "
           "decide on every contact within 24 hours.",
           ["MASH Service Manager"], "Commencing April 2025 and ongoing",
           "On track")]),
        ("R2", "The consistency of seeking parents' consent before checks "
               "with partner agencies.",
         [("Revise the consent guidance and audit 30 contacts a month.",
           ["Principal Social Worker"], "6 months", "Not started")]),
    ]),
    ("Theme 2: Quality of assessments", [
        ("R3", "The quality of assessments for children living with "
               "neglect, including the use of chronologies.",
         [("Launch the neglect toolkit and train every assessment social "
           "worker in its use.", ["Head of Assessment"], "Q3 2025/26",
           "On track"),
          ("Add a chronology check to the authorisation of each "
           "assessment.", ["Assessment Team Managers"], "July 2025",
           "Completed")]),
        ("R4", "The recording of children's wishes and feelings in their "
               "assessments.",
         [("Add a direct work prompt to the assessment form and test it in "
           "the monthly practice audits.", ["Quality Assurance Manager"],
           "September 2025", "Delayed")]),
    ]),
    ("Theme 3: Management oversight", [
        ("R5", "The frequency and recording of management oversight of "
               "open cases.",
         [("Set a monthly supervision standard and report compliance to "
           "the Improvement Board.", ["Head of Service,", "Front Door"],
           "By the end of June 2025", "Completed")]),
    ]),
]

ODT29_META = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-meta ' + ODF_NS + '><office:meta>'
    '<meta:generator>LibreOffice/24.2.7.2$Linux_X86_64 LibreOffice_project/'
    '420$Build-2</meta:generator>'
    '<dc:title>Front door improvement plan</dc:title>'
    '<meta:initial-creator>Improvement Team</meta:initial-creator>'
    '<meta:creation-date>2025-03-27T11:05:41.220000000</meta:creation-date>'
    '<dc:date>2025-05-19T14:22:05.123456789</dc:date>'
    '<meta:editing-cycles>14</meta:editing-cycles>'
    '<meta:document-statistic meta:table-count="1" meta:paragraph-count="61"/>'
    '</office:meta></office:document-meta>')

ODT29_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-styles ' + ODF_NS + '><office:styles>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" '
    'style:family="paragraph"/>'
    '<style:style style:name="Table_20_Heading" style:display-name='
    '"Table Heading" style:family="paragraph"/>'
    '</office:styles></office:document-styles>')


def o_cell_p(paras_xml, cols=None, rows=None, style="Plan.A2"):
    attrs = ' table:style-name="%s" office:value-type="string"' % style
    if cols:
        attrs += ' table:number-columns-spanned="%d"' % cols
    if rows:
        attrs += ' table:number-rows-spanned="%d"' % rows
    return "<table:table-cell%s>%s</table:table-cell>" % (attrs, paras_xml)


def o_pstyle(text, style):
    return '<text:p text:style-name="%s">%s</text:p>' % (style, esc(text))


def odt29_content():
    heads = ["Ref", "Area for improvement", "Action", "Owner", "Timescale",
             "Status"]
    rows = ['<table:table-header-rows><table:table-row>' +
            "".join(o_cell_p(o_pstyle(h, "Table_20_Heading"), style="Plan.A1")
                    for h in heads) +
            '</table:table-row></table:table-header-rows>']
    for t, (theme, recs) in enumerate(THEMES29):
        rows.append('<table:table-row>' +
                    o_cell_p('<text:p text:style-name="P2"><text:span '
                             'text:style-name="T1">%s</text:span></text:p>'
                             % esc(theme), cols=6, style="Plan.Theme") +
                    '<table:covered-table-cell/>' * 5 + '</table:table-row>')
        for ref, area, acts in recs:
            for k, (act, owner, when, status) in enumerate(acts):
                span = len(acts) if len(acts) > 1 and k == 0 else None
                if k == 0:
                    first = (o_cell_p(o_p(ref), rows=span) +
                             o_cell_p(o_p(area), rows=span))
                else:
                    first = '<table:covered-table-cell/>' * 2
                owner_xml = ("<text:p>" + "<text:line-break/>".join(
                    esc(o) for o in owner) + "</text:p>")
                soft = ""
                if ref == "R4":
                    # where LibreOffice last laid out a page break
                    soft = "<text:soft-page-break/>"
                rows.append('<table:table-row>' + first +
                            o_cell_p(soft + o_p(act)) + o_cell_p(owner_xml) +
                            o_cell_p(o_p(when)) + o_cell_p(o_p(status)) +
                            '</table:table-row>')
    rows.append('<table:table-row table:number-rows-repeated="2">'
                '<table:table-cell table:number-columns-repeated="6"/>'
                '</table:table-row>')
    table = ('<table:table table:name="Table1" table:style-name="Plan">'
             '<table:table-column table:style-name="Plan.A" '
             'table:number-columns-repeated="6"/>' + "".join(rows) +
             '</table:table>')
    auto = ('<office:automatic-styles>'
            '<style:style style:name="Plan" style:family="table"/>'
            '<style:style style:name="Plan.A" style:family="table-column"/>'
            '<style:style style:name="Plan.A1" style:family="table-cell"/>'
            '<style:style style:name="Plan.A2" style:family="table-cell"/>'
            '<style:style style:name="Plan.Theme" style:family="table-cell">'
            '<style:table-cell-properties fo:background-color="#d9e2f3"/>'
            '</style:style>'
            '<style:style style:name="P1" style:family="paragraph" '
            'style:parent-style-name="Standard"/>'
            '<style:style style:name="P2" style:family="paragraph"/>'
            '<style:style style:name="T1" style:family="text">'
            '<style:text-properties fo:font-weight="bold"/></style:style>'
            '</office:automatic-styles>')
    text = (
        '<text:sequence-decls><text:sequence-decl text:display-outline-'
        'level="0" text:name="Table"/></text:sequence-decls>' +
        o_pstyle("Yarrowfield City Council", "P1") +
        '<text:h text:style-name="Heading_20_1" text:outline-level="1">'
        'Children\u2019s Services Improvement Plan: Ofsted focused visit to '
        'the front door</text:h>' +
        o_p("This plan responds to the areas for improvement that Ofsted "
            "identified at its focused visit to the front door. Progress "
            "against each action is reported to the Improvement Board every "
            "month and to the Corporate Parenting Panel each quarter.") +
        o_p("Lead member: Cabinet Member for Children\u2019s Services."
            "<text:s/>Plan owner: Director of Children\u2019s Services.") +
        table +
        o_p("Status key: Not started; On track; Delayed (see the "
            "commentary in the Improvement Board report); Completed.") +
        o_p("Enquiries: Improvement Team, improvement.team@yarrowfield."
            "example.org, 01632 960572."))
    # o_p escapes its text, so the <text:s/> above is written raw here
    text = text.replace("&lt;text:s/&gt;", "<text:s/>")
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content ' + ODF_NS + '>' + auto +
            '<office:body><office:text>' + text +
            '</office:text></office:body></office:document-content>')


def make29(path):
    write_zip(path, [
        ("content.xml", odt29_content()),
        ("styles.xml", ODT29_STYLES),
        ("meta.xml", ODT29_META),
        ("META-INF/manifest.xml", ODT_MANIFEST),
    ], stored_first=("mimetype", "application/vnd.oasis.opendocument.text"))


# ------------------------------------------------------------------ 30
# PDF Cabinet response: (no., recommendation, response, actions), each
# action (text, lead officer, timetable).

RECS30 = [
    ("1", "That the Council opens a family hub in each of its four "
          "localities by the end of 2026.", "Accepted.",
     [("Open the Northgate and Riverside hubs in existing children's "
       "centre buildings.", "Head of Early Help and Family Hubs",
       "June 2025 \u2013 completed"),
      ("Open the remaining two hubs once the estates review has "
       "reported.", "Head of Early Help and Family Hubs",
       "December 2026 \u2013 on track")]),
    ("2", "That every family hub offers a weekly drop-in with a health "
          "visitor.",
     "Partially accepted. Weekly drop-ins in two hubs; fortnightly in the "
     "others until health visitor vacancies are filled.",
     [("Agree the drop-in rota with the community health provider.",
       "Public Health Commissioning Manager",
       "September 2025 \u2013 delayed")]),
    ("3", "That the Council publishes each hub's opening hours and "
          "services online in community languages.", "Accepted.",
     [("Publish the hub directory in the five most spoken community "
       "languages.", "Communications Manager", "Completed")]),
    ("4", "That family hubs stay open until 8pm on two evenings a week.",
     "Not accepted. Evening use in the pilot was too low to justify the "
     "cost; the Cabinet will look again when the hubs have been open for "
     "a year.", []),
    ("5", "That the Panel receives an annual report on the use of family "
          "hubs and the outcomes for families.", "Accepted.",
     [("Produce an annual report on attendance and outcome measures.",
       "Early Help Performance Lead", "Annually from March 2026")]),
]

PAGE_W, PAGE_H = 842, 595
# x and wrap width in characters (Helvetica 8 pt, about 4.4 pt a character)
COLS30 = [(36, 4), (62, 34), (226, 32), (384, 34), (548, 24), (672, 30)]
RULE_X0, RULE_X1 = 32, 810
BOTTOM30 = 56
HEAD30 = ["No.", "Recommendation", "Cabinet response", "Action",
          "Lead officer", "Timetable"]


def winansi(s):
    """The text as bytes of WinAnsiEncoding (en dash 0x96, right single
    quote 0x92), carried in a str whose characters are those bytes."""
    return s.replace("\u2013", "\x96").replace("\u2019", "\x92")


class Pdf30:
    def __init__(self):
        self.pages = [[]]

    def op(self, s):
        self.pages[-1].append(s)

    def lines(self, x, y, lines, font="F1", size=8.0, lead=10.0):
        """One BT block per cell: the first line placed with Td, each
        next one moved down with Td, as Word's PDF export writes."""
        if not lines:
            return
        ops = ["BT /%s %.1f Tf %.2f %.2f Td (%s) Tj" %
               (font, size, x, y, pdf_str(winansi(lines[0])))]
        for line in lines[1:]:
            ops.append("0 %.1f Td (%s) Tj" % (-lead, pdf_str(winansi(line))))
        self.op(" ".join(ops) + " ET")

    def kerned(self, x, y, parts, font="F2", size=14.0):
        """A line in a TJ array: strings with kerning numbers between."""
        arr = "".join("(%s)" % pdf_str(winansi(p)) if isinstance(p, str)
                      else "%d" % p for p in parts)
        self.op("BT /%s %.1f Tf 1 0 0 1 %.2f %.2f Tm [%s] TJ ET" %
                (font, size, x, y, arr))

    def rule(self, y):
        self.op("0.5 w %d %.2f m %d %.2f l S" % (RULE_X0, y, RULE_X1, y))

    def band(self, y, h):
        self.op("0.85 g %d %.2f %d %.2f re f 0 g" %
                (RULE_X0, y, RULE_X1 - RULE_X0, h))

    def new_page(self):
        self.pages.append([])

    def write(self, path, info):
        n = len(self.pages)
        kids = " ".join("%d 0 R" % (6 + 2 * i) for i in range(n))
        objs = [
            b"<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>",
            b"<< /Type /Pages /Kids [" + kids.encode() +
            b"] /Count %d >>" % n,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
            b"/Encoding /WinAnsiEncoding >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
            b"/Encoding /WinAnsiEncoding >>",
            info,
        ]
        for i, ops in enumerate(self.pages):
            stream = "\n".join(ops).encode("latin-1")
            objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
                        b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
                        b"/Contents %d 0 R >>" % (PAGE_W, PAGE_H, 7 + 2 * i))
            objs.append(b"<< /Length %d >>\nstream\n" % len(stream) +
                        stream + b"\nendstream")
        out = bytearray(b"%PDF-1.7\n%\xb5\xb5\xb5\xb5\n")
        offsets = []
        for i, o in enumerate(objs):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\n"
                b"startxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
        with open(path, "wb") as f:
            f.write(out)


def pdf30_rows():
    """The table's rows as lists of six cells (recommendation 1's two
    actions in two rows, the second with its first three cells empty)."""
    rows = []
    for no, rec, resp, acts in RECS30:
        if not acts:
            rows.append((no, [no, rec, resp, "", "", ""]))
        for k, (act, lead, when) in enumerate(acts):
            if k == 0:
                rows.append((no, [no, rec, resp, act, lead, when]))
            else:
                rows.append((no, ["", "", "", act, lead, when]))
    return rows


def make30(path):
    pdf = Pdf30()
    lead, pad = 10.0, 6.0
    npages = 2

    def running_header():
        pdf.lines(36, PAGE_H - 24, ["Ramsgill Borough Council \u2013 Cabinet"
                                    " \u2013 8 July 2025"], size=7.0)

    def footer(page):
        pdf.rule(44)
        pdf.lines(36, 32, ["Cabinet response: family hubs"], size=7.0)
        pdf.lines(760, 32, ["Page %d of %d" % (page, npages)], size=7.0)

    def header_row(y):
        pdf.band(y - 4, 14)
        for (x, _), h in zip(COLS30, HEAD30):
            pdf.lines(x, y, [h], font="F2")
        pdf.rule(y - 4)
        return y - 4 - pad - 8

    def table_row(y, cells):
        wrapped = [wrap(c, COLS30[i][1]) for i, c in enumerate(cells)]
        for (x, _), w in zip(COLS30, wrapped):
            pdf.lines(x, y, w)
        height = max(len(w) for w in wrapped) * lead
        pdf.rule(y - height + lead - 4)
        return y - height - pad

    running_header()
    y = PAGE_H - 60
    pdf.kerned(36, y, ["Cabinet ", "R", 30, "esponse to the Children and "
                       "Families Scrutiny P", 15, "anel: F", 20, "amily Hubs"])
    y -= 24
    for label, value in [("Report of: ", "Cabinet Member for Children and "
                          "Families"), ("Date: ", "8 July 2025"),
                         ("Wards: ", "All")]:
        pdf.lines(36, y, [label], font="F2", size=9.0)
        pdf.lines(96, y, [value], size=9.0)
        y -= 13
    y -= 6
    sections = [
        ("1. Background",
         "The Children and Families Scrutiny Panel reported on its review of "
         "family hubs in April. The Panel met parents, health visitors, "
         "voluntary groups and staff at the two pilot hubs, and visited a "
         "neighbouring council's hub network. Its report made five "
         "recommendations to the Cabinet."),
        ("2. The Panel's findings",
         "Families valued having midwives, health visitors, early help and "
         "welfare advice in one building, but many did not know the hubs "
         "existed, and services were spread unevenly between the localities. "
         "Take-up was lowest among families who speak little English."),
        ("3. The Cabinet's response",
         "The Cabinet thanks the Panel. Its response to each recommendation, "
         "the action it will take, who will lead it and when, is set out "
         "below. Progress to date is shown against each action."),
    ]
    for heading, para in sections:
        pdf.lines(36, y, [heading], font="F2", size=10.0)
        y -= 15
        lines = wrap(para, 140)
        pdf.lines(36, y, lines, size=9.0, lead=12.0)
        y -= len(lines) * 12 + 10
    y -= 6
    y = header_row(y)
    page = 1
    for no, cells in pdf30_rows():
        need = max(len(wrap(c, COLS30[i][1])) for i, c in enumerate(cells))
        if y - need * lead < BOTTOM30:
            # rows are kept whole (the row property "allow row to break
            # across pages" off); the header row repeats on the new page
            footer(page)
            pdf.new_page()
            page += 1
            running_header()
            y = header_row(PAGE_H - 60)
        y = table_row(y, cells)
    y -= 12
    for para in ["Background papers: Children and Families Scrutiny Panel, "
                 "review of family hubs, final report.",
                 "Contact: Scrutiny and Member Support, Ramsgill Borough "
                 "Council, 01632 960733, scrutiny@ramsgill.example.org"]:
        pdf.lines(36, y, wrap(para, 140), size=9.0)
        y -= 14
    footer(page)
    assert page == npages, "the footers say 'of %d'" % npages
    pdf.write(path, b"<< /Title (Cabinet response: family hubs) /Author "
              b"(Scrutiny and Member Support) /Creator (Microsoft\xae Word "
              b"for Microsoft 365) /CreationDate (D:20250627101500+01'00') "
              b"/ModDate (D:20250627101500+01'00') >>")


def main():
    make28(os.path.join(HERE, "28-word-progress-vmerge.docx"))
    make29(os.path.join(HERE, "29-odt-ofsted-plan-themes.odt"))
    make30(os.path.join(HERE, "30-pdf-cabinet-response-landscape.pdf"))


if __name__ == "__main__":
    main()
