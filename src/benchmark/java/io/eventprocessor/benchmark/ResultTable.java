package io.eventprocessor.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's figures: printed as an aligned table and written as Markdown
 * ({@code target/benchmark/results.md}) and CSV ({@code target/benchmark/results.csv}).
 */
final class ResultTable {

    /**
     * One figure.
     *
     * @param section what is measured, e.g. "pickup"
     * @param subject the case, e.g. "consumer protocol, uniform"
     * @param metric e.g. "seconds to first processed record"
     * @param runs how many runs or samples the figures come from
     * @param median median (or the single value)
     * @param max worst value
     * @param target the target, or empty
     * @param verdict "met", "missed", or empty when there is no target
     */
    record Row(
            String section,
            String subject,
            String metric,
            int runs,
            String median,
            String max,
            String target,
            String verdict) {}

    /** A latency figure in milliseconds: p50 / p99 in the median column, the slowest in the max column. */
    static Row latencyRow(String section, String subject, Figures millis, String target, String verdict) {
        return new Row(
                section,
                subject,
                "ms p50 / p99 (max in max column)",
                millis.count(),
                format(millis.median(), 1) + " / " + format(millis.percentile(99), 1),
                format(millis.max(), 1),
                target,
                verdict);
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
        System.out.println(
                "=== benchmark: " + row.section() + " | " + row.subject() + " | " + row.metric() + " | median "
                        + row.median() + " | max " + row.max()
                        + (row.target().isEmpty() ? "" : " | target " + row.target() + " " + row.verdict()));
    }

    synchronized void note(String note) {
        notes.add(note);
        System.out.println("=== benchmark note: " + note);
    }

    /** A correctness failure (records lost, at-least-once broken): the benchmark fails after publishing. */
    synchronized void problem(String problem) {
        problems.add(problem);
        note("PROBLEM: " + problem);
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    static String format(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** Prints the whole table, then writes it to the two files under {@code directory}. */
    synchronized void publish(String heading, Path directory) {
        List<String> header =
                List.of("section", "case", "metric", "runs or samples", "median", "max", "target", "verdict");
        List<List<String>> cells = new ArrayList<>();
        for (Row row : rows) {
            cells.add(List.of(
                    row.section(),
                    row.subject(),
                    row.metric(),
                    String.valueOf(row.runs()),
                    row.median(),
                    row.max(),
                    row.target(),
                    row.verdict()));
        }
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> line : cells) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text =
                new StringBuilder("\n=== benchmark results: ").append(heading).append('\n');
        text.append(line(header, widths)).append('\n');
        for (List<String> line : cells) {
            text.append(line(line, widths)).append('\n');
        }
        notes.forEach(note -> text.append("  * ").append(note).append('\n'));
        System.out.println(text);

        StringBuilder markdown =
                new StringBuilder("Machine and run: ").append(heading).append("\n\n");
        markdown.append("| ").append(String.join(" | ", header)).append(" |\n");
        markdown.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> line : cells) {
            markdown.append("| ").append(String.join(" | ", line)).append(" |\n");
        }
        markdown.append('\n');
        notes.forEach(note -> markdown.append("- ").append(note).append('\n'));
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> line : cells) {
            csv.append(String.join(",", line.stream().map(ResultTable::csvCell).toList()))
                    .append('\n');
        }
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("results.md"), markdown);
            Files.writeString(directory.resolve("results.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("=== benchmark: written to " + directory.resolve("results.md") + " and results.csv");
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(
                    i == 3 || i == 4 || i == 5
                            ? " ".repeat(widths[i] - cell.length()) + cell
                            : cell + " ".repeat(widths[i] - cell.length()));
            line.append(i == cells.size() - 1 ? "" : "  ");
        }
        return line.toString().stripTrailing();
    }

    private static String csvCell(String cell) {
        return cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }
}
