import Foundation

extension Duration {
    /// The duration in seconds, fractions included, to compare with `Date` differences.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
