package io.camelpgrepl.client;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Parses the value of an option whose values are a closed set (an enum), the one way every such option is
 * parsed: trimmed, case-insensitive, by the spelling users write ({@code verify-full}) or the constant's name
 * ({@code VERIFY_FULL}). The error names the option and every value it takes.
 */
public final class OptionValues {

    private OptionValues() {
    }

    /**
     * @param option   the option's name, for the error
     * @param text     what the user wrote
     * @param spelling how users write each value
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String option, String text, Function<E, String> spelling) {
        String s = text == null ? "" : text.trim();
        for (E value : type.getEnumConstants()) {
            if (spelling.apply(value).equalsIgnoreCase(s) || value.name().equalsIgnoreCase(s)) {
                return value;
            }
        }
        throw new ConfigurationException(option + " '" + text + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(spelling).collect(Collectors.joining(", ")));
    }

    /** The usual spelling of a constant: lower case, dashes for underscores ({@code VERIFY_FULL} is {@code verify-full}). */
    public static String lowerDashed(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
