package org.facesearch.emd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

/** Parameter defaults and the messages an adapter returns as 400s. */
public class EmdParamsTests {

  @Test
  public void defaultsAreTheSpecification() {
    EmdParams d = EmdParams.defaults();
    assertEquals(Weighting.APC, d.weighting());
    assertEquals(Grid.NATIVE, d.grid());
    assertEquals(0.7, d.alpha(), 0.0);
    assertEquals(0.05, d.epsilon(), 0.0);
    assertEquals(1e-4, d.tolerance(), 0.0);
    assertEquals(100, d.maxIterations());
    assertEquals(0, d.flows());
    assertEquals(d, EmdParams.builder().build());
    assertEquals(d, d.toBuilder().build());
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  public void rejectsOutOfRangeValues() {
    assertEquals(
        "[alpha] must be in [0, 1] but was [1.5]",
        message(() -> EmdParams.builder().alpha(1.5).build()));
    assertEquals(
        "[alpha] must be in [0, 1] but was [-0.1]",
        message(() -> EmdParams.builder().alpha(-0.1).build()));
    assertEquals(
        "[alpha] must be in [0, 1] but was [NaN]", message(() -> EmdParams.checkAlpha(Double.NaN)));
    assertEquals(
        "[epsilon] must be a finite number > 0 but was [0.0]",
        message(() -> EmdParams.builder().epsilon(0).build()));
    assertEquals(
        "[epsilon] must be a finite number > 0 but was [-1.0]",
        message(() -> EmdParams.checkEpsilon(-1)));
    assertEquals(
        "[epsilon] must be a finite number > 0 but was [Infinity]",
        message(() -> EmdParams.checkEpsilon(Double.POSITIVE_INFINITY)));
    assertEquals(
        "[tolerance] must be a finite number > 0 but was [0.0]",
        message(() -> EmdParams.builder().tolerance(0).build()));
    assertEquals(
        "[tolerance] must be a finite number > 0 but was [NaN]",
        message(() -> EmdParams.checkTolerance(Double.NaN)));
    assertEquals(
        "[max_iterations] must be in [1, 10000] but was [0]",
        message(() -> EmdParams.builder().maxIterations(0).build()));
    assertEquals(
        "[max_iterations] must be in [1, 10000] but was [-3]",
        message(() -> EmdParams.checkMaxIterations(-3)));
    assertEquals(
        "[max_iterations] must be in [1, 10000] but was [10001]",
        message(() -> EmdParams.checkMaxIterations(10001)));
    assertEquals(
        "[flows] must be >= 0 but was [-1]", message(() -> EmdParams.builder().flows(-1).build()));
    assertEquals(
        "[weighting] must not be null", message(() -> EmdParams.builder().weighting(null).build()));
    assertEquals("[grid] must not be null", message(() -> EmdParams.builder().grid(null).build()));
  }

  @Test
  public void acceptsBoundaryValues() {
    EmdParams p =
        EmdParams.builder()
            .alpha(0)
            .epsilon(0.01)
            .tolerance(1e-12)
            .maxIterations(1)
            .flows(0)
            .build();
    assertEquals(0.0, p.alpha(), 0.0);
    assertEquals(1.0, EmdParams.checkAlpha(1.0), 0.0);
    assertEquals(10000, EmdParams.checkMaxIterations(10000));
    assertEquals(
        "[alpha] must be in [0, 1] but was [2.0]",
        assertThrows(
                IllegalArgumentException.class,
                () -> EmdResult.combine(EmdParams.checkAlpha(2), 0, 0))
            .getMessage());
  }
}
