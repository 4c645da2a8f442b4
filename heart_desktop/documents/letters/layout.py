"""A letter as tagged PDF (PDF/UA-1, large print when the case asks) and as its HTML copy, laid out
with the pack's renderer (``documents.render``): the letterhead, the addressee, the date and
reference, the body's blocks, the officer's signature, and a footer on every page naming the
letter, its page and its identifier. The same data gives the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from heart_desktop import __version__
from heart_desktop.documents import render
from heart_desktop.documents.letters.model import DRAWN, SIGN_METHODS, Block, LetterData
from heart_desktop.documents.render import Safe, css_string, h, join
from heart_desktop.documents.template import _strokes_svg, kv_table, when


@dataclass(frozen=True)
class BuiltLetter:
    pdf: bytes
    sha256: str
    fingerprint: str
    letter_id: str
    pages: int
    print_size: str


LETTER_CSS = """
.letterhead { margin: 0 0 6mm; }
.letterhead .service { font-weight: bold; color: #1a416b; margin: 0; }
.letterhead p { margin: 0 0 1mm; }
.to { margin: 0 0 6mm; }
.dated { margin: 0 0 5mm; }
.signoff { margin-top: 6mm; break-inside: avoid; }
.signoff .pad { width: 72mm; height: 22.5mm; }
.signoff .pad svg { width: 72mm; height: 22.5mm; }
.large .signoff .pad, .large .signoff .pad svg { width: 110mm; height: 34mm; }
"""


def _block(block: Block) -> Safe:
    if block.kind == "heading":
        return h("h2", block.text)
    if block.kind == "list":
        return h("ul", *[h("li", item) for item in block.items])
    if block.kind == "table":
        return kv_table(list(block.rows), caption=block.caption or None)
    return h("p", block.text)


def _signoff(data: LetterData) -> Safe:
    signature = data.signature
    parts: list[Safe] = [h("p", "Yours sincerely")]
    if signature is not None:
        said = f"Signed by {signature.name} on {when(signature.signed_at)} ({SIGN_METHODS.get(signature.method, '')})"
        if signature.method == DRAWN and any(len(s) > 1 for s in signature.strokes):
            parts.append(h("div", _strokes_svg(signature.strokes, signature.name), class_="pad"))
        parts.append(h("p", said, class_="signed-text"))
    role = f"{data.officer_role}, HEART" if data.officer_role else "HEART"
    parts += [h("p", h("strong", data.officer)), h("p", role)]
    return h("div", *parts, class_="signoff")


def body(data: LetterData) -> Safe:
    to = data.addressee
    to_lines = [h("span", to.name, class_="line")]
    if to.on_behalf_of:
        to_lines.append(h("span", f"on behalf of {to.on_behalf_of}", class_="line"))
    to_lines += [h("span", line, class_="line") for line in to.lines]
    head = h("div", h("p", "Home Environment Assessment and Response Team (HEART)", class_="service"),
             h("p", f"for {data.council_name}"), h("p", f"Duty desk: {data.desk}"), class_="letterhead")
    dated = h("div", h("p", f"Date: {data.dated.day} {data.dated:%B %Y}"), h("p", f"Our reference: {data.reference}"),
              class_="dated")
    return join([h("header", head), h("p", *to_lines, class_="to"), dated, h("p", to.salutation),
                 h("h1", data.title), *[_block(b) for b in data.blocks], _signoff(data)])


def footer_css(data: LetterData) -> str:
    line = css_string(f"{data.title}  ·  {data.reference}  ·  {data.council_name}")
    ident = css_string(f"HEART Desktop {__version__}  ·  letter {data.letter_id[:12]}  ·  policy {data.section}")
    page = "'Page ' counter(page) ' of ' counter(pages)"
    if data.large_print:
        return (f"@page {{ @top-left {{ content: {line}; }} @top-right {{ content: {page}; }}\n"
                f"  @bottom-left {{ content: {ident}; }} }}\n")
    return f"@page {{ @bottom-left {{ content: {line} '\\A' {ident}; }} @bottom-right {{ content: {page}; }} }}\n"


def build_letter(data: LetterData) -> BuiltLetter:
    """The letter as PDF bytes in the data's print size."""
    html = render.page(f"{data.title}, {data.reference}", h("main", body(data), class_=data.print_size),
                       medium=data.print_size)
    out = render.pdf(html, identifier=data.letter_id, medium=data.print_size, extra_css=LETTER_CSS + footer_css(data))
    return BuiltLetter(out.pdf, hashlib.sha256(out.pdf).hexdigest(), data.fingerprint, data.letter_id, out.pages,
                       data.print_size)


def letter_html(data: LetterData) -> str:
    """The HTML copy of the letter, for a customer who reads with their own software."""
    about = h("p", f"{data.title}  ·  {data.reference}  ·  HEART Desktop {__version__}  ·  letter "
                   f"{data.letter_id[:12]}", class_="footer")
    page = render.page(f"{data.title}, {data.reference}", join([h("main", body(data)), h("footer", about)]),
                       medium="screen", extra_css=LETTER_CSS)
    return render.standalone(page, {})
