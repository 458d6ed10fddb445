package org.facesearch.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import org.facesearch.cli.NodeClient;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/** Base of the tests against the real node that the build started: one client per test class. */
public abstract class RealNodeTestCase {

  protected static NodeClient node;

  @BeforeClass
  public static void connect() {
    node = NodeClient.ofHome(Path.of(System.getProperty("node.home", "target/node")), null);
  }

  @AfterClass
  public static void disconnect() throws IOException {
    node.close();
  }

  /** The shared data folder (LFW, ORL), read in place. */
  protected static Path data() {
    return Path.of(System.getProperty("face.data.dir", "../../shared/data"));
  }

  /** The base64 of LFW photo {@code number} of {@code person}. */
  protected static String lfwBase64(String person, int number) throws IOException {
    Path file =
        data().resolve(String.format(Locale.ROOT, "lfw/%s/%s_%04d.jpg", person, person, number));
    return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
  }
}
