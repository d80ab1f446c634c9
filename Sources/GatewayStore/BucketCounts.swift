/// Counts of values at or below each bound (not cumulative), the rest above the last, and their
/// sum: what a Prometheus histogram is rendered from. Kept by the writer inside the statistics it
/// already updates at each commit, and read when metrics are rendered, so measuring costs the
/// writer no extra lock or call.
package struct BucketCounts: Sendable, Equatable {
    /// 100 µs to 10 s, in nanoseconds: the buckets of every duration histogram the daemon shows.
    package static let latencyBoundsNanoseconds: [Int64] = [
        100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000, 10_000_000_000,
    ]

    package let bounds: [Int64]
    /// `bounds.count + 1` counts; the last is above every bound.
    package private(set) var counts: [Int]
    package private(set) var sum: Int64 = 0

    package init(bounds: [Int64]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count + 1)
    }

    package var count: Int { counts.reduce(0, +) }

    package mutating func record(_ value: Int64) {
        counts[bounds.firstIndex { value <= $0 } ?? bounds.count] += 1
        sum += value
    }

    package mutating func add(_ other: BucketCounts) {
        for index in counts.indices { counts[index] += other.counts[index] }
        sum += other.sum
    }
}

extension Duration {
    /// Whole nanoseconds, as the duration histograms count them (and swift-metrics' timers take
    /// them).
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
