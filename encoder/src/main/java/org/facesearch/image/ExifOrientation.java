package org.facesearch.image;

/**
 * Reads the EXIF orientation tag (0x0112) from the raw bytes of a JPEG (APP1 "Exif"), TIFF (its own
 * first IFD), PNG ({@code eXIf} chunk) or WebP ({@code EXIF} chunk), and turns stored pixels into
 * the upright picture a viewer shows. Phones store portrait photos sideways with this tag; a face
 * detector trained on upright faces finds nothing in them unless it is applied.
 *
 * <p>Only the container headers are walked, never pixel data, so this costs microseconds. A missing
 * or malformed EXIF block means "as stored" (orientation 1), which is what image viewers do too: a
 * broken tag is not a reason to refuse a photo that decodes.
 */
final class ExifOrientation {
  private static final int TAG_ORIENTATION = 0x0112;
  private static final int TYPE_SHORT = 3;

  private ExifOrientation() {}

  /** The orientation 1..8 declared in {@code data}, or 1 when there is none. */
  static int read(byte[] data) {
    if (data.length >= 4 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8) {
      return fromJpeg(data);
    }
    if (data.length >= 8 && (startsWith(data, 0, "II") || startsWith(data, 0, "MM"))) {
      return fromTiff(data, 0, data.length);
    }
    if (data.length >= 8 && (data[0] & 0xFF) == 0x89 && startsWith(data, 1, "PNG")) {
      return fromPng(data);
    }
    if (data.length >= 12 && startsWith(data, 0, "RIFF") && startsWith(data, 8, "WEBP")) {
      return fromWebp(data);
    }
    return 1;
  }

  private static int fromJpeg(byte[] d) {
    int p = 2;
    while (p + 4 <= d.length) {
      if ((d[p] & 0xFF) != 0xFF) {
        return 1; // lost sync with the marker structure: treat as no EXIF
      }
      int marker = d[p + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte before a marker
        p++;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return 1; // start of scan / end of image: EXIF comes before these
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        p += 2; // markers without a length
        continue;
      }
      int length = u16be(d, p + 2);
      int start = p + 4;
      int end = p + 2 + length;
      if (length < 2 || end > d.length) {
        return 1;
      }
      if (marker == 0xE1
          && end - start >= 6
          && startsWith(d, start, "Exif")
          && d[start + 4] == 0
          && d[start + 5] == 0) {
        return fromTiff(d, start + 6, end);
      }
      p = end;
    }
    return 1;
  }

  private static int fromPng(byte[] d) {
    int p = 8;
    while (p + 8 <= d.length) {
      long length = u32be(d, p);
      int start = p + 8;
      if (length > d.length - start) {
        return 1;
      }
      if (startsWith(d, p + 4, "eXIf")) {
        return fromTiff(d, start, start + (int) length);
      }
      if (startsWith(d, p + 4, "IEND")) {
        return 1;
      }
      p = start + (int) length + 4; // + CRC
    }
    return 1;
  }

  private static int fromWebp(byte[] d) {
    int p = 12;
    while (p + 8 <= d.length) {
      long size = u32le(d, p + 4);
      int start = p + 8;
      if (size > d.length - start) {
        return 1;
      }
      if (startsWith(d, p, "EXIF")) {
        int s = start;
        // Some writers keep the JPEG-style "Exif\0\0" prefix inside the chunk.
        if (size >= 6 && startsWith(d, s, "Exif") && d[s + 4] == 0 && d[s + 5] == 0) {
          s += 6;
        }
        return fromTiff(d, s, start + (int) size);
      }
      p = start + (int) size + (int) (size & 1); // chunks are padded to even sizes
    }
    return 1;
  }

  /** Reads tag 0x0112 from IFD0 of the TIFF structure in d[start, end). */
  private static int fromTiff(byte[] d, int start, int end) {
    if (end - start < 8) {
      return 1;
    }
    boolean little;
    if (d[start] == 'I' && d[start + 1] == 'I') {
      little = true;
    } else if (d[start] == 'M' && d[start + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    if (u16(d, start + 2, little) != 42) {
      return 1;
    }
    long ifd = u32(d, start + 4, little);
    if (ifd < 8 || ifd > end - start - 2) {
      return 1;
    }
    int p = start + (int) ifd;
    int entries = u16(d, p, little);
    p += 2;
    for (int i = 0; i < entries && p + 12 <= end; i++, p += 12) {
      if (u16(d, p, little) == TAG_ORIENTATION) {
        if (u16(d, p + 2, little) != TYPE_SHORT || u32(d, p + 4, little) < 1) {
          return 1;
        }
        int value = u16(d, p + 8, little);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  /**
   * The upright image for a stored image with EXIF orientation {@code orientation} (1 = as stored;
   * 2..8 = the mirrorings and rotations the EXIF standard defines).
   */
  static RgbImage apply(RgbImage src, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return src;
    }
    int w = src.width();
    int h = src.height();
    boolean swap = orientation >= 5; // 5..8 turn the picture by 90 degrees
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    byte[] in = src.pixels();
    byte[] out = new byte[in.length];
    for (int dy = 0; dy < oh; dy++) {
      for (int dx = 0; dx < ow; dx++) {
        // (sx, sy): the stored pixel that the viewer sees at (dx, dy).
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = w - 1 - dx;
            sy = dy;
          }
          case 3 -> {
            sx = w - 1 - dx;
            sy = h - 1 - dy;
          }
          case 4 -> {
            sx = dx;
            sy = h - 1 - dy;
          }
          case 5 -> {
            sx = dy;
            sy = dx;
          }
          case 6 -> {
            sx = dy;
            sy = h - 1 - dx;
          }
          case 7 -> {
            sx = w - 1 - dy;
            sy = h - 1 - dx;
          }
          default -> {
            sx = w - 1 - dy;
            sy = dx;
          } // 8
        }
        int s = (sy * w + sx) * 3;
        int o = (dy * ow + dx) * 3;
        out[o] = in[s];
        out[o + 1] = in[s + 1];
        out[o + 2] = in[s + 2];
      }
    }
    return new RgbImage(ow, oh, out);
  }

  private static boolean startsWith(byte[] d, int at, String ascii) {
    if (at + ascii.length() > d.length) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (d[at + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u16be(byte[] d, int p) {
    return ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
  }

  private static long u32be(byte[] d, int p) {
    return ((long) u16be(d, p) << 16) | u16be(d, p + 2);
  }

  private static long u32le(byte[] d, int p) {
    return (d[p] & 0xFFL)
        | (d[p + 1] & 0xFFL) << 8
        | (d[p + 2] & 0xFFL) << 16
        | (d[p + 3] & 0xFFL) << 24;
  }

  private static int u16(byte[] d, int p, boolean little) {
    if (p + 2 > d.length) {
      return -1;
    }
    return little ? (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8 : u16be(d, p);
  }

  private static long u32(byte[] d, int p, boolean little) {
    if (p + 4 > d.length) {
      return -1;
    }
    return little ? u32le(d, p) : u32be(d, p);
  }
}
