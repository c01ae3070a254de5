/// One entry of a task's event list (`GET task/{id}/event_list`, docs.globus.org/api/transfer/task,
/// "Event document"): what happened to the task and when, newest first.
public struct GlobusTaskEvent: Sendable, Equatable, Decodable {
    /// `code`, e.g. `PERMISSION_DENIED`, `CONNECTION_FAILED`, `STARTED`.
    public var code: String
    /// `is_error`: the event is a fault.
    public var isError: Bool
    /// `description`: short human text.
    public var description: String?
    /// `details`: longer text, often the endpoint's own message over several lines.
    public var details: String?
    /// `time`, ISO 8601.
    public var time: String?

    /// An event (tests, fakes).
    public init(code: String, isError: Bool, description: String? = nil, details: String? = nil, time: String? = nil) {
        self.code = code
        self.isError = isError
        self.description = description
        self.details = details
        self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case code
        case isError = "is_error"
        case description, details, time
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        isError = try c.decodeIfPresent(Bool.self, forKey: .isError) ?? false
        description = try c.decodeIfPresent(String.self, forKey: .description)
        details = try c.decodeIfPresent(String.self, forKey: .details)
        time = try c.decodeIfPresent(String.self, forKey: .time)
    }

    /// `CODE: description (details)`, the parts Globus gave.
    public var summary: String {
        var text = code
        if let description, !description.isEmpty { text += ": " + description }
        if let details, !details.isEmpty, details != description { text += " (" + details + ")" }
        return text
    }
}

/// One page of `GET task/{id}/event_list`.
struct GlobusTaskEventPage: Decodable {
    var events: [GlobusTaskEvent]

    enum CodingKeys: String, CodingKey {
        case events = "DATA"
    }
}
