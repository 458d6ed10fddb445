package org.facesearch.field.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.StoredFieldsReader;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DocumentStoredFieldVisitor;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterCodecReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;
import org.apache.lucene.util.Version;
import org.facesearch.field.FaceDocs;
import org.facesearch.field.codec.FaceCodec;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.index.mapper.BinaryFieldMapper;
import org.opensearch.index.mapper.SourceFieldMapper;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The face codec's stored fields on a bare Lucene index: what a segment stores (no vectors in
 * {@code _source}), what a reader gets with and without a request that asks for the vectors
 * (exactly the vectors and patch bytes that were indexed, nested faces in order), the same after
 * Lucene opens the segments by the codec's name, and merges that never write vectors back, whatever
 * they read.
 */
public class FaceSourceFormatTests extends OpenSearchTestCase {

  private static final int DIMS = 6;
  private static final FaceFields FACES = new FaceFields(List.of("face", "people.face"), true);

  /** Held here: the registry keeps contexts weakly. */
  private final ThreadContext threadContext = new ThreadContext(Settings.EMPTY);

  /**
   * One document as written: its id, its faces (path, embedding, patch bytes or null) in block
   * order.
   */
  private record Face(String path, float[] embedding, byte[] patches) {}

  private record Doc(String id, List<Face> nested, Face root, String sourceJson) {}

  @Override
  public void setUp() throws Exception {
    super.setUp();
    DerivingThreads.register(threadContext);
  }

  /**
   * Lucene's codec with the face codec's name and stored fields, writing for a fixed mapping (as
   * FaceCodec does for an index's).
   */
  private static Codec writing(Supplier<FaceFields> mapping) {
    Codec base = new Lucene104Codec();
    StoredFieldsFormat format =
        FaceSourceFormat.forWriting(
            base.storedFieldsFormat(), base.knnVectorsFormat(), base.docValuesFormat(), mapping);
    return new FilterCodec(FaceCodec.NAME, base) {
      @Override
      public StoredFieldsFormat storedFieldsFormat() {
        return format;
      }
    };
  }

  private IndexWriterConfig config(Codec codec) {
    return new IndexWriterConfig()
        .setCodec(codec)
        .setUseCompoundFile(randomBoolean())
        .setMergePolicy(NoMergePolicy.INSTANCE);
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * A document with a root face, and nested people: a face with patches, one without a face, a face
   * given as a bare embedding array (no patches), as the mapper indexes them: nested documents
   * first.
   */
  private static Doc doc(Random random, String id) {
    Face root = new Face("face", FaceDocs.unitVector(random, DIMS), randomBytes(random, 24));
    Face first =
        new Face("people.face", FaceDocs.unitVector(random, DIMS), randomBytes(random, 24));
    Face bare = new Face("people.face", FaceDocs.unitVector(random, DIMS), null);
    String json =
        "{\"id\": \""
            + id
            + "\", \"face\": "
            + faceJson(root, 0.5f)
            + ", \"people\": ["
            + "{\"face\": "
            + faceJson(first, 0.7f)
            + "}, {\"note\": \"no face\"}, {\"face\": "
            + array(bare.embedding())
            + "}]}";
    return new Doc(id, List.of(first, bare), root, json);
  }

  private static String faceJson(Face face, float ers) {
    return "{\"embedding\": "
        + array(face.embedding())
        + ", \"patches\": \""
        + Base64.getEncoder().encodeToString(face.patches())
        + "\", \"ers\": "
        + ers
        + "}";
  }

  private static String array(float[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ", ").append(v[i]);
    }
    return b.append(']').toString();
  }

  private static List<Document> block(Doc doc) {
    List<Document> block = new ArrayList<>();
    for (Face face : doc.nested()) {
      block.add(faceDocument(face));
    }
    Document root = faceDocument(doc.root());
    root.add(new StringField("_id", doc.id(), StringField.Store.NO));
    root.add(new StoredField(SourceFieldMapper.NAME, new BytesRef(doc.sourceJson())));
    root.add(new NumericDocValuesField("_primary_term", 1));
    block.add(root);
    return block;
  }

  private static Document faceDocument(Face face) {
    Document d = new Document();
    d.add(
        new KnnFloatVectorField(
            face.path(), face.embedding(), VectorSimilarityFunction.DOT_PRODUCT));
    if (face.patches() != null) {
      d.add(
          new BinaryFieldMapper.CustomBinaryDocValuesField(
              face.path() + ".patches", face.patches()));
    }
    return d;
  }

  private static Map<String, Object> map(byte[] source) {
    return XContentHelper.convertToMap(new BytesArray(source), true, XContentType.JSON).v2();
  }

  /**
   * The {@code _source} of root document {@code id} as {@code leaf}'s stored fields hand it out.
   */
  private static Map<String, Object> source(LeafReader leaf, String id) throws IOException {
    for (int d = 0; d < leaf.maxDoc(); d++) {
      Document stored = leaf.storedFields().document(d);
      BytesRef source = stored.getBinaryValue(SourceFieldMapper.NAME);
      if (source != null) {
        Map<String, Object> map = map(BytesRef.deepCopyOf(source).bytes);
        if (id.equals(map.get("id"))) {
          return map;
        }
      }
    }
    throw new AssertionError("no document " + id);
  }

  /** The {@code _source}s as the segment stores them, read past the face codec's reader. */
  private static List<Map<String, Object>> storedSources(LeafReader leaf) throws IOException {
    StoredFieldsReader raw =
        ((FaceSourceFieldsReader) ((SegmentReader) leaf).getFieldsReader()).raw();
    List<Map<String, Object>> out = new ArrayList<>();
    for (int d = 0; d < leaf.maxDoc(); d++) {
      DocumentStoredFieldVisitor visitor = new DocumentStoredFieldVisitor(SourceFieldMapper.NAME);
      raw.document(d, visitor);
      BytesRef source = visitor.getDocument().getBinaryValue(SourceFieldMapper.NAME);
      if (source != null) {
        out.add(map(BytesRef.deepCopyOf(source).bytes));
      }
    }
    return out;
  }

  /**
   * Runs {@code work} as a request that asks for the vectors (the header only the plugin's action
   * filter sets).
   */
  private <T> T deriving(IOSupplier<T> work) throws IOException {
    try (ThreadContext.StoredContext ignored = threadContext.stashContext()) {
      threadContext.putHeader(FaceSource.DERIVE_HEADER, "true");
      return work.get();
    }
  }

  private interface IOSupplier<T> {
    T get() throws IOException;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> source, String key, int index) {
    return (Map<String, Object>)
        ((Map<String, Object>) ((List<Object>) source.get("people")).get(index)).get(key);
  }

  /** The source as stored: each face without embedding and patches, the rest as sent. */
  private static void assertStripped(Map<String, Object> source) {
    assertEquals(Map.of("ers", 0.5), source.get("face"));
    assertEquals(Map.of("ers", 0.7), at(source, "face", 0));
    assertEquals(Map.of("note", "no face"), ((List<?>) source.get("people")).get(1));
    assertEquals(Map.of(), at(source, "face", 2));
  }

  /**
   * The source with every face whole: the embeddings and patch bytes that were indexed, in order.
   */
  private static void assertWhole(Map<String, Object> source, Doc doc) {
    assertFace(doc.root(), 0.5, (Map<?, ?>) source.get("face"));
    assertFace(doc.nested().get(0), 0.7, at(source, "face", 0));
    assertEquals(Map.of("note", "no face"), ((List<?>) source.get("people")).get(1));
    assertFace(doc.nested().get(1), null, at(source, "face", 2));
  }

  private static void assertFace(Face expected, Double ers, Map<?, ?> face) {
    assertArrayEquals(expected.embedding(), floats(face.get("embedding")), 0f);
    assertEquals(
        expected.patches() == null ? null : Base64.getEncoder().encodeToString(expected.patches()),
        face.get("patches"));
    assertEquals(ers, face.get("ers"));
    assertEquals((ers == null ? 1 : 2) + (expected.patches() == null ? 0 : 1), face.size());
  }

  private static float[] floats(Object list) {
    List<?> values = (List<?>) list;
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  private List<Doc> index(IndexWriter writer, Random random, int count) throws IOException {
    List<Doc> docs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Doc doc = doc(random, "d" + random.nextInt(1_000_000) + "-" + i);
      writer.addDocuments(block(doc));
      docs.add(doc);
    }
    return docs;
  }

  public void testSegmentsStoreNoVectorsAndDeriveThemForARequestThatAsks() throws IOException {
    Random random = new Random(randomLong());
    try (Directory dir = newDirectory()) {
      List<Doc> docs;
      try (IndexWriter writer = new IndexWriter(dir, config(writing(() -> FACES)))) {
        docs = index(writer, random, 3);
        writer.commit();
        // Segments just written, read through the writer's own codec instance.
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
          assertReadsBack(reader, docs);
        }
      }
      // Segments opened from disk: Lucene makes the codec from the name the segments record.
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        SegmentReader segment = (SegmentReader) reader.leaves().get(0).reader();
        assertEquals(FaceCodec.class, segment.getSegmentInfo().info.getCodec().getClass());
        assertEquals(FACES, FaceSourceFormat.recorded(segment.getSegmentInfo().info));
        assertReadsBack(reader, docs);
      }
    }
  }

  private void assertReadsBack(DirectoryReader reader, List<Doc> docs) throws IOException {
    LeafReader leaf = reader.leaves().get(0).reader();
    assertTrue(FaceSourceFormat.wroteSegmentOf(leaf));
    List<Map<String, Object>> stored = storedSources(leaf);
    assertEquals(docs.size(), stored.size());
    stored.forEach(FaceSourceFormatTests::assertStripped);
    for (Doc doc : docs) {
      assertStripped(source(leaf, doc.id()));
      assertWhole(deriving(() -> source(leaf, doc.id())), doc);
    }
    // The sequential reader (merge instance) OpenSearch's fetch phase reads runs of hits with.
    StoredFieldsReader sequential = ((SegmentReader) leaf).getFieldsReader().getMergeInstance();
    int root = docs.get(0).nested().size();
    DocumentStoredFieldVisitor visitor = new DocumentStoredFieldVisitor(SourceFieldMapper.NAME);
    deriving(() -> {
      sequential.document(root, visitor);
      return null;
    });
    assertWhole(
        map(
            BytesRef.deepCopyOf(visitor.getDocument().getBinaryValue(SourceFieldMapper.NAME))
                .bytes),
        docs.get(0));
  }

  public void testMergesNeverWriteVectorsBack() throws IOException {
    Random random = new Random(randomLong());
    try (Directory dir = newDirectory()) {
      List<Doc> docs = new ArrayList<>();
      // Merges run on this thread, inside a request that asks for the vectors: the worst case.
      IndexWriterConfig config =
          config(writing(() -> FACES))
              .setMergeScheduler(new SerialMergeScheduler())
              .setMergePolicy(new TieredMergePolicy());
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int segment = 0; segment < 3; segment++) {
          docs.addAll(index(writer, random, 2));
          writer.flush();
        }
        deriving(() -> {
          writer.forceMerge(1);
          return null;
        });
        // A merge that reads through a reader that is not the face codec's (as OpenSearch's pruning
        // of
        // _recovery_source wraps them): documents go one by one, derived, and must be stripped
        // again.
        try (DirectoryReader merged = DirectoryReader.open(writer)) {
          CodecReader wrapped =
              new FilterCodecReader((CodecReader) merged.leaves().get(0).reader()) {
                @Override
                public StoredFieldsReader getFieldsReader() {
                  return new PassingReader(super.getFieldsReader());
                }

                @Override
                public CacheHelper getCoreCacheHelper() {
                  return null;
                }

                @Override
                public CacheHelper getReaderCacheHelper() {
                  return null;
                }
              };
          deriving(() -> {
            writer.addIndexes(wrapped);
            return null;
          });
        }
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(2, reader.leaves().size());
        for (LeafReaderContext context : reader.leaves()) {
          LeafReader leaf = context.reader();
          List<Map<String, Object>> stored = storedSources(leaf);
          assertEquals(docs.size(), stored.size());
          stored.forEach(FaceSourceFormatTests::assertStripped);
          for (Doc doc : docs) {
            assertWhole(deriving(() -> source(leaf, doc.id())), doc);
          }
        }
      }
    }
  }

  public void testSegmentsWrittenBeforeAreStrippedWhenMerged() throws IOException {
    Random random = new Random(randomLong());
    try (Directory plain = newDirectory();
        Directory dir = newDirectory()) {
      List<Doc> docs;
      // Written by Lucene's own codec: the vectors stay in the stored _source.
      try (IndexWriter writer = new IndexWriter(plain, config(new Lucene104Codec()))) {
        docs = index(writer, random, 2);
        writer.commit();
      }
      try (DirectoryReader old = DirectoryReader.open(plain);
          IndexWriter writer = new IndexWriter(dir, config(writing(() -> FACES)))) {
        assertFalse(FaceSourceFormat.wroteSegmentOf(old.leaves().get(0).reader()));
        writer.addIndexes((CodecReader) old.leaves().get(0).reader());
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LeafReader leaf = reader.leaves().get(0).reader();
        storedSources(leaf).forEach(FaceSourceFormatTests::assertStripped);
        for (Doc doc : docs) {
          assertWhole(deriving(() -> source(leaf, doc.id())), doc);
        }
      }
    }
  }

  public void testAFaceTheIndexDoesNotHoldIsAnError() throws IOException {
    Random random = new Random(randomLong());
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, config(writing(() -> FACES)))) {
        // _source lists a face whose embedding was never indexed.
        Document root = faceDocument(new Face("face", FaceDocs.unitVector(random, DIMS), null));
        root.add(
            new StoredField(
                SourceFieldMapper.NAME,
                new BytesRef("{\"id\": \"x\", \"face\": {}, \"people\": [{\"face\": {}}]}")));
        root.add(new NumericDocValuesField("_primary_term", 1));
        writer.addDocument(root);
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LeafReader leaf = reader.leaves().get(0).reader();
        IllegalStateException e =
            expectThrows(IllegalStateException.class, () -> deriving(() -> source(leaf, "x")));
        assertEquals(
            "document holds 1 faces in [people.face] in _source but 0 in the index; cannot put its vectors back",
            e.getMessage());
        assertEquals(
            Map.of("id", "x", "face", Map.of(), "people", List.of(Map.of("face", Map.of()))),
            source(leaf, "x"));
      }
    }
  }

  public void testTheCodecMadeByNameOnlyReads() throws IOException {
    Codec byName = Codec.forName(FaceCodec.NAME);
    try (Directory dir = new ByteBuffersDirectory()) {
      SegmentInfo segment =
          new SegmentInfo(
              dir,
              Version.LATEST,
              null,
              "_0",
              1,
              false,
              false,
              byName,
              Map.of(),
              StringHelper.randomId(),
              Map.of(),
              null);
      IllegalStateException e =
          expectThrows(
              IllegalStateException.class,
              () -> byName.storedFieldsFormat().fieldsWriter(dir, segment, IOContext.DEFAULT));
      assertEquals(
          "segment [_0]: the face codec made by name only reads; the index's face codec writes",
          e.getMessage());
    }
  }

  /**
   * A stored fields reader that only passes documents on (hides the face codec's reader from a
   * merge).
   */
  private static final class PassingReader extends StoredFieldsReader {
    private final StoredFieldsReader in;

    PassingReader(StoredFieldsReader in) {
      this.in = in;
    }

    @Override
    public void document(int doc, StoredFieldVisitor visitor) throws IOException {
      in.document(doc, visitor);
    }

    @Override
    public StoredFieldsReader clone() {
      return new PassingReader(in.clone());
    }

    @Override
    public void checkIntegrity() throws IOException {
      in.checkIntegrity();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
