package org.facesearch.body;

import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.facesearch.option.EnumOption;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.ObjectParser;
import org.opensearch.core.xcontent.XContentLocation;
import org.opensearch.core.xcontent.XContentParseException;
import org.opensearch.core.xcontent.XContentParser;

/**
 * The parser of one JSON request body (the face query, the face_emd rescorer, a REST endpoint): an
 * OpenSearch {@link ObjectParser} whose options are declared with the type they take. A value of
 * another type (an array, an object or null where a string is expected, a string where a number
 * is), an unknown option, or a value an option refuses, is a {@link ParsingException} (HTTP 400)
 * whose own message names the option and the problem, so that it is the top-level {@code reason} of
 * the error response rather than a cause behind "failed to parse field".
 *
 * @param <T> what the options are collected into before the result is built
 */
public final class BodyParser<T> {

  /** Reads one option's value at the parser's current token, refusing a value of another type. */
  @FunctionalInterface
  public interface Reader<V> {
    V read(XContentParser parser, String option) throws IOException;
  }

  private final String name;
  private final String label;
  private final ObjectParser<T, Void> parser;

  /**
   * @param name the body's name, as unknown-option messages give it ({@code face})
   * @param label what every message starts with ({@code [face] query})
   */
  public BodyParser(String name, String label) {
    this.name = name;
    this.label = label;
    this.parser = new ObjectParser<>(name);
  }

  /**
   * Declares {@code option}, read by {@code reader}. It is declared to the {@link ObjectParser} as
   * taking any value so that {@code reader}, which knows what the option means, words the refusal
   * of a wrong type.
   */
  public <V> BodyParser<T> declare(String option, Reader<V> reader, BiConsumer<T, V> setter) {
    parser.declareField(
        (p, target, context) -> setter.accept(target, reader.read(p, option)),
        new ParseField(option),
        ObjectParser.ValueType.VALUE_OBJECT_ARRAY);
    return this;
  }

  /** Declares an option that takes a string. */
  public BodyParser<T> string(String option, BiConsumer<T, String> setter) {
    return declare(option, Values::string, setter);
  }

  /** Declares an option that takes a number. */
  public BodyParser<T> number(String option, BiConsumer<T, Double> setter) {
    return declare(option, Values::number, setter);
  }

  /** Declares an option that takes an integer. */
  public BodyParser<T> integer(String option, BiConsumer<T, Integer> setter) {
    return declare(option, Values::integer, setter);
  }

  /** Declares an option that takes {@code true} or {@code false}. */
  public BodyParser<T> bool(String option, BiConsumer<T, Boolean> setter) {
    return declare(option, Values::bool, setter);
  }

  /** Declares an option that takes the lower-case name of one of {@code type}'s constants. */
  public <E extends Enum<E>> BodyParser<T> choice(
      String option, Class<E> type, BiConsumer<T, E> setter) {
    return declare(option, (p, o) -> EnumOption.parse(o, Values.string(p, o), type), setter);
  }

  /** Declares an option that takes the wire name of one of {@code type}'s constants. */
  public <E extends Enum<E>> BodyParser<T> choice(
      String option, Class<E> type, Function<? super E, String> wireName, BiConsumer<T, E> setter) {
    return declare(
        option, (p, o) -> EnumOption.parse(o, Values.string(p, o), type, wireName), setter);
  }

  /**
   * Parses a body (the parser on its start, or just before it) into {@code target} and builds the
   * result from it; any refusal, while parsing or building, is a {@link ParsingException} naming
   * the option.
   */
  public <R> R parse(XContentParser xContent, T target, Function<T, R> build) throws IOException {
    try {
      parser.parse(xContent, target, null);
      return build.apply(target);
    } catch (IllegalArgumentException e) {
      XContentLocation location =
          e instanceof XContentParseException x && x.getLocation() != null
              ? x.getLocation()
              : xContent.getTokenLocation();
      throw new ParsingException(location, label + ": " + reason(e), e);
    }
  }

  /**
   * The message that says what was wrong: the innermost of the exceptions an {@link ObjectParser}
   * wraps around a field's failure ("failed to parse field [x]"), without its position (the
   * exception carries it) or a repetition of the body's name.
   */
  private String reason(IllegalArgumentException e) {
    Throwable t = e;
    while (t instanceof XContentParseException && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (message == null) {
      message = e.getMessage();
    }
    if (t instanceof XContentParseException x && x.getLocation() != null) {
      String position = "[" + x.getLocation() + "] ";
      if (message.startsWith(position)) {
        message = message.substring(position.length());
      }
    }
    String own = "[" + name + "] ";
    return message.startsWith(own) ? message.substring(own.length()) : message;
  }
}
