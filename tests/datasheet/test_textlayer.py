from graphq.datasheet.content import read_pages

from .pdfs import text_pdf


def _symbol_font_pdf() -> bytes:
    """One line, "10", "m" set in the Symbol font (which draws µ there), "s": the way some
    writers print "10 µs" without a Unicode map for the Symbol font."""
    return text_pdf(
        b"BT /F1 10 Tf 72 700 Td (10) Tj /F2 10 Tf (m) Tj /F1 10 Tf (s) Tj ET",
        {
            "F1": b"<< /Type /Font /Subtype /TrueType /BaseFont /ArialMT "
            b"/Encoding /WinAnsiEncoding >>",
            "F2": b"<< /Type /Font /Subtype /TrueType /BaseFont /SymbolMT "
            b"/Encoding /WinAnsiEncoding >>",
        },
    )


def test_greek_set_in_the_symbol_font_reads_as_greek() -> None:
    _, (page,) = read_pages(_symbol_font_pdf())
    assert [w.text for w in page.words] == ["10µs"]
