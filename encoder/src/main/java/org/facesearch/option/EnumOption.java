package org.facesearch.option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * An option whose value names one constant of an enum by its wire name: the lower-case name users
 * write in requests, settings and pack files ({@code detect}, {@code float16}, {@code 4x4}). The
 * one parser of such names, so every option refuses a wrong name the same way: naming the option,
 * the values it accepts and the value given.
 */
public final class EnumOption {

  private EnumOption() {}

  /** The wire name of an enum constant that does not declare its own: its name in lower case. */
  public static String wireName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** The constant of {@code type} whose lower-case name is {@code value} (in any case). */
  public static <E extends Enum<E>> E parse(String option, String value, Class<E> type) {
    return parse(option, value, type, EnumOption::wireName);
  }

  /**
   * The constant of {@code type} whose wire name is {@code value} (in any case; wire names are
   * lower case).
   *
   * @throws IllegalArgumentException {@code [option] must be one of [a, b], got [value]}
   */
  public static <E extends Enum<E>> E parse(
      String option, String value, Class<E> type, Function<? super E, String> wireName) {
    if (value != null) {
      String lower = value.toLowerCase(Locale.ROOT);
      for (E constant : type.getEnumConstants()) {
        if (wireName.apply(constant).equals(lower)) {
          return constant;
        }
      }
    }
    throw new IllegalArgumentException(
        "[" + option + "] must be one of " + wireNames(type, wireName) + ", got [" + value + "]");
  }

  /** The wire names of {@code type}'s constants, in declaration order. */
  public static <E extends Enum<E>> List<String> wireNames(
      Class<E> type, Function<? super E, String> wireName) {
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(wireName.apply(constant));
    }
    return names;
  }

  /** The lower-case names of {@code type}'s constants, in declaration order. */
  public static <E extends Enum<E>> List<String> wireNames(Class<E> type) {
    return wireNames(type, EnumOption::wireName);
  }
}
