"""Scanned documents made from known text: each page's lines set in WenQuanYi Micro Hei on a white
page with Pillow, saved as an image-only PDF (no text layer, as a scanner writes it) or a picture."""
from __future__ import annotations

import io

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
PAGE = (1240, 1754)  # A4 at 150 dpi


def page_image(text: str, size: int = 36):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", PAGE, 255)
    if text:
        ImageDraw.Draw(image).multiline_text((120, 150), text, font=ImageFont.truetype(FONT, size), fill=0,
                                             spacing=size // 2)
    return image


def scanned_pdf(pages: list[str]) -> bytes:
    """An image-only PDF, one page per string ("" for a blank white scan)."""
    images = [page_image(text) for text in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return out.getvalue()


def picture(text: str, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    page_image(text).save(out, fmt)
    return out.getvalue()
