import GatewayStore

/// SPEC 7.6: how soon the soonest active license expires, and a warning once a day while that is
/// inside `license.expiryWarningDays`, so a key does not run out unnoticed after 90 days.
///
/// A value type fed the time by its owner (the daemon's watch loop, or a test), so the daily
/// rhythm is tested without waiting for days.
package struct LicenseExpiryWatch: Sendable {
    package static let millisecondsPerDay: Int64 = 86_400_000

    package let warningDays: Int
    private var lastWarnedDay: Int64?

    package init(warningDays: Int) {
        self.warningDays = warningDays
    }

    /// Whole days left, rounded up: a key issued for 90 days shows 90; an expired one 0 or less.
    package static func days(until expiresAt: Int64, now: Int64) -> Int {
        let left = expiresAt - now
        return Int(left > 0 ? (left + millisecondsPerDay - 1) / millisecondsPerDay : left / millisecondsPerDay)
    }

    /// True when `soonest` is inside the window and no warning was given yet this UTC day.
    package mutating func shouldWarn(soonest: LicenseExpiry?, now: Int64) -> Bool {
        guard let soonest, Self.days(until: soonest.expiresAtMilliseconds, now: now) <= warningDays else {
            return false
        }
        let today = now / Self.millisecondsPerDay
        guard lastWarnedDay != today else { return false }
        lastWarnedDay = today
        return true
    }
}

/// The active license that expires first: whose it is and when (never its key).
package struct LicenseExpiry: Sendable, Equatable {
    package var mispId: String
    package var expiresAt: String
    package var expiresAtMilliseconds: Int64

    package init(mispId: String, expiresAt: String, expiresAtMilliseconds: Int64) {
        self.mispId = mispId
        self.expiresAt = expiresAt
        self.expiresAtMilliseconds = expiresAtMilliseconds
    }
}

extension ReadConnection {
    /// One row per MISP partner, so this reads a handful of rows however long the daemon runs.
    package func soonestActiveLicense() throws(StoreError) -> LicenseExpiry? {
        guard
            let row = try queryFirst(
                """
                SELECT misp_id, expires_at, expires_at_ms FROM licenses WHERE status = 'active'
                ORDER BY expires_at_ms LIMIT 1
                """)
        else { return nil }
        return LicenseExpiry(
            mispId: try row.string(0), expiresAt: try row.string(1), expiresAtMilliseconds: Int64(try row.int(2)))
    }
}
