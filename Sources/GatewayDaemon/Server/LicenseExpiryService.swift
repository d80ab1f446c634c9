import GatewayServices
import GatewayStore
import Logging
import ServiceLifecycle

/// Logs a warning once a day while the soonest active license is inside
/// `license.expiryWarningDays` (SPEC 7.6). Looks every hour, so a key generated or expiring
/// meanwhile is noticed the same day; the day rule lives in ``LicenseExpiryWatch``.
struct LicenseExpiryService: Service {
    let store: Store
    let warningDays: Int
    let logger: Logger
    static let interval = Duration.seconds(3600)

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [store, warningDays, logger] in
                var watch = LicenseExpiryWatch(warningDays: warningDays)
                while true {
                    let now = UTCTimestamp.nowMilliseconds()
                    if let soonest = try? store.read({ connection in try connection.soonestActiveLicense() }),
                        watch.shouldWarn(soonest: soonest, now: now)
                    {
                        logger.warning(
                            "MISP license key expires soon; generate or renew it and export it to eSignet",
                            metadata: [
                                "mispId": "\(soonest.mispId)", "expiresAt": "\(soonest.expiresAt)",
                                "daysLeft":
                                    "\(LicenseExpiryWatch.days(until: soonest.expiresAtMilliseconds, now: now))",
                            ])
                    }
                    try await Task.sleep(for: Self.interval)
                }
            }
        } catch is CancellationError {
            // Shutdown: nothing to finish.
        }
    }
}
