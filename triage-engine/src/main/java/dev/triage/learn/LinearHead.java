package dev.triage.learn;

/**
 * A fitted linear model over standardised features: {@code bias + Σ weight·(x − mean)/scale}, passed
 * through the logistic function when {@code logistic} (a probability) or clamped to [0, 1] otherwise
 * (a predicted quality).
 */
record LinearHead(double[] mean, double[] scale, double[] weights, double bias, boolean logistic) {

    double apply(double[] x) {
        if (x.length != weights.length) {
            throw new IllegalArgumentException("expected " + weights.length + " features, got " + x.length);
        }
        double z = bias;
        for (int i = 0; i < x.length; i++) {
            z += weights[i] * (x[i] - mean[i]) / scale[i];
        }
        return logistic ? 1 / (1 + Math.exp(-z)) : Math.min(1, Math.max(0, z));
    }

    /** The raw linear value before the link (for ranking: clamping would tie items at the ends). */
    double linear(double[] x) {
        double z = bias;
        for (int i = 0; i < x.length; i++) {
            z += weights[i] * (x[i] - mean[i]) / scale[i];
        }
        return z;
    }

    /** Ridge regression (squared loss, L2 penalty {@code l2} on the standardised weights, none on the bias). */
    static LinearHead ridge(double[][] x, double[] y, double[] rowWeight, double l2) {
        return fit(x, y, rowWeight, l2, false);
    }

    /**
     * L2-penalised logistic regression by Newton's method (iteratively reweighted least squares);
     * {@code y} may be fractional (a soft label).
     */
    static LinearHead logistic(double[][] x, double[] y, double[] rowWeight, double l2) {
        return fit(x, y, rowWeight, l2, true);
    }

    private static LinearHead fit(double[][] x, double[] y, double[] rowWeight, double l2, boolean logistic) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("no rows to fit");
        }
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        double total = 0;
        for (int r = 0; r < n; r++) {
            total += rowWeight[r];
            for (int j = 0; j < d; j++) {
                mean[j] += rowWeight[r] * x[r][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= total;
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                double c = x[r][j] - mean[j];
                scale[j] += rowWeight[r] * c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(scale[j] / total);
            scale[j] = sd > 1e-12 ? sd : 1; // a constant feature gets weight 0 through the penalty
        }
        double[][] z = new double[n][d + 1];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                z[r][j] = (x[r][j] - mean[j]) / scale[j];
            }
            z[r][d] = 1;
        }
        double[] beta = new double[d + 1];
        int iterations = logistic ? 25 : 1;
        for (int it = 0; it < iterations; it++) {
            double[][] a = new double[d + 1][d + 1];
            double[] b = new double[d + 1];
            for (int r = 0; r < n; r++) {
                double w = rowWeight[r];
                double target = y[r];
                if (logistic) {
                    double p = 1 / (1 + Math.exp(-dot(beta, z[r])));
                    double curvature = Math.max(p * (1 - p), 1e-6);
                    // Newton step as weighted least squares on the working response
                    target = dot(beta, z[r]) + (y[r] - p) / curvature;
                    w *= curvature;
                }
                for (int i = 0; i <= d; i++) {
                    b[i] += w * z[r][i] * target;
                    for (int j = 0; j <= i; j++) {
                        a[i][j] += w * z[r][i] * z[r][j];
                    }
                }
            }
            for (int i = 0; i <= d; i++) {
                for (int j = 0; j < i; j++) {
                    a[j][i] = a[i][j];
                }
                if (i < d) {
                    a[i][i] += l2;
                }
            }
            double[] next = solve(a, b);
            double change = 0;
            for (int i = 0; i <= d; i++) {
                change = Math.max(change, Math.abs(next[i] - beta[i]));
            }
            beta = next;
            if (change < 1e-8) {
                break;
            }
        }
        double[] weights = java.util.Arrays.copyOf(beta, d);
        return new LinearHead(mean, scale, weights, beta[d], logistic);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Solves a x = b for symmetric positive definite a (Cholesky), with a little jitter if it is nearly singular. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    l[i][i] = Math.sqrt(Math.max(s, 1e-10));
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }
}
