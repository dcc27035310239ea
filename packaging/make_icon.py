"""Draws the application icon (a case folder with a tick) into packaging/icons/.

Run once when the design changes; the PNG and ICO it writes are committed, so a build needs no
drawing step. Pillow comes with ReportLab.
"""
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent / "icons"


def draw(size: int = 256) -> Image.Image:
    s = size / 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    navy, paper, green = (22, 44, 84, 255), (236, 240, 245, 255), (40, 140, 80, 255)
    d.rounded_rectangle([16 * s, 40 * s, 240 * s, 224 * s], radius=18 * s, fill=navy)
    d.rounded_rectangle([16 * s, 24 * s, 110 * s, 60 * s], radius=10 * s, fill=navy)
    d.rectangle([40 * s, 72 * s, 216 * s, 200 * s], fill=paper)
    for y in (96, 120, 144):
        d.line([56 * s, y * s, 140 * s, y * s], fill=navy, width=max(1, int(6 * s)))
    d.line([128 * s, 168 * s, 156 * s, 190 * s, 204 * s, 118 * s], fill=green, width=max(2, int(16 * s)), joint="curve")
    return img


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    big = draw(256)
    big.save(HERE / "triage-app.png")
    big.save(HERE / "triage-app.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print("wrote", HERE / "triage-app.png", HERE / "triage-app.ico")
