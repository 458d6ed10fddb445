package org.facesearch.query;

import static org.hamcrest.Matchers.instanceOf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.FaceModel;
import org.facesearch.field.FaceDocs;
import org.facesearch.field.FieldTestPlugin;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.facesearch.queryface.FaceInput;
import org.facesearch.recognizability.Recognizability;
import org.facesearch.testing.Photos;
import org.facesearch.verification.VerificationCalibration;
import org.junit.AfterClass;
import org.opensearch.common.compress.CompressedXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.XContentHelper;
import org.opensearch.index.mapper.MapperService;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.RangeQueryBuilder;
import org.opensearch.index.query.Rewriteable;
import org.opensearch.index.query.TermQueryBuilder;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.AbstractQueryTestCase;

/**
 * The face query builder through OpenSearch's query test base: random queries of every input kind
 * (embedding, embedding with patches, one image, several images) and every option go through the
 * wire, through XContent (shuffled, in every content type), through equals and hashCode, through
 * the rewrite (images are encoded there, with the real default model pack) and into a Lucene query
 * that is checked against what the options say.
 */
public class FaceQueryBuilderTests extends AbstractQueryTestCase<FaceQueryBuilder> {

  private static final String FIELD = "face";
  private static final int DIMS = 512;

  /** Clean frontal LFW photos; the first two are one person, for templates. */
  private static final String[][] PHOTOS = {
    {"Colin_Powell", "1"}, {"Colin_Powell", "2"}, {"Tony_Blair", "1"}
  };

  /**
   * The plugins the test base made; it never closes them, so their models' threads are closed here.
   */
  private static final List<QueryTestPlugin> PLUGINS = new CopyOnWriteArrayList<>();

  /** Each photo's face, encoded once by the encoder itself (not through the query's cache). */
  private static final Map<String, float[]> EMBEDDINGS = new ConcurrentHashMap<>();

  /** The query module's test plugin, remembered so that it can be closed after the class. */
  public static final class ClosedAfterClass extends QueryTestPlugin {
    public ClosedAfterClass() {
      PLUGINS.add(this);
    }
  }

  @AfterClass
  public static void closePlugins() {
    for (QueryTestPlugin plugin : PLUGINS) {
      plugin.close();
    }
    PLUGINS.clear();
    EMBEDDINGS.clear();
  }

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    List<Class<? extends Plugin>> plugins =
        new ArrayList<>(super.getPlugins()); // the base's mapping has a geo_shape field
    plugins.add(FieldTestPlugin.class);
    plugins.add(ClosedAfterClass.class);
    return plugins;
  }

  @Override
  protected void initializeAdditionalMappings(MapperService mapperService) throws IOException {
    mapperService.merge(
        "_doc",
        new CompressedXContent(
            "{\"properties\": {\"" + FIELD + "\": {\"type\": \"face\", \"dims\": " + DIMS + "}}}"),
        MapperService.MergeReason.MAPPING_UPDATE);
  }

  private static QueryTestPlugin plugin() {
    return PLUGINS.get(0);
  }

  private static FaceModel model() {
    return plugin().models().get(FaceInput.DEFAULT_MODEL);
  }

  @Override
  protected FaceQueryBuilder doCreateTestQueryBuilder() {
    FaceInput input = randomInput();
    FaceQueryBuilder query = new FaceQueryBuilder(FIELD, input, plugin().queryFaces());
    if (rarely()) {
      // The threshold form, in place of k and num_candidates: a cosine, or a false-match rate
      // (calibrated points and one between).
      query.minSimilarity(
          randomBoolean()
              ? MinSimilarity.cosine(randomDoubleBetween(-1, 1, true))
              : MinSimilarity.fmr(randomFrom(1e-2, 1e-3, 2.5e-4, 1e-6)));
    } else {
      if (randomBoolean()) {
        query.k(randomIntBetween(1, 300));
      }
      if (randomBoolean()) {
        query.numCandidates(randomIntBetween(query.k(), 2_000));
      }
    }
    int filters = randomIntBetween(0, 2);
    for (int i = 0; i < filters; i++) {
      query.filter(new TermQueryBuilder(KEYWORD_FIELD_NAME, randomAlphaOfLengthBetween(1, 8)));
    }
    if (randomBoolean()) {
      query.minErs(randomFloat());
    }
    UnrecognizableQueryPolicy policy = randomFrom(UnrecognizableQueryPolicy.values());
    if (policy != UnrecognizableQueryPolicy.ERROR || randomBoolean()) {
      query.onUnrecognizable(policy);
    }
    if (input.images() != null && query.onUnrecognizable() == UnrecognizableQueryPolicy.ERROR) {
      // An unrecognizable photo would fail the rewrite: with [error], only a threshold nothing is
      // below.
      query.queryMinErs(0f);
    } else if (randomBoolean()) {
      query.queryMinErs(randomFloat());
    }
    return query;
  }

  private static FaceInput randomInput() {
    return switch (randomIntBetween(0, 3)) {
      case 0 ->
          new FaceInput(
              randomEmbedding(),
              null,
              null,
              false,
              FaceInput.DEFAULT_MODE,
              FaceInput.DEFAULT_MODEL);
      case 1 ->
          new FaceInput(
              randomEmbedding(),
              randomPatches(),
              null,
              false,
              randomFrom(EncodeMode.values()),
              FaceInput.DEFAULT_MODEL);
      case 2 ->
          new FaceInput(
              null,
              null,
              List.of(photo(randomIntBetween(0, PHOTOS.length - 1))),
              false,
              randomFrom(EncodeMode.values()),
              FaceInput.DEFAULT_MODEL);
      default ->
          new FaceInput(
              null,
              null,
              List.of(photo(0), photo(1)),
              true,
              EncodeMode.DETECT,
              FaceInput.DEFAULT_MODEL);
    };
  }

  private static float[] randomEmbedding() {
    float[] v = FaceDocs.unitVector(new Random(randomLong()), DIMS);
    float scale = randomFrom(1f, 0.01f, 250f); // a given embedding may have any length
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    return v;
  }

  private static byte[] randomPatches() {
    Random random = new Random(randomLong());
    float[] chw = new float[2 * 2 * 4];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) random.nextGaussian();
    }
    return PatchEncoding.FLOAT16.encode(PatchMap.fromChannelMajor(chw, 4, 2, 2));
  }

  private static byte[] photo(int i) {
    return Photos.lfw(PHOTOS[i][0], Integer.parseInt(PHOTOS[i][1]));
  }

  /** The face of a photo, from the model pack's encoder directly. */
  private static float[] embedding(byte[] photo, EncodeMode mode) {
    return EMBEDDINGS.computeIfAbsent(
        mode + "/" + java.util.Arrays.hashCode(photo),
        k -> model().encoder().encode(photo, mode, 1).get(0).embedding());
  }

  /**
   * The unit query vector the options ask for, or null when the query face is unrecognizable and
   * [empty] asks for no hits.
   */
  private float[] expectedVector(FaceQueryBuilder query) {
    FaceInput input = query.input();
    if (input.embedding() != null) {
      double sum = 0;
      for (float v : input.embedding()) {
        sum += (double) v * v;
      }
      float[] unit = new float[DIMS];
      for (int i = 0; i < DIMS; i++) {
        unit[i] = (float) (input.embedding()[i] / Math.sqrt(sum));
      }
      return unit; // an embedding carries no image to judge: never unrecognizable
    }
    FaceModel model = model();
    float[] vector;
    float ers;
    if (!input.template()) {
      vector = embedding(input.images().get(0), input.mode());
      ers = model.ers(vector);
    } else {
      // docs/algorithms.md section 5: the ERS-weighted mean of the faces at or above the model's
      // threshold.
      List<float[]> faces = new ArrayList<>();
      List<Float> ers0 = new ArrayList<>();
      for (byte[] image : input.images()) {
        float[] face = embedding(image, input.mode());
        faces.add(face);
        ers0.add(model.ers(face));
      }
      vector = Recognizability.template(faces, ers0, model.ersThreshold());
      assertNotNull("the template photos are recognizable", vector);
      ers = model.ers(vector);
    }
    float threshold = query.queryMinErs() != null ? query.queryMinErs() : model.ersThreshold();
    if (ers < threshold && query.onUnrecognizable() == UnrecognizableQueryPolicy.EMPTY) {
      // The rewrite answered with no hits and said why in a Warning header (once per query face: a
      // rewritten copy is not gated again): take it, as a client would.
      allowedWarnings(
          String.format(
              Locale.ROOT,
              "[face] query on [%s] returned no hits: the query face is unrecognizable: its ERS %.3f is below the threshold %.3f",
              FIELD,
              ers,
              threshold));
      return null;
    }
    return vector;
  }

  @Override
  protected void doAssertLuceneQuery(
      FaceQueryBuilder query, Query lucene, QueryShardContext context) throws IOException {
    float[] expected = expectedVector(query);
    if (expected == null) {
      assertThat(lucene, instanceOf(MatchNoDocsQuery.class));
      return;
    }
    Query filter;
    if (query.minSimilarity() != null) {
      assertThat(lucene, instanceOf(FaceRadialQuery.class));
      FaceRadialQuery radial = (FaceRadialQuery) lucene;
      assertEquals(FIELD, radial.field());
      assertArrayEquals(expected, radial.vector(), 1e-5f);
      assertEquals(expectedThreshold(query.minSimilarity()), radial.minSimilarity(), 1e-6f);
      filter = radial.filter();
    } else {
      assertThat(lucene, instanceOf(FaceKnnQuery.class));
      FaceKnnQuery knn = (FaceKnnQuery) lucene;
      assertEquals(FIELD, knn.field());
      assertEquals(query.k(), knn.k());
      assertEquals(query.numCandidates(), knn.numCandidates());
      assertArrayEquals(expected, knn.vector(), 1e-5f);
      filter = knn.filter();
    }
    List<Query> filters = new ArrayList<>();
    if (query.filter() != null) {
      filters.add(Rewriteable.rewrite(query.filter(), context).toQuery(context));
    }
    if (query.minErs() != null) {
      filters.add(new RangeQueryBuilder(FIELD + ".ers").gte(query.minErs()).toQuery(context));
    }
    if (filters.isEmpty()) {
      assertNull(filter);
    } else {
      BooleanQuery.Builder all = new BooleanQuery.Builder();
      for (Query f : filters) {
        all.add(f, BooleanClause.Occur.FILTER);
      }
      assertEquals(all.build(), filter);
    }
  }

  /**
   * The cosine a threshold stands for: the cosine given, or the pack's threshold at the false-match
   * rate, read from the pack's points and interpolated here linearly in log10 of the rate.
   */
  private static double expectedThreshold(MinSimilarity threshold) {
    if (threshold.fmr() == null) {
      return threshold.threshold();
    }
    double fmr = threshold.fmr();
    List<VerificationCalibration.Point> points = model().verification().points();
    for (int i = 0; i < points.size(); i++) {
      VerificationCalibration.Point p = points.get(i);
      if (p.fmr() == fmr) {
        return p.threshold();
      }
      VerificationCalibration.Point q = points.get(i + 1);
      if (fmr < p.fmr() && fmr > q.fmr()) {
        double share =
            (Math.log10(p.fmr()) - Math.log10(fmr)) / (Math.log10(p.fmr()) - Math.log10(q.fmr()));
        return p.threshold() + share * (q.threshold() - p.threshold());
      }
    }
    throw new AssertionError("no calibrated point around " + fmr);
  }

  /**
   * The random queries reached the model pack: image inputs were encoded and checked, not only
   * embeddings.
   */
  @Override
  public void testToQuery() throws IOException {
    super.testToQuery();
    assertFalse("no image input was turned into a Lucene query", EMBEDDINGS.isEmpty());
  }

  /** Without a rewrite there is no query face: building the Lucene query then is a bug, said so. */
  @Override
  public void testMustRewrite() throws IOException {
    QueryShardContext context = createShardContext();
    FaceQueryBuilder query = createTestQueryBuilder();
    IllegalStateException e =
        expectThrows(IllegalStateException.class, () -> query.toQuery(context));
    assertEquals("face query was not rewritten before execution", e.getMessage());
  }

  /**
   * A filter added to a face query goes inside its graph search (not around it), combined with any
   * it has.
   */
  @Override
  public void testFilter() throws IOException {
    FaceQueryBuilder query =
        new FaceQueryBuilder(
            FIELD, FaceInput.ofEmbedding(randomEmbedding(), null), plugin().queryFaces());
    assertSame(query, query.filter(null));
    assertNull(query.filter());
    TermQueryBuilder first = new TermQueryBuilder(KEYWORD_FIELD_NAME, "a");
    TermQueryBuilder second = new TermQueryBuilder(KEYWORD_FIELD_NAME, "b");
    assertSame(query, query.filter(first));
    assertEquals(first, query.filter());
    query.filter(second);
    assertThat(query.filter(), instanceOf(BoolQueryBuilder.class));
    BoolQueryBuilder both = (BoolQueryBuilder) query.filter();
    List<QueryBuilder> clauses = new ArrayList<>(both.must());
    clauses.addAll(both.filter());
    assertEquals(List.of(first, second), clauses);
  }

  public void testNumCandidatesDefaultsToTwiceKAtMostTenThousand() throws IOException {
    FaceQueryBuilder query =
        new FaceQueryBuilder(
            FIELD, FaceInput.ofEmbedding(randomEmbedding(), null), plugin().queryFaces());
    assertEquals(200, query.numCandidates());
    assertEquals(60, query.k(30).numCandidates());
    assertEquals(10_000, query.k(6_000).numCandidates());
    assertEquals(7_000, query.numCandidates(7_000).numCandidates());
    // A query that did not set it reads back without it, so it still follows k, and equal to
    // itself.
    FaceQueryBuilder unset =
        new FaceQueryBuilder(
                FIELD, FaceInput.ofEmbedding(randomEmbedding(), null), plugin().queryFaces())
            .k(40);
    BytesReference json = XContentHelper.toXContent(unset, MediaTypeRegistry.JSON, false);
    assertFalse(
        "num_candidates written although the query did not set it",
        json.utf8ToString().contains("num_candidates"));
    FaceQueryBuilder back = (FaceQueryBuilder) parseQuery(json.utf8ToString());
    assertEquals(unset, back);
    assertEquals(80, back.numCandidates());
  }
}
