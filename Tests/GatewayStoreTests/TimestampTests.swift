import GatewayStore
import Testing

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

    @Test func nowHasTheSpecShape() {
        let now = Array(UTCTimestamp.now().utf8)
        #expect(now.count == 24)
        #expect(now[10] == UInt8(ascii: "T") && now[19] == UInt8(ascii: ".") && now[23] == UInt8(ascii: "Z"))
        #expect(UTCTimestamp.now() >= "2025-01-01T00:00:00.000Z")
    }
}
