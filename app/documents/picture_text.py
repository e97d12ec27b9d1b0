"""The text in a dropped picture (.png, .jpg), read by OCR: decoded by Pillow (turned as its
camera said), grey, no larger than the OCR reads it."""
from __future__ import annotations

import io

from app.documents.extract import DocumentError, Section
from app.documents.ocr import MAX_SIDE, OcrUnavailable, image_text
from app.documents.reading import Reading

MAX_PIXELS = 60_000_000  # a picture larger than this is not a page (and may be a decompression bomb)


def picture_sections(name: str, data: bytes, reading: Reading | None) -> list[Section]:
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    reading = reading if reading is not None else Reading()
    reading.page(name, 1, 1, ocr=True)
    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.width * picture.height > MAX_PIXELS:
                raise DocumentError(f"{name} is {picture.width} × {picture.height} pixels; DeskSeek reads pictures "
                                    f"of up to {MAX_PIXELS // 1_000_000} million pixels.")
            picture.draft("L", (MAX_SIDE, MAX_SIDE))  # a JPEG decodes at a fraction of its size
            grey = ImageOps.exif_transpose(picture).convert("L")
            grey.thumbnail((MAX_SIDE, MAX_SIDE))
            pixels = np.asarray(grey).copy()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DocumentError(f"{name} is damaged or not a picture; DeskSeek could not read it.") from exc
    try:
        text = image_text(pixels)
    except OcrUnavailable as exc:
        raise DocumentError(f"{name} is a picture, and this copy of DeskSeek has no OCR to read it.") from exc
    reading.check(name)
    if not text.strip():
        raise DocumentError(f"{name} shows no text that DeskSeek could read.")
    return [Section(text, "")]
