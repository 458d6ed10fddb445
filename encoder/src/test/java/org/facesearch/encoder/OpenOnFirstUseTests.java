package org.facesearch.encoder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.facesearch.testing.TestData;
import org.junit.Test;

/**
 * An encoder that opens its models with its first image: nothing open before, the same faces after.
 */
public class OpenOnFirstUseTests {

  @Test
  public void modelsOpenWithTheFirstImageAndEncodeAsAnEncoderOpenedAtOnce() {
    byte[] photo = TestData.lfwImage("Colin_Powell", 1);
    try (FaceEncoder deferred =
        FaceEncoder.openOnFirstUse(TestData.defaultPack(), EncoderOptions.defaults())) {
      assertFalse("no session before the first image", deferred.modelsOpen());
      EncoderStats before = deferred.stats();
      assertEquals(0, before.images());
      assertEquals(0, before.featureCalls());
      assertEquals(0, before.featureModelNanos());

      List<EncodedFace> late = deferred.encode(photo, EncodeMode.DETECT, 1);
      assertTrue(deferred.modelsOpen());
      assertEquals(1, deferred.stats().images());
      assertEquals(1, deferred.stats().featureCalls());

      // The reference: the shared encoder, opened when it was created.
      List<EncodedFace> eager = TestData.encoder().encode(photo, EncodeMode.DETECT, 1);
      assertTrue(TestData.encoder().modelsOpen());
      assertEquals(1, late.size());
      assertArrayEquals(eager.get(0).embedding(), late.get(0).embedding(), 0f);
      assertArrayEquals(eager.get(0).unitPatches(), late.get(0).unitPatches(), 0f);
      assertArrayEquals(eager.get(0).box(), late.get(0).box(), 0f);
    }
  }

  @Test
  public void aClosedEncoderNeverOpensItsModels() {
    FaceEncoder deferred =
        FaceEncoder.openOnFirstUse(TestData.defaultPack(), EncoderOptions.defaults());
    deferred.close();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> deferred.encode(TestData.lfwImage("Colin_Powell", 1), EncodeMode.DETECT, 1));
    assertThat(e.getMessage(), containsString("closed"));
    assertFalse(deferred.modelsOpen());
  }

  @Test
  public void packsAreVerifiedWhenLoadedEvenWhenTheirModelsWait() {
    try (FaceModels models =
        FaceModels.load(List.of(TestData.modelRoot()), null, EncoderOptions.defaults(), false)) {
      FaceModel model = models.get(TestData.defaultPack().name());
      assertFalse(model.encoder().modelsOpen());
      assertEquals(
          TestData.defaultPack().descriptor().feature().embeddingDims(),
          model.pack().descriptor().feature().embeddingDims());
    }
  }
}
