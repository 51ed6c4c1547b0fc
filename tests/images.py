"""Images the tests make (PIL), shared by the suites."""

import io

from PIL import Image


def noise_png(width, height):
    """A PNG of noise, which does not compress: about 3 bytes a pixel."""
    b = io.BytesIO()
    Image.merge("RGB", [Image.effect_noise((width, height), 120) for _ in range(3)]).save(
        b, "PNG", compress_level=1)
    return b.getvalue()
