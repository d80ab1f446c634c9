import GatewayStore
import Testing

@testable import GatewayServices

/// SPEC 7.6: days left rounded up, and one warning per UTC day inside the window (the clock is
/// the caller's, so days pass without waiting).
@Suite struct LicenseExpiryTests {
    static let day = LicenseExpiryWatch.millisecondsPerDay
    static let start: Int64 = 1_780_000_000_000

    @Test func daysLeftRoundUp() {
        #expect(LicenseExpiryWatch.days(until: Self.start + 90 * Self.day, now: Self.start + 5) == 90)
        #expect(LicenseExpiryWatch.days(until: Self.start + 1, now: Self.start) == 1)
        #expect(LicenseExpiryWatch.days(until: Self.start, now: Self.start) == 0)
        #expect(LicenseExpiryWatch.days(until: Self.start, now: Self.start + 3 * Self.day) == -3)
    }

    @Test func aWarningOnceADayWhileInsideTheWindow() {
        var watch = LicenseExpiryWatch(warningDays: 14)
        let expiry = LicenseExpiry(mispId: "esignet", expiresAt: "x", expiresAtMilliseconds: Self.start + 20 * Self.day)
        func warns(_ now: Int64, none: Bool = false) -> Bool {
            watch.shouldWarn(soonest: none ? nil : expiry, now: now)
        }
        // Twenty days left: outside the window, hour after hour.
        for hour in 0..<24 {
            #expect(!warns(Self.start + Int64(hour) * 3_600_000))
        }
        // A week later: inside. One warning, then quiet for the rest of that day.
        let inside = Self.start + 7 * Self.day
        let dayStart = inside - inside % Self.day
        #expect(warns(dayStart))
        for hour in 1..<24 { #expect(!warns(dayStart + Int64(hour) * 3_600_000)) }
        // The next day, and the day after it expired: again once each.
        #expect(warns(dayStart + Self.day))
        #expect(!warns(dayStart + Self.day + 60_000))
        #expect(warns(Self.start + 21 * Self.day))
        // No active license: nothing to warn about.
        #expect(!warns(Self.start + 30 * Self.day, none: true))
    }
}
