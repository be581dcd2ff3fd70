package dev.triage.cli;

import dev.triage.learn.TrainingSettings;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --neighbours} and {@code --l2} options of {@code triage train} and {@code triage simulate}: the learned
 * model's hyper-parameters, {@link TrainingSettings#DEFAULT}'s unless given. Bad values are refused while parsing.
 */
final class TrainingSettingsOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--neighbours", paramLabel = "K", converter = AtLeastOne.class,
            description = "how many recorded prompts vote on a new one (default: ${DEFAULT-VALUE})")
    int neighbours = TrainingSettings.DEFAULT.neighbours();

    @Option(names = "--l2", paramLabel = "X", converter = NotNegative.class,
            description = "the ridge and logistic penalty on standardised weights (default: ${DEFAULT-VALUE})")
    double l2 = TrainingSettings.DEFAULT.l2();

    TrainingSettings settings() {
        return new TrainingSettings(neighbours, l2, TrainingSettings.DEFAULT.minAnswers());
    }

    /** Whether the command line names either option. */
    boolean given() {
        var parsed = command.commandLine().getParseResult();
        return parsed.hasMatchedOption("--neighbours") || parsed.hasMatchedOption("--l2");
    }

    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return checked(value, Integer::parseInt, k -> k >= 1, "a whole number of at least 1");
        }
    }

    static final class NotNegative implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, Double::parseDouble, x -> x >= 0 && !Double.isInfinite(x), "a finite number of at least 0");
        }
    }

    /** {@code value} parsed and accepted, else refused as not being {@code what}: quoted when it is not a number at all. */
    private static <T> T checked(String value, Function<String, T> parse, Predicate<T> accept, String what) {
        T parsed;
        try {
            parsed = parse.apply(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("expected " + what + ", got '" + value + "'");
        }
        if (!accept.test(parsed)) {
            throw new TypeConversionException("expected " + what + ", got " + value);
        }
        return parsed;
    }
}
