package dev.triage.provider.simulated;

import dev.triage.chat.Usage;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderContract;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.ProviderSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The simulated provider holds to the contract where it has an upstream's behaviour: its options stage each case. */
class SimulatedProviderContractTest extends ProviderContract {

    /**
     * Five words, as fast as possible: the simulated answer is a function of the prompt alone, its usage
     * o200k_base's count of the prompt (2 tokens and 7 of chat framing) and of the answer.
     */
    private static final Reply FIVE_WORDS = new Reply("without any network access while", Usage.reported(9, 5));

    private SimulatedProvider.Settings behaviour = new SimulatedProvider.Settings(Duration.ZERO, 5, 0, 0.0);

    @Override
    protected ProviderFactory factory() {
        return new SimulatedFactory();
    }

    @Override
    protected ProviderSettings settings() {
        return new ProviderSettings("sim", null, null, Map.of(), SimulatedFactory.options(behaviour));
    }

    @Override
    protected Reply upstreamAnswers() {
        return FIVE_WORDS;
    }

    @Override
    protected Reply upstreamStreams() {
        return FIVE_WORDS;
    }

    /** Nothing to stage: asked for the weather in Paris with a {@code location} to fill in, it calls the tool for Paris. */
    @Override
    protected void upstreamCallsTool(boolean streamed) {
    }

    /** The second choice starts further along the same words. */
    @Override
    protected List<String> upstreamAnswersTwoChoices() {
        return List.of(FIVE_WORDS.text(), "would be the model considered");
    }

    /** Only an overload: that is what {@code failure_rate} simulates. */
    @Override
    protected boolean upstreamRefuses(ErrorKind kind) {
        behaviour = new SimulatedProvider.Settings(Duration.ZERO, 5, 0, 1.0);
        return kind == ErrorKind.OVERLOADED;
    }

    /** A million words at 20 a second; there is no connection to release, so the hang-up is seen at once. */
    @Override
    protected EndlessStream upstreamStreamsEndlessly() {
        behaviour = new SimulatedProvider.Settings(Duration.ZERO, 1_000_000, 20, 0.0);
        return timeout -> true;
    }
}
