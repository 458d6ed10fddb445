package org.facesearch.rescore;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.Grid;
import org.facesearch.emd.Weighting;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.field.FaceDocs;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.facesearch.queryface.EmbeddingFaces;
import org.facesearch.queryface.FaceInput;
import org.facesearch.queryface.QueryFaces;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.opensearch.ExceptionsHelper;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.MediaType;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.BaseQueryRewriteContext;
import org.opensearch.search.SearchModule;
import org.opensearch.search.rescore.RescorerBuilder;
import org.opensearch.test.AbstractSerializingTestCase;

/**
 * The face_emd rescorer builder through OpenSearch's serialization test base: random rescorers
 * (every option, every kind of own query face or none, rewritten or not) go through the wire, and
 * through XContent and back through the parser the plugin registers, and stay equal to themselves;
 * the body's wrong values are 400s naming the option.
 */
public class FaceEmdRescorerBuilderTests
    extends AbstractSerializingTestCase<FaceEmdRescorerBuilder> {

  private static RescorerTestPlugin plugin;
  private static NamedXContentRegistry registry;

  /** Rewrites here only ever encode embeddings (with the threshold of a calibrated model). */
  private static final QueryFaces EMBEDDINGS =
      (input, listener) -> {
        if (input.embedding() == null) {
          throw new AssertionError("this test never encodes images");
        }
        EmbeddingFaces.encode(input, 0.8f, listener);
      };

  @BeforeClass
  public static void registerTheRescorer() {
    plugin = new RescorerTestPlugin(); // its models are loaded on first use, which never comes here
    registry =
        new NamedXContentRegistry(
            new SearchModule(Settings.EMPTY, List.of(plugin)).getNamedXContents());
  }

  @AfterClass
  public static void closeThePlugin() {
    plugin.close();
    plugin = null;
    registry = null;
  }

  @Override
  protected NamedXContentRegistry xContentRegistry() {
    return registry;
  }

  @Override
  protected FaceEmdRescorerBuilder createTestInstance() {
    FaceEmdRescorerBuilder rescorer = randomRescorer();
    if (rescorer.input() != null && rescorer.input().patches() != null && randomBoolean()) {
      return rewritten(rescorer); // with its encoded query face, as the shards receive it
    }
    return rescorer;
  }

  /** The XContent of a rescorer has no encoded query face: only rescorers before their rewrite. */
  @Override
  protected FaceEmdRescorerBuilder createXContextTestInstance(MediaType mediaType) {
    return randomRescorer();
  }

  private static FaceEmdRescorerBuilder randomRescorer() {
    int window = randomIntBetween(1, 1000);
    EmdParams params =
        EmdParams.builder()
            .alpha(randomDoubleBetween(0, 1, true))
            .weighting(randomFrom(Weighting.values()))
            .grid(randomFrom(Grid.values()))
            .epsilon(randomDoubleBetween(1e-3, 1, true))
            .tolerance(randomDoubleBetween(1e-8, 1e-2, true))
            // Within the node's default bound on work (window x iterations x 49 x 49 at the native
            // grid).
            .maxIterations(
                randomIntBetween(
                    1,
                    (int)
                        Math.min(
                            EmdParams.MAX_ITERATIONS_LIMIT,
                            RescoreLimits.DEFAULT_MAX_WORK / (window * 49L * 49))))
            .flows(randomIntBetween(0, 20))
            .centrePatches(randomBoolean())
            .build();
    FaceEmdRescorerBuilder rescorer =
        new FaceEmdRescorerBuilder(
            randomAlphaOfLengthBetween(1, 10),
            params,
            randomBoolean(),
            randomInput(),
            plugin.queryFaces());
    rescorer.windowSize(window);
    return rescorer;
  }

  private static FaceInput randomInput() {
    EncodeMode mode = randomFrom(EncodeMode.values());
    String model = randomFrom(FaceInput.DEFAULT_MODEL, "other");
    return switch (randomIntBetween(0, 4)) {
      case 0 -> null; // handed over from the face query
      case 1 ->
          new FaceInput(
              FaceDocs.unitVector(new Random(randomLong()), 8), null, null, false, mode, model);
      case 2 ->
          new FaceInput(
              FaceDocs.unitVector(new Random(randomLong()), 8),
              patches(),
              null,
              false,
              mode,
              model);
      case 3 ->
          new FaceInput(
              null,
              null,
              List.of(randomByteArrayOfLength(randomIntBetween(1, 64))),
              false,
              mode,
              model);
      default ->
          new FaceInput(
              null,
              null,
              List.of(randomByteArrayOfLength(randomIntBetween(1, 64)), randomByteArrayOfLength(3)),
              true,
              mode,
              model);
    };
  }

  private static byte[] patches() {
    return PatchEncoding.FLOAT16.encode(
        PatchMap.fromChannelMajor(
            FaceDocs.unitVector(new Random(randomLong()), 2 * 2 * 4), 4, 2, 2));
  }

  private static FaceEmdRescorerBuilder rewritten(FaceEmdRescorerBuilder rescorer) {
    FaceEmdRescorerBuilder withEncoder =
        new FaceEmdRescorerBuilder(
            rescorer.field(),
            rescorer.params(),
            rescorer.autoAlpha(),
            rescorer.input(),
            EMBEDDINGS);
    withEncoder.windowSize(rescorer.windowSize());
    BaseQueryRewriteContext context = new BaseQueryRewriteContext(null, null, null, () -> 0L);
    try {
      FaceEmdRescorerBuilder registered = withEncoder.rewrite(context);
      FaceEmdRescorerBuilder encoded = registered.rewrite(context);
      assertNotSame("an embedding is encoded at once", registered, encoded);
      assertNotEquals("the encoded query face is part of the rescorer", withEncoder, encoded);
      return encoded;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  protected Writeable.Reader<FaceEmdRescorerBuilder> instanceReader() {
    return in -> new FaceEmdRescorerBuilder(in, plugin.queryFaces());
  }

  @Override
  protected FaceEmdRescorerBuilder doParseInstance(XContentParser parser) throws IOException {
    assertEquals(XContentParser.Token.START_OBJECT, parser.nextToken());
    RescorerBuilder<?> parsed = RescorerBuilder.parseFromXContent(parser);
    assertNull(parser.nextToken());
    return (FaceEmdRescorerBuilder) parsed;
  }

  @Override
  protected FaceEmdRescorerBuilder mutateInstance(FaceEmdRescorerBuilder instance) {
    FaceEmdRescorerBuilder copy =
        switch (randomIntBetween(0, 2)) {
          case 0 ->
              new FaceEmdRescorerBuilder(
                  instance.field() + "x",
                  instance.params(),
                  instance.autoAlpha(),
                  instance.input(),
                  plugin.queryFaces());
          case 1 ->
              new FaceEmdRescorerBuilder(
                  instance.field(),
                  instance.params(),
                  !instance.autoAlpha(),
                  instance.input(),
                  plugin.queryFaces());
          default ->
              new FaceEmdRescorerBuilder(
                  instance.field(),
                  instance.params().toBuilder().flows(instance.params().flows() + 1).build(),
                  instance.autoAlpha(),
                  instance.input(),
                  plugin.queryFaces());
        };
    copy.windowSize(instance.windowSize());
    return copy;
  }

  // ---- the body's refusals ----

  /** Valid encoded patches (a 2x2 map of 4 values per cell), as the parser checks them. */
  private static final String PATCHES =
      java.util.Base64.getEncoder()
          .encodeToString(
              PatchEncoding.FLOAT16.encode(
                  PatchMap.fromChannelMajor(
                      FaceDocs.unitVector(new Random(7), 2 * 2 * 4), 4, 2, 2)));

  private static final String QUERY_FACE =
      "\"embedding\": [0.6, 0.8], \"patches\": \"" + PATCHES + "\"";

  private FaceEmdRescorerBuilder parse(String body) throws IOException {
    try (XContentParser parser = createParser(JsonXContent.jsonXContent, body)) {
      return FaceEmdRescorerBuilder.fromXContent(parser, plugin.queryFaces());
    }
  }

  private void assertRefused(String reason, String body) {
    ParsingException e = expectThrows(ParsingException.class, () -> parse(body));
    assertEquals(reason, e.getMessage());
    assertEquals(RestStatus.BAD_REQUEST, ExceptionsHelper.status(e));
  }

  public void testDefaultsAndAuto() throws IOException {
    FaceEmdRescorerBuilder r = parse("{\"field\": \"face\"}");
    assertEquals(EmdParams.defaults(), r.params());
    assertFalse(r.autoAlpha());
    assertNull("the face query's query face is handed over", r.input());
    assertEquals(FaceEmdRescorerBuilder.DEFAULT_WINDOW_SIZE, r.windowSize().intValue());
    r =
        parse(
            "{\"field\": \"face\", \"alpha\": \"auto\", \"weighting\": \"RECOGNIZABILITY\", \"grid\": \"4x4\", \"centre_patches\": true}");
    assertTrue(r.autoAlpha());
    assertEquals(Weighting.RECOGNIZABILITY, r.params().weighting());
    assertEquals(Grid.POOLED_4X4, r.params().grid());
    assertTrue(r.params().centrePatches());
  }

  public void testValuesOfTheWrongTypeNameTheOptionAndTheTypeItTakes() {
    assertRefused(
        "[face_emd]: [alpha] must be a number in [0, 1] or \"auto\", got null",
        "{\"field\": \"face\", \"alpha\": null}");
    assertRefused(
        "[face_emd]: [alpha] must be a number in [0, 1] or \"auto\", got [automatic]",
        "{\"field\": \"face\", \"alpha\": \"automatic\"}");
    assertRefused(
        "[face_emd]: [alpha] must be in [0, 1] but was [1.5]",
        "{\"field\": \"face\", \"alpha\": 1.5}");
    assertRefused(
        "[face_emd]: [patches] must be a string, got an object",
        "{\"field\": \"face\", \"embedding\": [1], \"patches\": {}}");
    assertRefused(
        "[face_emd]: [images] must be an array of images (base64 strings or data: URIs), got an object",
        "{\"field\": \"face\", \"images\": {}}");
    assertRefused(
        "[face_emd]: [image] must be a string (a base64 photo or a data: URI), got an array",
        "{\"field\": \"face\", \"image\": []}");
    assertRefused(
        "[face_emd]: [image] must be a string (a base64 photo or a data: URI), got null",
        "{\"field\": \"face\", \"image\": null}");
    assertRefused("[face_emd]: [field] must be a string, got a number", "{\"field\": 1}");
    assertRefused(
        "[face_emd]: [max_iterations] must be an integer, got a string",
        "{\"field\": \"face\", \"max_iterations\": \"100\"}");
    assertRefused(
        "[face_emd]: [centre_patches] must be true or false, got a string",
        "{\"field\": \"face\", \"centre_patches\": \"yes\"}");
    assertRefused(
        "[face_emd]: [epsilon] must be a number, got an array",
        "{\"field\": \"face\", \"epsilon\": [0.1]}");
  }

  public void testUnknownOptionsAndBadValuesAreNamed() {
    assertRefused("[face_emd]: unknown field [beta]", "{\"field\": \"face\", \"beta\": 1}");
    assertRefused(
        "[face_emd]: [weighting] must be one of [apc, uniform, sc, cc, recognizability], got [best]",
        "{\"field\": \"face\", \"weighting\": \"best\"}");
    assertRefused(
        "[face_emd]: [grid] must be one of [native, 4x4], got [5x5]",
        "{\"field\": \"face\", \"grid\": \"5x5\"}");
    assertRefused(
        "[face_emd]: [max_iterations] must be in [1, 10000] but was [0]",
        "{\"field\": \"face\", \"max_iterations\": 0}");
    assertRefused("[face_emd]: [field] is required", "{" + QUERY_FACE + "}");
    assertRefused(
        "[face_emd]: [mode] and [model] go with this rescorer's own [image], [images] or [embedding];"
            + " without one it uses the [face] query's query face, encoded as that query says",
        "{\"field\": \"face\", \"model\": \"default\"}");
    assertRefused(
        "[face_emd]: [patches] go with an [embedding]; images bring their own",
        "{\"field\": \"face\", \"patches\": \"" + PATCHES + "\"}");
    // Checked when the request is parsed, naming the option, rather than on each shard.
    assertRefused(
        "[face_emd]: [patches] not encoded patches (no patch header)",
        "{\"field\": \"face\", \"embedding\": [0.6, 0.8], \"patches\": \"UAEB\"}");
  }
}
