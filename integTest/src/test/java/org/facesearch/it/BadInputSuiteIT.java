package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.facesearch.cli.NodeClient;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The bad-input suite: what a careless or hostile user sends to each of the five entry points (the
 * ingest processor through a pipeline, {@code _bulk} with a pipeline, the {@code face} query, the
 * {@code face_emd} rescorer, {@code _encode}), on the real server. Every kind of bad input gets a
 * 4xx whose reason names the option (or the field that held the photo) and the problem; unusual but
 * valid input gets a 2xx; never a 5xx; the node answers afterwards; and in {@code _bulk} the good
 * neighbour of a bad document is indexed. The reason read is the error's top-level {@code reason};
 * for checks against an index's mapping, which OpenSearch runs on each shard and reports as "all
 * shards failed", it is the top-level {@code caused_by.reason}.
 */
public class BadInputSuiteIT extends RealNodeTestCase {

  private static final String INDEX = "it-bad-suite";
  private static final String PIPELINE = "it-bad-suite";
  private static final String SEARCH = "/" + INDEX + "/_search";
  private static final String ENCODE = "/_plugins/face/_encode";
  private static final AtomicInteger IDS = new AtomicInteger();

  /** The kinds of input this suite checked, across all entry points. */
  private static final Set<String> KINDS = new TreeSet<>();

  private static byte[] photoBytes;
  private static String photo;
  private static String embedding;

  @BeforeClass
  public static void setUp() throws IOException {
    String pipeline =
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}";
    assertEquals(200, node.call("PUT", "/_ingest/pipeline/" + PIPELINE, pipeline).status());
    assertEquals(
        200,
        node.call(
                "PUT",
                "/" + INDEX,
                "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0},"
                    + " \"mappings\": {\"properties\": {\"face\": {\"type\": \"face\"}, \"kw\": {\"type\": \"keyword\"},"
                    + " \"n\": {\"type\": \"nested\", \"properties\": {\"face\": {\"type\": \"face\"}}}}}}")
            .status());
    photoBytes = Files.readAllBytes(data().resolve("lfw/Colin_Powell/Colin_Powell_0001.jpg"));
    photo = Base64.getEncoder().encodeToString(photoBytes);
    NodeClient.Answer indexed =
        node.call(
            "PUT",
            "/" + INDEX + "/_doc/good?pipeline=" + PIPELINE + "&refresh=true",
            "{\"photo\": \"" + photo + "\", \"kw\": \"a\"}");
    assertEquals(indexed.text(), 201, indexed.status());
    embedding =
        node.request("POST", ENCODE, "{\"image\": \"" + photo + "\"}")
            .path("faces")
            .get(0)
            .path("embedding")
            .toString();
  }

  @AfterClass
  public static void cleanUp() {
    node.call("DELETE", "/" + INDEX);
    node.call("DELETE", "/_ingest/pipeline/" + PIPELINE);
    assertTrue(
        "the suite covers " + KINDS.size() + " kinds of bad input: " + KINDS, KINDS.size() >= 40);
  }

  // ---- assertions -----------------------------------------------------------------------------

  /**
   * The reason a user reads first: the top-level reason, or the shard's under "all shards failed".
   */
  private static String reason(NodeClient.Answer answer) {
    JsonNode error = answer.body().path("error");
    if (error.isTextual()) {
      return error.asText(); // OpenSearch's answer to a wrong method or path
    }
    String reason = error.path("reason").asText();
    if ("all shards failed".equals(reason)) {
      return error.path("caused_by").path("reason").asText();
    }
    return reason;
  }

  private static void alive() {
    assertEquals(200, node.call("GET", "/_cluster/health").status());
  }

  private static String shown(NodeClient.Answer answer) {
    return answer.status()
        + " "
        + (answer.text().length() > 700 ? answer.text().substring(0, 700) : answer.text());
  }

  /** A 4xx (400 unless said) whose reason contains {@code named}; then the node still answers. */
  private static void refused(
      String kind, String named, String method, String endpoint, String body) {
    refused(kind, 400, named, method, endpoint, body);
  }

  private static void refused(
      String kind, int status, String named, String method, String endpoint, String body) {
    KINDS.add(kind);
    NodeClient.Answer answer = node.call(method, endpoint, body);
    assertEquals(kind + ": " + shown(answer), status, answer.status());
    String reason = reason(answer);
    // Jackson names a duplicated key in double quotes on OpenSearch 3.8.0, in single quotes on
    // 3.6.0.
    boolean names =
        reason.contains(named)
            || (named.startsWith("\"") && reason.contains(named.replace('"', '\'')));
    assertTrue(kind + ": reason [" + reason + "] should name " + named, names);
    alive();
  }

  /** A 2xx: unusual but valid input. */
  private static NodeClient.Answer accepted(
      String kind, String method, String endpoint, String body) {
    KINDS.add(kind);
    NodeClient.Answer answer = node.call(method, endpoint, body);
    assertTrue(kind + ": " + shown(answer), answer.status() / 100 == 2);
    alive();
    return answer;
  }

  // ---- photos through all five entry points -----------------------------------------------------

  /**
   * What an entry point answers a photo: a status, and a text its reason must hold when refused.
   */
  private record Expect(int status, String named) {
    static final Expect OK = new Expect(200, null);
  }

  private static Expect bad(String named) {
    return new Expect(400, named);
  }

  /**
   * Sends {@code value} as the photo to all five entry points: {@code ingest} for the processor and
   * {@code _bulk} (with a good neighbour, which must be indexed), {@code search} for the face query
   * and the rescorer's own image, {@code encode} for {@code _encode}.
   */
  private static void photoEverywhere(
      String kind, String value, Expect ingest, Expect search, Expect encode) {
    KINDS.add(kind);
    String json = "\"" + value + "\"";
    // 1. The ingest processor through a pipeline.
    check(
        kind + " (pipeline)",
        ingest,
        node.call(
            "PUT",
            "/" + INDEX + "/_doc/d" + IDS.incrementAndGet() + "?pipeline=" + PIPELINE,
            "{\"photo\": " + json + "}"));
    // 2. _bulk with a pipeline: the bad item answered per item, its good neighbour indexed.
    String bulk =
        "{\"index\": {\"_index\": \""
            + INDEX
            + "\", \"_id\": \"b"
            + IDS.incrementAndGet()
            + "\"}}\n{\"photo\": "
            + json
            + "}\n"
            + "{\"index\": {\"_index\": \""
            + INDEX
            + "\", \"_id\": \"g"
            + IDS.incrementAndGet()
            + "\"}}\n{\"photo\": \""
            + photo
            + "\"}\n";
    NodeClient.Answer answer = node.call("POST", "/_bulk?pipeline=" + PIPELINE, bulk);
    assertEquals(kind + " (bulk): " + shown(answer), 200, answer.status());
    JsonNode items = answer.body().path("items");
    JsonNode bad = items.get(0).path("index");
    int badStatus = bad.path("status").asInt();
    if (ingest.status() / 100 == 2) {
      assertTrue(kind + " (bulk item): " + bad, badStatus / 100 == 2);
    } else {
      assertEquals(kind + " (bulk item): " + bad, ingest.status(), badStatus);
      assertTrue(
          kind + " (bulk item): " + bad,
          bad.path("error").path("reason").asText().contains(ingest.named()));
    }
    assertTrue(
        kind + " (bulk neighbour): " + items.get(1),
        items.get(1).path("index").path("status").asInt() / 100 == 2);
    // 3. The face query.
    check(
        kind + " (face query)",
        search,
        node.call(
            "POST",
            SEARCH,
            "{\"query\": {\"face\": {\"field\": \"face\", \"image\": "
                + json
                + ", \"on_unrecognizable_query\": \"ignore\"}}}"));
    // 4. The rescorer's own query face.
    check(
        kind + " (face_emd)",
        search,
        node.call(
            "POST",
            SEARCH,
            "{\"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"face\", \"image\": "
                + json
                + "}}}"));
    // 5. _encode.
    check(kind + " (_encode)", encode, node.call("POST", ENCODE, "{\"image\": " + json + "}"));
    alive();
  }

  private static void check(String what, Expect expect, NodeClient.Answer answer) {
    if (expect.status() / 100 == 2) {
      assertTrue(what + ": " + shown(answer), answer.status() / 100 == 2);
    } else {
      assertEquals(what + ": " + shown(answer), expect.status(), answer.status());
      assertTrue(
          what + ": reason [" + reason(answer) + "] should name " + expect.named(),
          reason(answer).contains(expect.named()));
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  public void photosThatAreNotUsableImagesAreRefusedEverywhereNamingTheField() {
    Expect photoField = bad("[photo]");
    Expect image = bad("[image]");
    photoEverywhere("empty string", "", photoField, image, image);
    photoEverywhere("not base64", "@@ not base64 !!", photoField, image, image);
    photoEverywhere(
        "base64 of text", b64("hello, this is only text".getBytes()), photoField, image, image);
    photoEverywhere(
        "truncated JPEG", b64(BadImages.truncated(photoBytes, 0.5)), photoField, image, image);
    byte[] png = BadImages.write(BadImages.read(photoBytes), "png");
    photoEverywhere("truncated PNG", b64(BadImages.truncated(png, 0.5)), photoField, image, image);
    photoEverywhere(
        "PNG decompression bomb (10 gigapixels declared, 1 KB sent)",
        b64(BadImages.pngBomb(100_000, 100_000)),
        bad("more than the limit of 40000000 pixels"),
        bad("more than the limit of 40000000 pixels"),
        bad("more than the limit of 40000000 pixels"));
    photoEverywhere(
        "PNG declaring 36 megapixels with 1 KB of data",
        b64(BadImages.pngBomb(6000, 6000)),
        photoField,
        image,
        image);
    photoEverywhere(
        "data: URI of text",
        "data:text/plain;base64," + b64("hello".getBytes()),
        photoField,
        image,
        image);
    photoEverywhere("data: URI not in base64", "data:image/jpeg,abc", photoField, image, image);
    photoEverywhere("data: URI with no data", "data:image/jpeg;base64,", photoField, image, image);
  }

  @Test
  public void anImageOverTheByteLimitIsRefusedEverywhere() {
    // The photo with 30 KB after its end: a JPEG reader ignores the tail, the byte limit does not.
    byte[] padded = Arrays.copyOf(photoBytes, photoBytes.length + 30_000);
    node.request(
        "PUT",
        "/_cluster/settings",
        "{\"transient\": {\"plugins.face.image.max_bytes\": \"20kb\"}}");
    try {
      Expect limit = bad("more than the limit of 20480 bytes");
      photoEverywhere("image over plugins.face.image.max_bytes", b64(padded), limit, limit, limit);
    } finally {
      node.request(
          "PUT", "/_cluster/settings", "{\"transient\": {\"plugins.face.image.max_bytes\": null}}");
    }
  }

  @Test
  public void unusualButValidImagesAreAccepted() {
    photoEverywhere(
        "animated GIF (first frame)",
        b64(BadImages.animatedGif(photoBytes)),
        Expect.OK,
        Expect.OK,
        Expect.OK);
    photoEverywhere(
        "CMYK JPEG", b64(BadImages.cmykJpeg(photoBytes)), Expect.OK, Expect.OK, Expect.OK);
    photoEverywhere(
        "16-bit grey PNG", b64(BadImages.grey16Png(photoBytes)), Expect.OK, Expect.OK, Expect.OK);
    photoEverywhere(
        "16-bit RGB PNG", b64(BadImages.rgb16Png(photoBytes)), Expect.OK, Expect.OK, Expect.OK);
    photoEverywhere(
        "grey JPEG", b64(BadImages.greyJpeg(photoBytes)), Expect.OK, Expect.OK, Expect.OK);
    photoEverywhere(
        "PNG with alpha", b64(BadImages.rgbaPng(photoBytes)), Expect.OK, Expect.OK, Expect.OK);
    photoEverywhere(
        "BMP",
        b64(BadImages.write(BadImages.read(photoBytes), "bmp")),
        Expect.OK,
        Expect.OK,
        Expect.OK);
    photoEverywhere(
        "TIFF",
        b64(BadImages.write(BadImages.read(photoBytes), "tiff")),
        Expect.OK,
        Expect.OK,
        Expect.OK);
    photoEverywhere(
        "data: URI of a JPEG", "data:image/jpeg;base64," + photo, Expect.OK, Expect.OK, Expect.OK);
    photoEverywhere(
        "base64 with line breaks",
        photo.replaceAll("(.{76})", "$1\\\\n"),
        Expect.OK,
        Expect.OK,
        Expect.OK);
  }

  @Test
  public void photosWithoutAUsableFaceAreRefusedWhereAFaceIsNeeded() {
    Expect noFace = bad("[photo]: no face found");
    Expect noQueryFace = bad("[image]: no face found in the query image");
    photoEverywhere(
        "no face (flat image)",
        b64(BadImages.flat(200, 200, "jpg")),
        noFace,
        noQueryFace,
        Expect.OK);
    photoEverywhere(
        "1 x 1 pixel", b64(BadImages.flat(1, 1, "png")), noFace, noQueryFace, Expect.OK);
    photoEverywhere(
        "65535 x 1 pixels", b64(BadImages.flat(65535, 1, "png")), noFace, noQueryFace, Expect.OK);
    photoEverywhere(
        "1 x 65535 pixels", b64(BadImages.flat(1, 65535, "png")), noFace, noQueryFace, Expect.OK);
    // A 30 x 30 photo: its face is about 13 pixels, below the processor's min_face_size (20); a
    // query
    // may still use it (on_unrecognizable_query: ignore).
    photoEverywhere(
        "face too small",
        b64(BadImages.write(BadImages.scaled(BadImages.read(photoBytes), 30, 30), "jpg")),
        bad("[photo]: no face of at least 20 pixels"),
        Expect.OK,
        Expect.OK);
  }

  @Test
  public void photoFieldsOfTheWrongTypeAreRefusedByTheProcessor() {
    String doc = "/" + INDEX + "/_doc/t" + IDS.incrementAndGet() + "?pipeline=" + PIPELINE;
    refused("photo is a number", "[photo] must be a base64 string", "PUT", doc, "{\"photo\": 5}");
    refused("photo is null", "[photo] is missing", "PUT", doc, "{\"photo\": null}");
    refused(
        "photo is an array",
        "[photo] must be a base64 string",
        "PUT",
        doc,
        "{\"photo\": [\"" + photo + "\"]}");
    refused(
        "photo is an object",
        "[photo] must be a base64 string",
        "PUT",
        doc,
        "{\"photo\": {\"data\": \"" + photo + "\"}}");
    refused("photo missing", "[photo] is missing", "PUT", doc, "{\"other\": 1}");
    String bulk =
        "{\"index\": {\"_index\": \""
            + INDEX
            + "\", \"_id\": \"tb\"}}\n{\"photo\": 5}\n"
            + "{\"index\": {\"_index\": \""
            + INDEX
            + "\", \"_id\": \"tg\"}}\n{\"photo\": \""
            + photo
            + "\"}\n";
    JsonNode items = node.request("POST", "/_bulk?pipeline=" + PIPELINE, bulk).path("items");
    assertEquals(400, items.get(0).path("index").path("status").asInt());
    assertTrue(items.get(1).path("index").path("status").asInt() / 100 == 2);
  }

  @Test
  public void badProcessorDefinitionsAreRefusedNamingTheOption() {
    String put = "/_ingest/pipeline/it-bad-suite-def";
    refused(
        "processor without field",
        "[field]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {}}]}");
    refused(
        "processor field empty",
        "[field]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"\"}}]}");
    refused(
        "processor target_field empty",
        "[target_field]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"target_field\": \"\"}}]}");
    refused(
        "processor field not a string",
        "[field]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {\"field\": [\"photo\"]}}]}");
    refused(
        "processor unknown option",
        "[bogus]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"bogus\": 1}}]}");
    refused(
        "processor unknown model",
        "[model]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"model\": \"nope\"}}]}");
    refused(
        "processor min_face_size out of range",
        "[min_face_size]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"min_face_size\": -1}}]}");
    refused(
        "processor batch_size 0",
        "[batch_size]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"batch_size\": 0}}]}");
    refused(
        "processor faces not a choice",
        "[faces]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"faces\": \"some\"}}]}");
    refused(
        "processor boolean option as text",
        "[remove_image]",
        "PUT",
        put,
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": \"maybe\"}}]}");
  }

  private static String query(String options) {
    return "{\"query\": {\"face\": {\"field\": \"face\", " + options + "}}}";
  }

  @Test
  public void badFaceQueriesAreRefusedNamingTheOption() {
    String e = "\"embedding\": " + embedding;
    refused("k 0", "[k]", "POST", SEARCH, query(e + ", \"k\": 0"));
    refused("k 10001", "[k]", "POST", SEARCH, query(e + ", \"k\": 10001"));
    refused("k not an integer", "[k]", "POST", SEARCH, query(e + ", \"k\": 1.5"));
    refused("k beyond long", "[k]", "POST", SEARCH, query(e + ", \"k\": 99999999999999999999"));
    refused(
        "num_candidates below k",
        "[num_candidates]",
        "POST",
        SEARCH,
        query(e + ", \"k\": 50, \"num_candidates\": 10"));
    refused("min_ers out of range", "[min_ers]", "POST", SEARCH, query(e + ", \"min_ers\": 2"));
    refused(
        "wrong embedding length",
        "the embedding has 2 values",
        "POST",
        SEARCH,
        query("\"embedding\": [0.1, 0.2]"));
    refused(
        "NaN in an embedding",
        "[embedding]",
        "POST",
        SEARCH,
        query("\"embedding\": [\"NaN\"" + ", 0.05".repeat(511) + "]"));
    refused(
        "Infinity in an embedding (1e39 overflows a float)",
        "[embedding]",
        "POST",
        SEARCH,
        query("\"embedding\": [1e39" + ", 0.05".repeat(511) + "]"));
    refused(
        "non-JSON NaN token",
        "[face]",
        "POST",
        SEARCH,
        query("\"embedding\": [NaN" + ", 0.05".repeat(511) + "]"));
    refused(
        "all-zero embedding",
        "[embedding]",
        "POST",
        SEARCH,
        query("\"embedding\": [" + "0, ".repeat(511) + "0]"));
    refused("empty embedding", "[embedding]", "POST", SEARCH, query("\"embedding\": []"));
    refused(
        "string in an embedding", "[embedding]", "POST", SEARCH, query("\"embedding\": [\"a\"]"));
    refused(
        "patches that are not a patch map",
        "[patches]",
        "POST",
        SEARCH,
        query(e + ", \"patches\": \"aGVsbG8=\""));
    refused("unknown option", "[bogus]", "POST", SEARCH, query(e + ", \"bogus\": 1"));
    refused(
        "unknown model",
        "[model]",
        "POST",
        SEARCH,
        query("\"image\": \"" + photo + "\", \"model\": \"nope\""));
    refused(
        "unknown field",
        "field [nope]",
        "POST",
        SEARCH,
        "{\"query\": {\"face\": {\"field\": \"nope\", " + e + "}}}");
    refused(
        "field that is not a face field",
        "[kw]",
        "POST",
        SEARCH,
        "{\"query\": {\"face\": {\"field\": \"kw\", " + e + "}}}");
    refused(
        "a face field's sub-field",
        "[face.embedding]",
        "POST",
        SEARCH,
        "{\"query\": {\"face\": {\"field\": \"face.embedding\", " + e + "}}}");
    accepted(
        "nested face field path",
        "POST",
        SEARCH,
        "{\"query\": {\"nested\": {\"path\": \"n\", \"query\": {\"face\": {\"field\": \"n.face\", "
            + e
            + "}}}}}");
    refused("duplicate key", "\"k\"", "POST", SEARCH, query(e + ", \"k\": 5, \"k\": 6"));
    refused(
        "image and embedding together",
        "[image, embedding]",
        "POST",
        SEARCH,
        query("\"image\": \"" + photo + "\", " + e));
    refused("no query face", "[embedding], [image] or [images]", "POST", SEARCH, query("\"k\": 5"));
    refused("images empty", "[images]", "POST", SEARCH, query("\"images\": []"));
    refused("null in images", "[images][0]", "POST", SEARCH, query("\"images\": [null]"));
    refused(
        "mode not a choice",
        "[mode]",
        "POST",
        SEARCH,
        query("\"image\": \"" + photo + "\", \"mode\": \"sideways\""));
    refused(
        "on_unrecognizable_query not a choice",
        "[on_unrecognizable_query]",
        "POST",
        SEARCH,
        query(e + ", \"on_unrecognizable_query\": \"x\""));
    refused("filter not a query", "[filter]", "POST", SEARCH, query(e + ", \"filter\": 5"));
    refused("face query not an object", "[face]", "POST", SEARCH, "{\"query\": {\"face\": \"x\"}}");
  }

  private static String rescore(String window, String options) {
    return "{\"query\": {\"face\": {\"field\": \"face\", \"image\": \""
        + photo
        + "\"}}, \"rescore\": {"
        + window
        + "\"face_emd\": {\"field\": \"face\""
        + options
        + "}}}";
  }

  @Test
  public void badRescoresAreRefusedNamingTheOption() {
    accepted("rescore after a face query, with its query face", "POST", SEARCH, rescore("", ""));
    refused(
        "negative window", "[window_size]", "POST", SEARCH, rescore("\"window_size\": -1, ", ""));
    refused("window 0", "[window_size]", "POST", SEARCH, rescore("\"window_size\": 0, ", ""));
    refused("alpha 2", "[alpha]", "POST", SEARCH, rescore("", ", \"alpha\": 2"));
    refused("alpha a word", "[alpha]", "POST", SEARCH, rescore("", ", \"alpha\": \"most\""));
    refused("epsilon 0", "[epsilon]", "POST", SEARCH, rescore("", ", \"epsilon\": 0"));
    refused("epsilon negative", "[epsilon]", "POST", SEARCH, rescore("", ", \"epsilon\": -1"));
    refused(
        "epsilon below double precision",
        "[epsilon]",
        "POST",
        SEARCH,
        rescore("", ", \"epsilon\": 1e-30"));
    refused("tolerance 0", "[tolerance]", "POST", SEARCH, rescore("", ", \"tolerance\": 0"));
    refused(
        "max_iterations 0",
        "[max_iterations]",
        "POST",
        SEARCH,
        rescore("", ", \"max_iterations\": 0"));
    refused(
        "max_iterations 10001",
        "[max_iterations]",
        "POST",
        SEARCH,
        rescore("", ", \"max_iterations\": 10001"));
    refused("flows negative", "[flows]", "POST", SEARCH, rescore("", ", \"flows\": -1"));
    refused(
        "weighting not a choice",
        "[weighting]",
        "POST",
        SEARCH,
        rescore("", ", \"weighting\": \"x\""));
    refused("grid not a choice", "[grid]", "POST", SEARCH, rescore("", ", \"grid\": \"9x9\""));
    refused(
        "boolean option as text",
        "[centre_patches]",
        "POST",
        SEARCH,
        rescore("", ", \"centre_patches\": \"yes\""));
    refused("rescore unknown option", "[bogus]", "POST", SEARCH, rescore("", ", \"bogus\": true"));
    refused(
        "rescore duplicate key",
        "\"alpha\"",
        "POST",
        SEARCH,
        rescore("", ", \"alpha\": 0.5, \"alpha\": 0.6"));
    refused(
        "rescore work beyond plugins.face.rescore.max_work",
        "[plugins.face.rescore.max_work]",
        "POST",
        SEARCH,
        rescore("\"window_size\": 10000, ", ", \"max_iterations\": 10000"));
    refused(
        "rescore without field",
        "[field]",
        "POST",
        SEARCH,
        "{\"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"image\": \""
            + photo
            + "\"}}}");
    refused(
        "rescore on an unknown field",
        "field [nope]",
        "POST",
        SEARCH,
        "{\"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"nope\", \"image\": \""
            + photo
            + "\"}}}");
    refused(
        "rescore on a field that is not a face field",
        "[kw]",
        "POST",
        SEARCH,
        "{\"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"kw\", \"image\": \""
            + photo
            + "\"}}}");
    refused(
        "rescore embedding without patches",
        "[patches]",
        "POST",
        SEARCH,
        "{\"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"face\", \"embedding\": "
            + embedding
            + "}}}");
    refused(
        "rescore with collapse",
        "[collapse]",
        "POST",
        SEARCH,
        "{\"collapse\": {\"field\": \"kw\"}, \"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"face\", \"image\": \""
            + photo
            + "\"}}}");
    refused(
        "rescore with sort",
        "[sort]",
        "POST",
        SEARCH,
        "{\"sort\": [\"kw\"], \"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"face\", \"image\": \""
            + photo
            + "\"}}}");
  }

  @Test
  public void badEncodeRequestsAreRefusedNamingTheOption() {
    refused("_encode without body", "body", "POST", ENCODE, null);
    refused("_encode body not JSON", "hello", "POST", ENCODE, "hello");
    refused("_encode body an array", "START_ARRAY", "POST", ENCODE, "[]");
    refused("_encode without image", "[image]", "POST", ENCODE, "{}");
    refused(
        "_encode unknown option",
        "[x]",
        "POST",
        ENCODE,
        "{\"image\": \"" + photo + "\", \"x\": 1}");
    refused(
        "_encode unknown model",
        "[model]",
        "POST",
        ENCODE,
        "{\"image\": \"" + photo + "\", \"model\": \"nope\"}");
    refused(
        "_encode mode not a choice",
        "[mode]",
        "POST",
        ENCODE,
        "{\"image\": \"" + photo + "\", \"mode\": \"sideways\"}");
    refused(
        "_encode boolean as text",
        "[patches]",
        "POST",
        ENCODE,
        "{\"image\": \"" + photo + "\", \"patches\": \"yes\"}");
    refused(
        "_encode duplicate key",
        "\"image\"",
        "POST",
        ENCODE,
        "{\"image\": \"" + photo + "\", \"image\": \"" + photo + "\"}");
    refused("_encode image a number", "[image]", "POST", ENCODE, "{\"image\": 7}");
    refused("_encode image null", "[image]", "POST", ENCODE, "{\"image\": null}");
    refused(
        "_encode image an array", "[image]", "POST", ENCODE, "{\"image\": [\"" + photo + "\"]}");
    refused("_encode image an object", "[image]", "POST", ENCODE, "{\"image\": {}}");
    refused("_encode image a boolean", "[image]", "POST", ENCODE, "{\"image\": true}");
    refused("_encode with GET", 405, "POST", "GET", ENCODE, null);
    accepted(
        "_encode a 1 x 1 crop given as aligned",
        "POST",
        ENCODE,
        "{\"image\": \"" + b64(BadImages.flat(1, 1, "png")) + "\", \"mode\": \"aligned\"}");
  }
}
