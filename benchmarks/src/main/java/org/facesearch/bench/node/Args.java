package org.facesearch.bench.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the node benchmarks: {@code --name value} pairs, each name from a fixed
 * list (an unknown or repeated name, or a name without a value, is an error naming it).
 */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, Set<String> allowed) {
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || !allowed.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option [" + name + "]; known: " + allowed);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option [" + name + "] needs a value");
            }
            if (values.put(name.substring(2), args[i + 1]) != null) {
                throw new IllegalArgumentException("option [" + name + "] given twice");
            }
        }
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /** Null when the option was not given. */
    String stringOrNull(String name) {
        return values.get(name);
    }

    int integer(String name, int defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option [--" + name + "] must be an integer, got [" + v + "]", e);
        }
    }

    int positive(String name, int defaultValue) {
        int v = integer(name, defaultValue);
        if (v < 1) {
            throw new IllegalArgumentException("option [--" + name + "] must be at least 1, got [" + v + "]");
        }
        return v;
    }

    List<Integer> integers(String name, String defaultValue) {
        List<Integer> out = new ArrayList<>();
        for (String part : string(name, defaultValue).split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option [--" + name + "] must be a comma-separated list of integers, got [" + part + "]", e);
            }
        }
        return out;
    }
}
