"""Synthetic photos for the demo store: simple drawn scenes (a staircase, a bath, a doorstep),
each marked as a demo picture, so the Photos tab and the pack's hazard photos have something to
show without any real home in the repository."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

SIZE = (1024, 768)
# hazard -> the scene that illustrates it and the caption an officer would write
SCENES = {
    "falls_on_stairs": ("stairs", "Stairs: no second handrail, worn nosings"),
    "falls_with_baths": ("bath", "Bath too deep to step into safely"),
    "falls_on_level": ("step", "Raised threshold at the back door"),
    "falls_between_levels": ("step", "Unguarded drop from the back step"),
}
DEFAULT_SCENE = ("step", "Condition found at the visit")


def scene_for(hazard: str) -> tuple[str, str]:
    return SCENES.get(hazard, DEFAULT_SCENE)


def draw(scene: str, seed: int) -> bytes:
    """A JPEG of the scene, varied by ``seed`` (wall colour, light), labelled as synthetic."""
    rng = random.Random(seed)
    wall = tuple(rng.randint(170, 225) for _ in range(3))
    image = Image.new("RGB", SIZE, wall)
    pen = ImageDraw.Draw(image)
    width, height = SIZE
    floor_top = int(height * 0.72)
    pen.rectangle((0, floor_top, width, height), fill=(rng.randint(110, 140), rng.randint(85, 105), 70))
    if scene == "stairs":
        steps, rise, tread = 8, 52, 78
        for n in range(steps):
            x0, y0 = 180 + n * tread, floor_top - (n + 1) * rise
            pen.rectangle((x0, y0, width, y0 + rise), fill=(150 - n * 4, 120 - n * 3, 90), outline=(60, 45, 35))
        pen.line((180, floor_top - 140, 180 + steps * tread, floor_top - steps * rise - 140), fill=(90, 60, 40),
                 width=9)  # the one handrail
    elif scene == "bath":
        pen.rounded_rectangle((200, floor_top - 230, 860, floor_top + 20), radius=40, fill=(240, 240, 236),
                              outline=(120, 120, 120), width=4)
        pen.rectangle((230, floor_top - 205, 830, floor_top - 170), fill=(200, 220, 235))
        pen.rectangle((600, 120, 880, floor_top - 240), fill=(215, 230, 235), outline=(150, 150, 150), width=3)
    else:  # a doorway with a step up
        pen.rectangle((380, 140, 640, floor_top - 60), fill=(90, 70, 55), outline=(50, 40, 30), width=5)
        pen.rectangle((340, floor_top - 60, 680, floor_top), fill=(160, 160, 155), outline=(90, 90, 90), width=3)
    pen.rectangle((0, 0, width, 44), fill=(30, 30, 30))
    pen.text((16, 14), "SYNTHETIC DEMO PHOTO - not a real home", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()
