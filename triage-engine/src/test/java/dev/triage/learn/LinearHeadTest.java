package dev.triage.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearHeadTest {

    private static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return w;
    }

    @Test
    void ridgeWithoutPenaltyRecoversALinearRelation() {
        Random r = new Random(1);
        double[][] x = new double[200][];
        double[] y = new double[200];
        for (int i = 0; i < 200; i++) {
            x[i] = new double[] {r.nextDouble(), r.nextDouble() * 10, 5};
            y[i] = 0.1 + 0.3 * x[i][0] + 0.02 * x[i][1];
        }
        LinearHead h = LinearHead.ridge(x, y, ones(200), 0);
        assertThat(h.linear(new double[] {0.5, 5, 5})).isCloseTo(0.1 + 0.15 + 0.1, within(1e-9));
        // the constant third feature carries no information and gets no weight
        assertThat(h.weights()[2]).isCloseTo(0, within(1e-9));
    }

    @Test
    void thePenaltyShrinksWeights() {
        Random r = new Random(2);
        double[][] x = new double[50][];
        double[] y = new double[50];
        for (int i = 0; i < 50; i++) {
            x[i] = new double[] {r.nextGaussian()};
            y[i] = x[i][0];
        }
        double free = LinearHead.ridge(x, y, ones(50), 0).weights()[0];
        double penalised = LinearHead.ridge(x, y, ones(50), 50).weights()[0];
        assertThat(Math.abs(penalised)).isLessThan(Math.abs(free) * 0.6);
    }

    @Test
    void logisticRegressionLearnsAProbability() {
        Random r = new Random(3);
        int n = 2000;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double v = r.nextGaussian();
            x[i] = new double[] {v};
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(2 * v - 1))) ? 1 : 0;
        }
        LinearHead h = LinearHead.logistic(x, y, ones(n), 0.01);
        assertThat(h.apply(new double[] {0.5})).isCloseTo(0.5, within(0.06));
        assertThat(h.apply(new double[] {2})).isCloseTo(1 / (1 + Math.exp(-3)), within(0.06));
        assertThat(h.apply(new double[] {-2})).isLessThan(0.05);
    }

    @Test
    void separableDataStaysFiniteThanksToThePenalty() {
        double[][] x = {{-1}, {-0.5}, {0.5}, {1}};
        double[] y = {0, 0, 1, 1};
        LinearHead h = LinearHead.logistic(x, y, ones(4), 1);
        assertThat(h.weights()[0]).isFinite().isPositive();
        assertThat(h.apply(new double[] {1})).isBetween(0.5, 1.0);
    }
}
