package org.facesearch.evaluation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

public class ToolsTests {

  @Test
  public void listNamesEveryToolOnceWithItsDescription() {
    String list = Tools.list();
    Set<String> names = new HashSet<>();
    for (Tools.Tool t : Tools.TOOLS) {
      assertTrue("unique name " + t.name(), names.add(t.name()));
      assertTrue(t.name() + " is listed", list.contains("  " + t.name() + " "));
      assertTrue(list.contains(t.description()));
      assertEquals(t, Tools.find(t.name()));
    }
    assertEquals(Tools.TOOLS.size() + 1, list.split("\n").length);
  }

  @Test
  public void anUnknownToolIsAnErrorNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tools.run(new String[] {"calibration"}));
    assertTrue(
        e.getMessage(),
        e.getMessage().startsWith("no evaluation tool [calibration]; known: [lfw-verification, "));
  }

  @Test
  public void aToolRefusesAnOptionItDoesNotKnow() {
    // Parsed before any input is read: the error comes at once, naming the option.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tools.run(new String[] {"lfw-verification", "--fold", "2"}));
    assertTrue(e.getMessage(), e.getMessage().startsWith("unknown option [--fold]"));
  }
}
