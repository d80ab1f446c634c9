import GatewayStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Timestamps")
struct TimestampTests {
    @Test(arguments: [
        (Int64(1_795_514_400_000), "2026-11-24T10:00:00.000Z"),
        (1_795_514_400_123, "2026-11-24T10:00:00.123Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_007, "2000-02-29T00:00:00.007Z"),
    ])
    func formatsUTCWithMilliseconds(milliseconds: Int64, expected: String) {
        #expect(UTCTimestamp.format(epochMilliseconds: milliseconds) == expected)
    }

    /// The arithmetic against libc's `gmtime_r`, one instant in every day from 1900 to 2400
    /// (leap years, centuries, and the 400-year rule included).
    @Test func agreesWithGmtimeOnEveryDayOfFiveCenturies() {
        var mismatches: [String] = []
        for day in Int64(-25_567)...Int64(157_066) {
            let milliseconds = day * 86_400_000 + 45_296_789  // 12:34:56.789 that day
            var time = time_t(milliseconds / 1000)
            var parts = tm()
            _ = gmtime_r(&time, &parts)
            let expected =
                "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T12:34:56.789Z"
            let formatted = UTCTimestamp.format(epochMilliseconds: milliseconds)
            if formatted != expected, mismatches.count < 5 { mismatches.append("\(formatted) != \(expected)") }
        }
        #expect(mismatches.isEmpty)
    }

    private func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }

    @Test func nowHasTheSpecShape() {
        let now = Array(UTCTimestamp.now().utf8)
        #expect(now.count == 24)
        #expect(now[10] == UInt8(ascii: "T") && now[19] == UInt8(ascii: ".") && now[23] == UInt8(ascii: "Z"))
        #expect(UTCTimestamp.now() >= "2025-01-01T00:00:00.000Z")
    }
}
