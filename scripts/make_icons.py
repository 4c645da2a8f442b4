"""Draws the application icon (a house with a heart in its doorway) as PNG and Windows ICO.

Run: .venv/bin/python scripts/make_icons.py   (the results are committed in resources/icons/)
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZE = 512
BLUE, RED, WHITE = (31, 78, 121, 255), (200, 30, 45, 255), (255, 255, 255, 255)


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((16, 16, SIZE - 16, SIZE - 16), radius=96, fill=BLUE)
    pen.polygon([(256, 88), (436, 236), (76, 236)], fill=WHITE)  # roof
    pen.rectangle((116, 226, 396, 424), fill=WHITE)  # walls
    # a heart in the doorway: two circles and a point
    cx, top, r = 256, 290, 38
    pen.ellipse((cx - 2 * r, top - r, cx, top + r), fill=RED)
    pen.ellipse((cx, top - r, cx + 2 * r, top + r), fill=RED)
    pen.polygon([(cx - 2 * r + 4, top + 12), (cx + 2 * r - 4, top + 12), (cx, top + 2 * r + 34)], fill=RED)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "heart-desktop.png")
    image.save(OUT / "heart-desktop.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128),
                                                  (256, 256)])
    print(f"wrote {OUT / 'heart-desktop.png'} and {OUT / 'heart-desktop.ico'}")


if __name__ == "__main__":
    main()
