package org.facesearch.field.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.lucene.codecs.StoredFieldsReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.facesearch.field.FaceLayout;
import org.opensearch.common.collect.Tuple;
import org.opensearch.common.lucene.index.SequentialStoredFieldsLeafReader;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.index.mapper.SeqNoFieldMapper;
import org.opensearch.index.mapper.SourceFieldMapper;

/**
 * The index reader a face index's searches and GETs read through: it hands out each document's
 * {@code _source} with the faces' vectors removed, or, when the thread context carries
 * {@link FaceSource#DERIVE_HEADER} (reindex, update by query, update), with the vectors put back from
 * the HNSW vectors and the patch doc values (derived source). The stored {@code _source} already lacks
 * them ({@link FaceSourceMapper}); removing them again here covers documents indexed before.
 */
public final class FaceSourceReader extends FilterDirectoryReader {

  private final Supplier<FaceFields> fields;
  private final BooleanSupplier derive;

  private FaceSourceReader(DirectoryReader in, Supplier<FaceFields> fields, BooleanSupplier derive) throws IOException {
    super(in, new SubReaderWrapper() {
      @Override
      public LeafReader wrap(LeafReader reader) {
        return new Leaf(reader, fields, derive);
      }
    });
    this.fields = fields;
    this.derive = derive;
  }

  /**
   * Wraps {@code in}.
   *
   * @param fields the index's face fields whose vectors stay out of {@code _source} (read per use:
   *     mappings change)
   * @param derive whether the current thread asks for the vectors back
   */
  public static DirectoryReader wrap(DirectoryReader in, Supplier<FaceFields> fields, BooleanSupplier derive) throws IOException {
    return new FaceSourceReader(in, fields, derive);
  }

  /**
   * Makes every reader of the index's shards a {@code FaceSourceReader}: the index's face fields come
   * from its current mapping, and the thread context says whether to derive.
   */
  public static void install(org.opensearch.index.IndexModule module) {
    module.setReaderWrapper(indexService -> {
      FieldsOfMapping fields = new FieldsOfMapping(indexService.mapperService());
      var threadContext = indexService.getThreadPool().getThreadContext();
      return reader -> wrap(reader, fields, () -> threadContext.getHeader(FaceSource.DERIVE_HEADER) != null);
    });
  }

  /** The face fields of an index's current mapping, computed again only when the mapping changes. */
  private static final class FieldsOfMapping implements Supplier<FaceFields> {
    private record Cached(org.opensearch.index.mapper.DocumentMapper mapper, FaceFields fields) {}

    private final org.opensearch.index.mapper.MapperService mapperService;
    private volatile Cached cached = new Cached(null, FaceFields.NONE);

    FieldsOfMapping(org.opensearch.index.mapper.MapperService mapperService) {
      this.mapperService = mapperService;
    }

    @Override
    public FaceFields get() {
      org.opensearch.index.mapper.DocumentMapper mapper = mapperService.documentMapper();
      if (mapper == null) {
        return FaceFields.NONE;
      }
      Cached last = cached;
      if (last.mapper() != mapper) {
        last = new Cached(mapper, FaceFields.of(mapper));
        cached = last;
      }
      return last.fields();
    }
  }

  @Override
  protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) throws IOException {
    return new FaceSourceReader(in, fields, derive);
  }

  @Override
  public CacheHelper getReaderCacheHelper() {
    return in.getReaderCacheHelper();
  }

  /** A segment's reader whose stored fields rewrite {@code _source}. */
  static final class Leaf extends SequentialStoredFieldsLeafReader {
    private final Supplier<FaceFields> fields;
    private final BooleanSupplier derive;
    private FixedBitSet roots;

    Leaf(LeafReader in, Supplier<FaceFields> fields, BooleanSupplier derive) {
      super(in);
      this.fields = fields;
      this.derive = derive;
    }

    @Override
    public CacheHelper getCoreCacheHelper() {
      return in.getCoreCacheHelper();
    }

    @Override
    public CacheHelper getReaderCacheHelper() {
      return in.getReaderCacheHelper();
    }

    @Override
    public StoredFields storedFields() throws IOException {
      StoredFields inner = in.storedFields();
      FaceFields faces = fields.get();
      if (faces.isEmpty()) {
        return inner;
      }
      return new StoredFields() {
        @Override
        public void document(int doc, StoredFieldVisitor visitor) throws IOException {
          inner.document(doc, new SourceVisitor(visitor, doc, faces));
        }
      };
    }

    @Override
    protected StoredFieldsReader doGetSequentialStoredFieldsReader(StoredFieldsReader reader) {
      FaceFields faces = fields.get();
      return faces.isEmpty() ? reader : new SourceFieldsReader(reader, this, faces);
    }

    /** The source as this reader hands it out. */
    byte[] rewrite(int doc, byte[] stored, FaceFields faces) throws IOException {
      BytesReference source = new BytesArray(stored);
      if (!derive.getAsBoolean()) {
        BytesReference stripped = FaceSource.strip(source, faces.paths());
        return stripped == source ? stored : BytesReference.toBytes(stripped);
      }
      Tuple<XContentType, Map<String, Object>> parsed = XContentHelper.convertToMap(source, true);
      Map<String, Object> map = parsed.v2();
      int start = blockStart(doc, faces);
      boolean changed = false;
      for (String path : faces.paths()) {
        List<Map<String, Object>> objects = FaceSource.facesAt(map, path);
        if (objects.isEmpty()) {
          continue;
        }
        List<Object[]> indexed = storedFaces(path, start, doc);
        if (indexed.size() != objects.size()) {
          throw new IllegalStateException(
              "document holds " + objects.size() + " faces in [" + path + "] in _source but " + indexed.size()
                  + " in the index; cannot put its vectors back");
        }
        for (int i = 0; i < objects.size(); i++) {
          Map<String, Object> face = objects.get(i);
          if (face.containsKey("embedding")) {
            continue; // indexed with its vectors in _source (source_vectors, or before they were kept out)
          }
          face.put("embedding", indexed.get(i)[0]);
          if (indexed.get(i)[1] != null) {
            face.put("patches", indexed.get(i)[1]);
          }
          changed = true;
        }
      }
      return changed ? BytesReference.toBytes(FaceSource.write(parsed.v1(), map)) : stored;
    }

    /**
     * The first document of {@code doc}'s block: its nested documents come right before it, and
     * only root documents have a primary term (OpenSearch's own test for "not nested").
     */
    private int blockStart(int doc, FaceFields faces) throws IOException {
      if (!faces.nested()) {
        return doc;
      }
      if (roots == null) {
        FixedBitSet bits = new FixedBitSet(maxDoc());
        NumericDocValues terms = in.getNumericDocValues(SeqNoFieldMapper.PRIMARY_TERM_NAME);
        if (terms != null) {
          for (int d = terms.nextDoc(); d != NumericDocValues.NO_MORE_DOCS; d = terms.nextDoc()) {
            bits.set(d);
          }
        }
        roots = bits;
      }
      int previous = doc == 0 ? -1 : roots.prevSetBit(doc - 1);
      return previous + 1;
    }

    /** Embedding (list of floats) and patches (base64 or null) of each face in [start, doc], in doc order. */
    private List<Object[]> storedFaces(String field, int start, int doc) throws IOException {
      FaceLayout.StoredFaces stored = FaceLayout.read(in, field);
      List<Object[]> out = new ArrayList<>();
      for (int d = start; d <= doc; d++) {
        float[] embedding = stored.embedding(d);
        if (embedding == null) {
          continue;
        }
        List<Float> values = new ArrayList<>(embedding.length);
        for (float v : embedding) {
          values.add(v);
        }
        BytesRef patches = stored.encodedPatches(d);
        String encoded =
            patches == null
                ? null
                : Base64.getEncoder().encodeToString(Arrays.copyOfRange(patches.bytes, patches.offset, patches.offset + patches.length));
        out.add(new Object[] {values, encoded});
      }
      return out;
    }

    /** Passes every field through and rewrites {@code _source}. */
    private final class SourceVisitor extends StoredFieldVisitor {
      private final StoredFieldVisitor inner;
      private final int doc;
      private final FaceFields faces;

      SourceVisitor(StoredFieldVisitor inner, int doc, FaceFields faces) {
        this.inner = inner;
        this.doc = doc;
        this.faces = faces;
      }

      @Override
      public Status needsField(FieldInfo fieldInfo) throws IOException {
        return inner.needsField(fieldInfo);
      }

      @Override
      public void binaryField(FieldInfo fieldInfo, byte[] value) throws IOException {
        inner.binaryField(fieldInfo, SourceFieldMapper.NAME.equals(fieldInfo.name) ? rewrite(doc, value, faces) : value);
      }

      @Override
      public void stringField(FieldInfo fieldInfo, String value) throws IOException {
        inner.stringField(fieldInfo, value);
      }

      @Override
      public void intField(FieldInfo fieldInfo, int value) throws IOException {
        inner.intField(fieldInfo, value);
      }

      @Override
      public void longField(FieldInfo fieldInfo, long value) throws IOException {
        inner.longField(fieldInfo, value);
      }

      @Override
      public void floatField(FieldInfo fieldInfo, float value) throws IOException {
        inner.floatField(fieldInfo, value);
      }

      @Override
      public void doubleField(FieldInfo fieldInfo, double value) throws IOException {
        inner.doubleField(fieldInfo, value);
      }
    }

    /** The sequential stored fields reader (fetch phase) with the same rewrite. */
    private static final class SourceFieldsReader extends StoredFieldsReader {
      private final StoredFieldsReader delegate;
      private final Leaf leaf;
      private final FaceFields faces;

      SourceFieldsReader(StoredFieldsReader delegate, Leaf leaf, FaceFields faces) {
        this.delegate = delegate;
        this.leaf = leaf;
        this.faces = faces;
      }

      @Override
      public void document(int doc, StoredFieldVisitor visitor) throws IOException {
        delegate.document(doc, leaf.new SourceVisitor(visitor, doc, faces));
      }

      @Override
      public StoredFieldsReader clone() {
        return new SourceFieldsReader(delegate.clone(), leaf, faces);
      }

      @Override
      public StoredFieldsReader getMergeInstance() {
        return new SourceFieldsReader(delegate.getMergeInstance(), leaf, faces);
      }

      @Override
      public void checkIntegrity() throws IOException {
        delegate.checkIntegrity();
      }

      @Override
      public void close() throws IOException {
        delegate.close();
      }
    }
  }
}
