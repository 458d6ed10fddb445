package org.facesearch.evaluation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command-line options of every evaluation tool and benchmark: {@code --name value} pairs and
 * bare {@code --flag}s, each name from the tool's fixed lists. An unknown or repeated name, an
 * option without a value, a positional argument, or a value of the wrong kind is an error that
 * names the option.
 */
public final class Args {
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flagsGiven = new HashSet<>();
  private final Set<String> options;
  private final Set<String> flags;
  private final List<String> given = new ArrayList<>();

  /** Options that take a value only. */
  public Args(String[] args, Set<String> options) {
    this(args, options, Set.of());
  }

  /** Options that take a value, and flags that take none. */
  public Args(String[] args, Set<String> options, Set<String> flags) {
    this.options = options;
    this.flags = flags;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.startsWith("--") ? arg.substring(2) : null;
      if (name != null && flags.contains(name)) {
        if (!flagsGiven.add(name)) {
          throw new IllegalArgumentException("option [" + arg + "] given twice");
        }
        given.add(arg);
        continue;
      }
      if (name == null || !options.contains(name)) {
        throw new IllegalArgumentException("unknown option [" + arg + "]; known: " + known());
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option [" + arg + "] needs a value");
      }
      if (values.put(name, args[++i]) != null) {
        throw new IllegalArgumentException("option [" + arg + "] given twice");
      }
      given.add(arg);
      given.add(args[i]);
    }
  }

  private String known() {
    Set<String> all = new TreeSet<>();
    options.forEach(o -> all.add("--" + o + " VALUE"));
    flags.forEach(f -> all.add("--" + f));
    return all.toString();
  }

  /** The arguments as given, joined by spaces (for the command line a report quotes). */
  public String line() {
    return String.join(" ", given);
  }

  public boolean flag(String name) {
    requireKnown(flags, name);
    return flagsGiven.contains(name);
  }

  public String string(String name, String defaultValue) {
    requireKnown(options, name);
    return values.getOrDefault(name, defaultValue);
  }

  /** Null when the option was not given. */
  public String stringOrNull(String name) {
    return string(name, null);
  }

  public Path path(String name, String defaultValue) {
    return Path.of(string(name, defaultValue));
  }

  public int integer(String name, int defaultValue) {
    return (int) parse(name, defaultValue, true, Integer.MIN_VALUE, "an integer");
  }

  public long longValue(String name, long defaultValue) {
    return parse(name, defaultValue, false, Long.MIN_VALUE, "an integer");
  }

  public int positive(String name, int defaultValue) {
    return (int) parse(name, defaultValue, true, 1, "an integer of at least 1");
  }

  public List<Integer> integers(String name, String defaultValue) {
    List<Integer> out = new ArrayList<>();
    for (String part : string(name, defaultValue).split(",")) {
      try {
        out.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "option [--"
                + name
                + "] must be a comma-separated list of integers, got ["
                + part
                + "]",
            e);
      }
    }
    return out;
  }

  /** A comma-separated list of words. */
  public List<String> words(String name, String defaultValue) {
    List<String> out = new ArrayList<>();
    for (String part : string(name, defaultValue).split(",")) {
      if (part.isBlank()) {
        throw new IllegalArgumentException(
            "option [--" + name + "] has an empty item: [" + string(name, defaultValue) + "]");
      }
      out.add(part.trim());
    }
    return out;
  }

  private long parse(String name, long defaultValue, boolean isInt, long min, String what) {
    String v = string(name, null);
    if (v == null) {
      return defaultValue;
    }
    long parsed;
    try {
      parsed = isInt ? Integer.parseInt(v) : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option [--" + name + "] must be " + what + ", got [" + v + "]", e);
    }
    if (parsed < min) {
      throw new IllegalArgumentException(
          "option [--" + name + "] must be " + what + ", got [" + v + "]");
    }
    return parsed;
  }

  private static void requireKnown(Set<String> names, String name) {
    if (!names.contains(name)) {
      // A tool asking for an option it did not declare is a bug in the tool, not in the command
      // line.
      throw new IllegalStateException("the tool reads [--" + name + "] but does not declare it");
    }
  }
}
