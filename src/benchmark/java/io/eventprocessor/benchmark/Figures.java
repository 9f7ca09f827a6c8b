package io.eventprocessor.benchmark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Measured values of one figure, over several runs or requests: median, percentiles, max. */
final class Figures {

    private final List<Double> values;

    private Figures(List<Double> values) {
        this.values = values;
    }

    static Figures of(Collection<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new Figures(List.copyOf(sorted));
    }

    int count() {
        return values.size();
    }

    double median() {
        return percentile(50);
    }

    double max() {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }

    double min() {
        return values.isEmpty() ? Double.NaN : values.get(0);
    }

    /** Nearest-rank percentile, e.g. {@code percentile(99)}. */
    double percentile(double percent) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * values.size());
        return values.get(Math.min(values.size() - 1, Math.max(0, rank - 1)));
    }

    double sum() {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }
}
