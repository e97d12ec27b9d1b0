"""The OCR engine as made afresh (the app makes it once per process, so other tests reuse one made
earlier), and the details of reading a dropped picture: its progress, a cancel during the OCR,
the size limit's boundary, pictures in other colour modes, the sentence of an install without
OCR. Real pictures drawn here, the real RapidOCR models from its wheel."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest

from app.documents import ocr, picture_text
from app.documents.extract import DocumentError, extract
from app.documents.reading import Reading, ReadingCancelled
from tests.documents.scans import page_image, picture

FERRY = "The ferry to the island\nleaves at 06:40 from the north pier."
# Short upright lines: the angle classifier (off) turned such lines upside down ("reviewed 555
# proposals" came back as "rev  t   t as s sad").
SHORT = "reviewed 555 proposals\nin May"


def grey(text: str) -> np.ndarray:
    return np.asarray(page_image(text)).copy()


def test_a_fresh_engine_reads_upright_lines_with_the_wheels_own_models_and_says_nothing(capfd):
    import rapidocr

    capfd.readouterr()
    engine = ocr.new_engine()
    assert ocr.image_text(grey(FERRY), engine=engine) == FERRY
    assert ocr.image_text(grey(SHORT), engine=engine) == SHORT
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")  # rapidocr's own log stays quiet on the user's console
    # Offline from the first minute: the models are the wheel's files, nothing to download; and
    # the settings bench/bench_ocr.py measured.
    wheel = Path(rapidocr.__file__).parent / "models"
    assert Path(engine.cfg.Det.model_path) == wheel / "PP-OCRv6_det_small.onnx"
    assert Path(engine.cfg.Rec.model_path) == wheel / "PP-OCRv6_rec_small.onnx"
    assert all(Path(p).is_file() for p in (engine.cfg.Det.model_path, engine.cfg.Rec.model_path))
    assert (engine.cfg.Global.use_cls, engine.cfg.Global.max_side_len) == (False, ocr.MAX_SIDE)
    assert (engine.cfg.Det.limit_type, engine.cfg.Det.limit_side_len) == ("max", ocr.DET_SIDE)
    assert engine.cfg.Global.log_level == "error"


def test_an_engine_with_other_model_files_and_sides(tmp_path):
    """The benchmark's use: another detection model file (a copy here), other sides."""
    import shutil

    import rapidocr

    det = tmp_path / "det.onnx"
    shutil.copy(Path(rapidocr.__file__).parent / "models" / "PP-OCRv6_det_small.onnx", det)
    engine = ocr.new_engine(det_side=1280, max_side=2000, models={"Det": str(det)})
    assert Path(engine.cfg.Det.model_path) == det
    assert Path(engine.cfg.Rec.model_path).name == "PP-OCRv6_rec_small.onnx"
    assert (engine.cfg.Det.limit_side_len, engine.cfg.Global.max_side_len) == (1280, 2000)
    assert ocr.image_text(grey(FERRY), engine=engine) == FERRY


def test_without_the_ocr_package_a_picture_gets_its_sentence(monkeypatch):
    monkeypatch.setattr(ocr, "_engine", None)
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # as an install without it: import fails
    with pytest.raises(ocr.OcrUnavailable) as err:
        ocr.new_engine()
    assert str(err.value) == ("the OCR engine is not installed (ModuleNotFoundError: import of rapidocr halted; "
                              "None in sys.modules)")
    with pytest.raises(DocumentError) as err:
        extract("photo.png", picture(FERRY))
    assert str(err.value) == "photo.png is a picture, and this copy of DeskSeek has no OCR to read it."


def test_a_picture_is_one_page_read_by_ocr_with_no_location():
    seen = []
    doc = extract("photo.png", picture(FERRY), reading=Reading(on_page=lambda *a: seen.append(a)))
    assert seen == [(1, 1, True)]
    assert [(s.text, s.location) for s in doc.sections] == [(FERRY, "")]
    assert doc.pages == 0  # no "1 page" under a picture: only a PDF counts pages


def test_cancelled_while_the_picture_is_read_stops_with_its_name():
    reading = Reading()
    reading.on_page = lambda *a: reading.cancel()  # the ✕ pressed while the OCR runs
    with pytest.raises(ReadingCancelled) as err:
        extract("photo.png", picture(FERRY), reading=reading)
    assert str(err.value) == "Stopped reading photo.png; nothing of it was attached."
    assert err.value.name == "photo.png"
    reading = Reading()
    reading.cancel()  # before it started
    with pytest.raises(ReadingCancelled) as err:
        extract("photo.png", picture(FERRY), reading=reading)
    assert str(err.value) == "Stopped reading photo.png; nothing of it was attached."


def test_a_picture_of_exactly_the_most_pixels_is_read(monkeypatch):
    monkeypatch.setattr(picture_text, "MAX_PIXELS", 1240 * 1754)  # the page drawn here
    assert "north pier" in extract("photo.png", picture(FERRY)).sections[0].text


@pytest.mark.parametrize("mode", ["P", "RGB", "1"])
def test_pictures_in_other_colour_modes_are_read(mode):
    """A palette PNG (white as colour 0, black as 1: read as grey levels it would be all but
    black), a colour JPEG-like RGB picture, a 1-bit scan."""
    image = page_image(FERRY)
    if mode == "P":
        indexed = image.point(lambda v: 0 if v > 127 else 1).convert("P")
        indexed.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
        image = indexed
    else:
        image = image.convert(mode)
    data = io.BytesIO()
    image.save(data, "PNG")
    assert extract("photo.png", data.getvalue()).sections[0].text == FERRY


def test_the_apps_engine_is_made_on_first_use(monkeypatch):
    monkeypatch.setattr(ocr, "_engine", None)  # as in a process that has read no picture yet
    assert ocr.image_text(grey(FERRY)) == FERRY
    assert ocr._engine is not None


def test_chinese_and_latin_words_on_one_line_are_joined_by_their_neighbouring_characters():
    def box(x, w=100):
        return [(x, 100), (x + w, 100), (x + w, 130), (x, 130)]

    # A space only where a Latin character meets the next word; none between two Chinese ones.
    texts = ["AI深", "度X", "求索", "模型", "v2"]
    boxes = [box(10 + 110 * n) for n in range(len(texts))]
    assert ocr.lines_in_reading_order(boxes, texts) == "AI深度X 求索模型 v2"


def _scan_shapes(monkeypatch, pdf: bytes) -> list[tuple[int, int]]:
    """The size of each page's picture as the OCR is given it (the real OCR reads it)."""
    from app.documents import pdf_text

    real, shapes = pdf_text.image_text, []
    monkeypatch.setattr(pdf_text, "image_text", lambda image: shapes.append(image.shape) or real(image))
    extract("scan.pdf", pdf)
    return shapes


def test_a_scanned_page_is_rendered_at_the_ocr_resolution_and_a_poster_no_larger_than_it_reads(monkeypatch):
    from app.documents.pdf_text import OCR_DPI
    from tests.documents.scans import scanned_pdf

    # An A4 scan (595 x 842 pt) at OCR_DPI.
    [(height, width)] = _scan_shapes(monkeypatch, scanned_pdf([FERRY]))
    assert (round(width * 72 / OCR_DPI), round(height * 72 / OCR_DPI)) == (595, 842)
    # The same picture saved at 30 dpi: a page of 2976 x 4210 pt, upright and turned.
    for image in (page_image(FERRY), page_image(FERRY).rotate(90, expand=True)):
        out = io.BytesIO()
        image.save(out, "PDF", resolution=30)
        [shape] = _scan_shapes(monkeypatch, out.getvalue())
        assert max(shape) == ocr.MAX_SIDE and min(shape) == round(ocr.MAX_SIDE * 1240 / 1754), shape
        monkeypatch.undo()


def test_a_page_with_a_few_words_and_nothing_drawn_is_not_read_by_ocr(qapp):
    from tests.documents.test_extract import make_pdf

    seen = []
    doc = extract("short.pdf", make_pdf(["Page 3"]), reading=Reading(on_page=lambda *a: seen.append(a)))
    assert (seen, doc.sections[0].text) == ([(1, 1, False)], "Page 3")


def test_a_page_of_as_many_characters_as_the_ocr_threshold_keeps_its_text_layer(qapp):
    """A page with a drawing and exactly OCR_BELOW_CHARACTERS characters of text is text, not a scan."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QFont, QPainter, QPdfWriter

    from app.documents.pdf_text import OCR_BELOW_CHARACTERS

    words = "Figure 1 shows the harbour plan"
    text = ""
    for ch in words:  # the first OCR_BELOW_CHARACTERS non-blank characters
        if len(text.replace(" ", "")) == OCR_BELOW_CHARACTERS:
            break
        text += ch
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    painter = QPainter(writer)
    painter.setFont(QFont("WenQuanYi Micro Hei", 11))
    painter.drawRect(QRectF(500, 1500, 3000, 2000))  # a drawing: a path object
    painter.drawText(QRectF(0, 0, 4000, 1000), 0, text)
    painter.end()
    buffer.close()
    seen = []
    doc = extract("figure.pdf", bytes(data), reading=Reading(on_page=lambda *a: seen.append(a)))
    assert seen == [(1, 1, False)] and doc.sections[0].text == text.strip()
