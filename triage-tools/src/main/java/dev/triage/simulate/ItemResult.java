package dev.triage.simulate;

import dev.triage.chat.Money;
import java.util.List;

/**
 * One dataset item under one strategy.
 *
 * @param id         the item's id
 * @param calls      the models called, in order
 * @param finalModel the model whose answer was returned
 * @param cost       what the calls cost at the dataset's prices
 * @param quality    the recorded score of the final model's answer
 */
public record ItemResult(String id, List<String> calls, String finalModel, Money cost, double quality) {
}
