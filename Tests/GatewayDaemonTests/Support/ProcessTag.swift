import Testing

extension Tag {
    /// A suite that starts real `pms-gatewayd` processes: every suite of this target.
    @Tag static var process: Self
}
