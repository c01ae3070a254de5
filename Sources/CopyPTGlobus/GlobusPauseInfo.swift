/// Why a task is paused (`GET task/{id}/pause_info`, docs.globus.org/api/transfer/task,
/// "Get task pause info"): the pause rules that apply and the messages activity managers left.
public struct GlobusPauseInfo: Sendable, Equatable, Decodable {
    /// One pause rule that applies to the task (`pause_rule_limited`).
    public struct Rule: Sendable, Equatable, Decodable {
        /// `message`: what the endpoint's activity manager wrote.
        public var message: String?
        /// `endpoint_display_name`: the collection the rule is on.
        public var endpointDisplayName: String?

        /// A rule (tests, fakes).
        public init(message: String? = nil, endpointDisplayName: String? = nil) {
            self.message = message
            self.endpointDisplayName = endpointDisplayName
        }

        enum CodingKeys: String, CodingKey {
            case message
            case endpointDisplayName = "endpoint_display_name"
        }
    }

    /// `pause_rules`.
    public var rules: [Rule]
    /// `source_pause_message`: set when an activity manager of the source paused the task.
    public var sourcePauseMessage: String?
    /// `destination_pause_message`: likewise for the destination.
    public var destinationPauseMessage: String?

    /// Pause info (tests, fakes).
    public init(rules: [Rule] = [], sourcePauseMessage: String? = nil, destinationPauseMessage: String? = nil) {
        self.rules = rules
        self.sourcePauseMessage = sourcePauseMessage
        self.destinationPauseMessage = destinationPauseMessage
    }

    enum CodingKeys: String, CodingKey {
        case rules = "pause_rules"
        case sourcePauseMessage = "source_pause_message"
        case destinationPauseMessage = "destination_pause_message"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decodeIfPresent([Rule].self, forKey: .rules) ?? []
        sourcePauseMessage = try c.decodeIfPresent(String.self, forKey: .sourcePauseMessage)
        destinationPauseMessage = try c.decodeIfPresent(String.self, forKey: .destinationPauseMessage)
    }

    /// Who paused the task and why, in one line, or `nil` when Globus says nothing.
    public var summary: String? {
        var parts: [String] = []
        if let message = sourcePauseMessage, !message.isEmpty { parts.append("source: " + message) }
        if let message = destinationPauseMessage, !message.isEmpty { parts.append("destination: " + message) }
        for rule in rules {
            let message = rule.message.flatMap { $0.isEmpty ? nil : $0 } ?? "a pause rule"
            parts.append(rule.endpointDisplayName.map { "\($0): \(message)" } ?? message)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
