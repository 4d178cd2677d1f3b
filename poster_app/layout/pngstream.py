"""A PNG written band by band: the page is never held whole in memory.

Pillow encodes a PNG from a whole image; a 300 × 100 cm banner at 150 DPI is 104 million
pixels, 313 MB in RGB. Here each band of rows is filtered and compressed as it comes
(truecolour, 8 bits a channel), so memory is one band's worth whatever the page.

Rows are filtered with PNG's "Sub" filter (each byte minus the one a pixel to its left),
computed for the whole band at once by Pillow: a banner's long runs of one colour become runs
of zeros, which zlib's run-length strategy packs as fast as it reads them.
"""

from __future__ import annotations

import struct
import zlib

from PIL import Image, ImageChops

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHUNK = 1 << 20  # compressed bytes per IDAT chunk
SUB = b"\x01"  # the filter type byte of a row filtered with "Sub"


class PngStream:
    """Write `size` RGB pixels as a PNG: `add(band)` for each band of rows, then `finish()`."""

    def __init__(self, size: tuple[int, int], dpi: float, text: dict[str, str]):
        self.width, self.height = size
        self.rows = 0
        self.parts = [SIGNATURE]
        self._chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0))
        per_metre = round(dpi / 0.0254)
        self._chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
        for key, value in text.items():
            self._chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
        self.zlib = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
        self.pending = bytearray()

    def add(self, band: Image.Image) -> None:
        """Append the band's rows (an RGB image as wide as the PNG)."""
        assert band.mode == "RGB" and band.width == self.width
        left = Image.new("RGB", band.size)
        left.paste(band.crop((0, 0, self.width - 1, band.height)), (1, 0))
        raw = ImageChops.subtract_modulo(band, left).tobytes()
        stride = 3 * self.width
        rows = bytearray()
        for row in range(band.height):
            rows += SUB
            rows += raw[row * stride : (row + 1) * stride]
        self._compressed(self.zlib.compress(bytes(rows)))
        self.rows += band.height

    def finish(self) -> bytes:
        assert self.rows == self.height, f"{self.rows} rows of {self.height} written"
        self._compressed(self.zlib.flush())
        if self.pending:
            self._chunk(b"IDAT", bytes(self.pending))
        self._chunk(b"IEND", b"")
        return b"".join(self.parts)

    def _compressed(self, data: bytes) -> None:
        self.pending += data
        while len(self.pending) >= CHUNK:
            self._chunk(b"IDAT", bytes(self.pending[:CHUNK]))
            del self.pending[:CHUNK]

    def _chunk(self, kind: bytes, data: bytes) -> None:
        crc = zlib.crc32(data, zlib.crc32(kind))
        self.parts.append(struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc))
