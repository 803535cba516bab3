"""The company logo (`branding.logo`): read, checked and measured before anything is written.

The logo is a PNG or JPEG file, named relative to the profile's folder. Its format and size in
pixels come from the file's own header (no imaging library), and an unusable file is a located
error at the profile's `branding.logo` entry.
"""

from __future__ import annotations

import struct
from pathlib import Path

from policygen.core import files
from policygen.core.profile import Profile
from policygen.document import Image
from policygen.errors import BrandingError, Location

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 10_000  # per side
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
# JPEG start-of-frame markers that carry the image size (not DHT, JPG or DAC).
_SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7,
                          0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_HINT = "use a PNG or JPEG file of at most 2 MB, e.g. exported from your brand guidelines"


def load_logo(profile: Profile) -> Image | None:
    """The profile's logo, or None when it names none; BrandingError if it is unusable."""
    name = profile.data["branding"]["logo"]
    if not name:
        return None
    where = profile.source.locate(("branding", "logo"))
    path = Path(profile.path).parent / name
    try:
        data = files.read_regular(path, MAX_LOGO_BYTES)
    except (files.NotRegularFile, IsADirectoryError):
        raise BrandingError.at(where, f"logo {name} is not a file", _HINT) from None
    except files.TooLarge as exc:
        raise BrandingError.at(where, f"logo {name} has {exc.size:,} bytes, more than the "
                               f"{MAX_LOGO_BYTES:,} allowed", _HINT) from None
    except FileNotFoundError:
        raise BrandingError.at(where, f"logo not found: {name}",
                               "the path is relative to the profile's folder") from None
    except OSError as exc:
        raise BrandingError.at(where, f"cannot read logo {name}: "
                               f"{getattr(exc, 'strerror', None) or exc}") from None
    return parse_image(data, name, where)


def parse_image(data: bytes, name: str, where: Location) -> Image:
    """Recognise a PNG or JPEG and read its size in pixels; BrandingError otherwise."""
    if data.startswith(_PNG_MAGIC):
        image_format = "png"
        size = _png_size(data)
    elif data.startswith(_JPEG_MAGIC):
        image_format = "jpeg"
        size = _jpeg_size(data)
    else:
        raise BrandingError.at(where, f"logo {name} is not a PNG or JPEG image", _HINT)
    if size is None:
        raise BrandingError.at(where, f"logo {name} is a damaged {image_format.upper()} file",
                               "open it in an image editor and export it again")
    width, height = size
    if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
        raise BrandingError.at(where, f"logo {name} is {width}x{height} pixels; each side must "
                               f"be between 1 and {MAX_LOGO_PIXELS:,}", _HINT)
    return Image(data, image_format, width, height, Path(name).stem)


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the IHDR chunk, which must come first."""
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first start-of-frame segment."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if length < 2:
            return None
        if marker in _SOF_MARKERS:
            if i + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return int(width), int(height)
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            return None
        i += 2 + length
    return None
