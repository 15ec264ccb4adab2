"""Generate the sample newsroom's photos and logo (no third-party images are shipped): python scripts/make_sample_photos.py"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "releases" / "photos"
ASSETS = ROOT / "assets"


def harbour(path: Path) -> None:
    """A stylised harbour at dawn: sky gradient, sun, sea, quay and cranes."""
    w, h = 1600, 1000
    img = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        draw.line([(0, y), (w, y)], fill=(int(250 - 80 * t), int(190 - 60 * t), int(140 + 60 * t)))
    draw.ellipse([1050, 330, 1250, 530], fill=(255, 236, 180))
    for y in range(600, h):
        t = (y - 600) / 400
        draw.line([(0, y), (w, y)], fill=(int(40 + 20 * t), int(90 + 30 * t), int(130 + 20 * t)))
    for i in range(0, w, 40):
        draw.line([(i, 640 + (i % 120) // 3), (i + 25, 640 + (i % 120) // 3)], fill=(255, 220, 170), width=2)
    draw.rectangle([0, 760, w, h], fill=(70, 70, 80))
    for x in (250, 520, 800):
        draw.rectangle([x, 380, x + 20, 760], fill=(200, 60, 40))
        draw.line([(x + 10, 390), (x + 260, 390)], fill=(200, 60, 40), width=14)
        draw.line([(x + 200, 390), (x + 200, 560)], fill=(40, 40, 40), width=3)
    for x in range(900, 1500, 110):
        draw.rectangle([x, 700, x + 100, 760], fill=[(30, 90, 160), (200, 120, 40), (60, 140, 80)][(x // 110) % 3])
    img = img.filter(ImageFilter.SMOOTH)
    img.save(path, "JPEG", quality=82, optimize=True)


def lab(path: Path) -> None:
    """A stylised laboratory bench: flat shapes on a soft background."""
    w, h = 1200, 900
    img = Image.new("RGB", (w, h), (226, 236, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 620, w, h], fill=(90, 110, 120))
    for i, x in enumerate(range(120, 1100, 200)):
        draw.rectangle([x, 360, x + 60, 620], outline=(40, 60, 70), width=6, fill=(190, 225, 235))
        level = 480 + (i * 23) % 90
        draw.rectangle([x + 6, level, x + 54, 614], fill=[(80, 170, 120), (220, 120, 60), (90, 120, 210)][i % 3])
    draw.ellipse([880, 120, 1060, 300], outline=(40, 60, 70), width=8)
    img.save(path, "PNG", optimize=True)


def logo(path: Path) -> None:
    """A made-up emblem for the sample press office (not any real organization's mark): sun over waves."""
    size = 480
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle([0, 0, size - 1, size - 1], radius=72, fill=(122, 31, 61, 255))
    draw.ellipse([150, 70, 330, 250], fill=(255, 214, 120, 255))
    for y in (300, 355, 410):
        points = [(x, y + (12 if (x // 50) % 2 else -12)) for x in range(40, 441, 50)]
        draw.line(points, fill=(255, 255, 255, 255), width=16, joint="curve")
    img.save(path, "PNG", optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    harbour(OUT / "port-vendres-harbour.jpg")
    lab(OUT / "hydrogen-lab.png")
    ASSETS.mkdir(exist_ok=True)
    logo(ASSETS / "logo.png")
    print("written to", OUT, "and", ASSETS)
