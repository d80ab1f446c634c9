import GatewayStore
import Prometheus

/// Histograms the registry cannot take (counted per thread, or by the writer) in the exposition
/// format, written as swift-prometheus writes its own: cumulative buckets, `le` and sums in its
/// number form.
enum HistogramText {
    /// `series`: each one's labels, already rendered (`method="client.get"`), or empty.
    static func emit(
        _ family: String, seconds: Bool, _ series: [(labels: String, histogram: BucketCounts)], into text: inout String
    ) {
        func number(_ value: Int64) -> String {
            seconds ? Duration.nanoseconds(value).bucketRepresentation : String(value)
        }
        text += "# TYPE \(family) histogram\n"
        for (labels, histogram) in series {
            let prefix = labels.isEmpty ? "" : labels + ","
            var cumulative = 0
            for (bound, count) in zip(histogram.bounds, histogram.counts) {
                cumulative += count
                text += "\(family)_bucket{\(prefix)le=\"\(number(bound))\"} \(cumulative)\n"
            }
            text += "\(family)_bucket{\(prefix)le=\"+Inf\"} \(histogram.count)\n"
            let braces = labels.isEmpty ? "" : "{\(labels)}"
            text += "\(family)_sum\(braces) \(number(histogram.sum))\n"
            text += "\(family)_count\(braces) \(histogram.count)\n"
        }
    }
}
