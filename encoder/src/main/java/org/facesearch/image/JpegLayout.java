package org.facesearch.image;

/**
 * What a JPEG's marker segments say about its colour, read from the raw bytes before decoding.
 *
 * <p>{@link ImageDecoder} uses it to decide whether the decoder may write straight into an R, G, B
 * interleaved image (see {@link #isPlainThreeComponent}). Only the headers before the first scan
 * are walked, never entropy-coded data, so this costs microseconds.
 */
final class JpegLayout {
  private JpegLayout() {}

  /**
   * True when {@code data} is a Huffman-coded JPEG (SOF0, SOF1 or SOF2) with 3 components and
   * neither an embedded ICC profile (APP2 {@code ICC_PROFILE}) nor an Adobe colour marker (APP14).
   *
   * <p>For such a file no colour space conversion runs after the YCbCr (or RGB) to RGB step: with
   * no profile there is nothing to convert from, and without the Adobe marker the file cannot be
   * CMYK/YCCK or carry a transform flag that contradicts its component count. The reader then only
   * copies R, G and B band by band into the destination, so the band order of the destination's
   * memory cannot change a value. Anything else (grey, 4 components, profiles, lossless or
   * arithmetic coding, a malformed header) answers false.
   */
  static boolean isPlainThreeComponent(byte[] d) {
    if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
      return false;
    }
    boolean threeComponents = false;
    int p = 2;
    while (p + 4 <= d.length) {
      if ((d[p] & 0xFF) != 0xFF) {
        return false; // lost sync with the marker structure
      }
      int marker = d[p + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte before a marker
        p++;
        continue;
      }
      if (marker == 0xDA) {
        return threeComponents; // start of scan: every colour marker comes before it
      }
      if (marker == 0xD9) {
        return false;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        p += 2; // markers without a length
        continue;
      }
      int length = ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
      int start = p + 4;
      int end = p + 2 + length;
      if (length < 2 || end > d.length) {
        return false;
      }
      if (marker == 0xEE || (marker == 0xE2 && startsWith(d, start, end, "ICC_PROFILE"))) {
        return false;
      }
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        // A start of frame: precision, height, width, then the component count.
        if (marker > 0xC2 || end - start < 6) {
          return false; // lossless, hierarchical or arithmetic coding: leave it to the usual path
        }
        threeComponents = (d[start + 5] & 0xFF) == 3;
      }
      p = end;
    }
    return false;
  }

  private static boolean startsWith(byte[] d, int at, int end, String ascii) {
    if (at + ascii.length() > end) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (d[at + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
