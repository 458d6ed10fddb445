package org.facesearch.patches;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.facesearch.option.EnumOption;

/**
 * How a {@link PatchMap} is stored: the values of its unit cells as 32-bit floats, 16-bit floats
 * (default; the error is far below what changes a transport plan) or 8-bit integers with one scale
 * per cell. Norms are always 32-bit floats.
 *
 * <p>Layout (little-endian): magic byte {@code 'P'}, format version, encoding id, rows, cols (one
 * byte each), dims (int), {@code rows*cols} norms (float), then the cells. The header makes the
 * bytes self-describing, so a reader never needs the mapping to decode them.
 */
public enum PatchEncoding {
  FLOAT32(0) {
    @Override
    int cellBytes(int dims) {
      return 4 * dims;
    }

    @Override
    void writeCell(ByteBuffer out, float[] cells, int offset, int dims) {
      for (int c = 0; c < dims; c++) {
        out.putFloat(cells[offset + c]);
      }
    }

    @Override
    void readCell(ByteBuffer in, float[] cells, int offset, int dims) {
      for (int c = 0; c < dims; c++) {
        cells[offset + c] = in.getFloat();
      }
    }
  },
  FLOAT16(1) {
    @Override
    int cellBytes(int dims) {
      return 2 * dims;
    }

    @Override
    void writeCell(ByteBuffer out, float[] cells, int offset, int dims) {
      for (int c = 0; c < dims; c++) {
        out.putShort(Float.floatToFloat16(cells[offset + c]));
      }
    }

    @Override
    void readCell(ByteBuffer in, float[] cells, int offset, int dims) {
      for (int c = 0; c < dims; c++) {
        cells[offset + c] = Float.float16ToFloat(in.getShort());
      }
    }
  },
  INT8(2) {
    @Override
    int cellBytes(int dims) {
      return 4 + dims;
    }

    // One scale per cell (its largest magnitude), so a cell with small components keeps its
    // full 8-bit resolution; the decoded cell is renormalised by the reader of the map if needed.
    @Override
    void writeCell(ByteBuffer out, float[] cells, int offset, int dims) {
      float max = 0;
      for (int c = 0; c < dims; c++) {
        max = Math.max(max, Math.abs(cells[offset + c]));
      }
      out.putFloat(max);
      for (int c = 0; c < dims; c++) {
        out.put(max == 0 ? 0 : (byte) Math.round(cells[offset + c] / max * 127f));
      }
    }

    @Override
    void readCell(ByteBuffer in, float[] cells, int offset, int dims) {
      float scale = in.getFloat() / 127f;
      for (int c = 0; c < dims; c++) {
        cells[offset + c] = in.get() * scale;
      }
    }
  };

  private static final byte MAGIC = 'P';
  private static final byte VERSION = 1;
  private static final int HEADER_BYTES = 3 + 2 + 4;

  private final byte id;

  PatchEncoding(int id) {
    this.id = (byte) id;
  }

  abstract int cellBytes(int dims);

  abstract void writeCell(ByteBuffer out, float[] cells, int offset, int dims);

  abstract void readCell(ByteBuffer in, float[] cells, int offset, int dims);

  /**
   * The encoding's name as users write it ({@code float32}, {@code float16}, {@code int8}), parsed
   * with {@link EnumOption}.
   */
  public String displayName() {
    return EnumOption.wireName(this);
  }

  /** Bytes one encoded map takes. */
  public int encodedBytes(int rows, int cols, int dims) {
    int n = rows * cols;
    return HEADER_BYTES + 4 * n + n * cellBytes(dims);
  }

  /** Encodes a patch map. */
  public byte[] encode(PatchMap map) {
    int n = map.size();
    int dims = map.dims();
    ByteBuffer out =
        ByteBuffer.allocate(encodedBytes(map.rows(), map.cols(), dims))
            .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put(VERSION).put(id).put((byte) map.rows()).put((byte) map.cols()).putInt(dims);
    for (float norm : map.norms()) {
      out.putFloat(norm);
    }
    for (int cell = 0; cell < n; cell++) {
      writeCell(out, map.cells(), cell * dims, dims);
    }
    return out.array();
  }

  /** The encoding an encoded map was written with. */
  public static PatchEncoding of(byte[] bytes, int offset, int length) {
    checkHeader(bytes, offset, length);
    return byId(bytes[offset + 2]);
  }

  /** Decodes bytes written by {@link #encode} with any encoding; malformed bytes are refused. */
  public static PatchMap decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Decodes {@code length} bytes from {@code offset}. */
  public static PatchMap decode(byte[] bytes, int offset, int length) {
    checkHeader(bytes, offset, length);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    in.position(offset + 2);
    PatchEncoding encoding = byId(in.get());
    int rows = Byte.toUnsignedInt(in.get());
    int cols = Byte.toUnsignedInt(in.get());
    int dims = in.getInt();
    if (rows == 0 || cols == 0 || dims <= 0 || dims > 1 << 16) {
      throw new IllegalArgumentException(
          "encoded patches have an invalid shape [" + rows + "x" + cols + "x" + dims + "]");
    }
    if (length != encoding.encodedBytes(rows, cols, dims)) {
      throw new IllegalArgumentException(
          "encoded patches of shape ["
              + rows
              + "x"
              + cols
              + "x"
              + dims
              + "] in "
              + encoding.displayName()
              + " need "
              + encoding.encodedBytes(rows, cols, dims)
              + " bytes, got "
              + length);
    }
    int n = rows * cols;
    float[] norms = new float[n];
    for (int i = 0; i < n; i++) {
      norms[i] = in.getFloat();
    }
    float[] cells = new float[n * dims];
    for (int cell = 0; cell < n; cell++) {
      encoding.readCell(in, cells, cell * dims, dims);
    }
    return new PatchMap(rows, cols, dims, cells, norms);
  }

  private static void checkHeader(byte[] bytes, int offset, int length) {
    if (length < HEADER_BYTES || bytes[offset] != MAGIC) {
      throw new IllegalArgumentException("not encoded patches (no patch header)");
    }
    if (bytes[offset + 1] != VERSION) {
      throw new IllegalArgumentException(
          "encoded patches have unknown format version [" + bytes[offset + 1] + "]");
    }
  }

  private static PatchEncoding byId(byte id) {
    for (PatchEncoding e : values()) {
      if (e.id == id) {
        return e;
      }
    }
    throw new IllegalArgumentException("encoded patches have unknown encoding id [" + id + "]");
  }
}
