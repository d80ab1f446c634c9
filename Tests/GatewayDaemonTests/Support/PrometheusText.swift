import GatewayTestSupport

/// A strict reader of Prometheus' text exposition format 0.0.4, for checking what the daemon
/// writes. Anything the format does not allow is an error: a sample without a `# TYPE` before
/// it, a family typed twice, a bad name, label or value, a duplicate series, a histogram whose
/// buckets do not add up.
struct PrometheusText {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Family name → type (`counter`, `gauge`, `histogram`, `summary`, `untyped`).
    private(set) var types: [String: String] = [:]
    private(set) var samples: [Sample] = []

    init(_ text: String) throws {
        var seen = Set<String>()
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            let failure = { (why: String) in TestFailure("line \(number + 1) (\(line.prefix(80))): \(why)") }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard words.count >= 3, words[0] == "#" else { continue }  // a comment
                if words[1] == "TYPE" {
                    guard words.count == 4, Self.isMetricName(words[2]) else { throw failure("malformed TYPE") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(words[3]) else {
                        throw failure("unknown type")
                    }
                    guard types[words[2]] == nil else { throw failure("family typed twice") }
                    types[words[2]] = words[3]
                }
                continue
            }
            let sample = try Self.sample(line, failure: failure)
            guard family(of: sample.name) != nil else { throw failure("sample before its family's TYPE") }
            let identity =
                sample.name + "|"
                + sample.labels.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(
                    separator: ",")
            guard seen.insert(identity).inserted else { throw failure("duplicate series") }
            samples.append(sample)
        }
        try checkHistograms()
    }

    /// The family a sample belongs to: its own name, or a histogram's `_bucket`/`_sum`/`_count`.
    func family(of name: String) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let type = types[base], type == "histogram" || type == "summary" { return base }
        }
        return nil
    }

    /// The value of the one sample with exactly these labels, if any.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    func samples(named name: String) -> [Sample] { samples.filter { $0.name == name } }

    private static func sample(_ line: String, failure: (String) -> TestFailure) throws -> Sample {
        var rest = Substring(line)
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        guard isMetricName(name) else { throw failure("bad metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = String(rest.prefix { $0 != "=" })
                guard isLabelName(label), !label.hasPrefix("__") else { throw failure("bad label name") }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw failure("label without a quoted value") }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let character = rest.first else { throw failure("unterminated label value") }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        guard let escaped = rest.first, "\\\"n".contains(escaped) else { throw failure("bad escape") }
                        value.append(escaped == "n" ? "\n" : escaped)
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                guard labels.updateValue(value, forKey: label) == nil else { throw failure("label given twice") }
                if rest.first == "," {
                    rest = rest.dropFirst()
                } else if rest.first != "}" {
                    throw failure("labels not separated by commas")
                }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw failure("no space before the value") }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), let value = parseValue(String(fields[0])) else {
            throw failure("bad value")
        }
        if fields.count == 2, Int64(fields[1]) == nil { throw failure("bad timestamp") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func parseValue(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
    }

    /// Every histogram series: buckets cumulative in `le` order, ending at `+Inf` with the count.
    private func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            let buckets = samples(named: family + "_bucket")
            var series: [[String: String]: [(Double, Double)]] = [:]
            for bucket in buckets {
                guard let le = bucket.labels["le"], let bound = Self.parseValue(le) else {
                    throw TestFailure("\(family)_bucket without a valid le label")
                }
                series[bucket.labels.filter { $0.key != "le" }, default: []].append((bound, bucket.value))
            }
            for (labels, bounds) in series {
                let sorted = bounds.sorted { $0.0 < $1.0 }
                guard sorted.last?.0 == .infinity else { throw TestFailure("\(family)\(labels) has no +Inf bucket") }
                guard zip(sorted, sorted.dropFirst()).allSatisfy({ $0.1 <= $1.1 }) else {
                    throw TestFailure("\(family)\(labels) buckets are not cumulative")
                }
                guard value(family + "_count", labels) == sorted.last?.1, value(family + "_sum", labels) != nil else {
                    throw TestFailure("\(family)\(labels) count or sum missing or not the +Inf bucket")
                }
            }
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
