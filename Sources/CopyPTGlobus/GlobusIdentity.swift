/// A Globus identity as Globus Auth's userinfo names it (OpenID Connect claims).
public struct GlobusIdentity: Sendable, Equatable, Decodable {
    /// The identity id (`sub`), a UUID.
    public var id: String
    /// The username (`preferred_username`), e.g. `alice@uni.edu`.
    public var username: String?
    /// The display name (`name`), when shared.
    public var name: String?
    /// The e-mail address (`email`), when shared.
    public var email: String?

    /// An identity from its parts.
    public init(id: String, username: String? = nil, name: String? = nil, email: String? = nil) {
        self.id = id
        self.username = username
        self.name = name
        self.email = email
    }

    enum CodingKeys: String, CodingKey {
        case id = "sub"
        case username = "preferred_username"
        case name, email
    }
}
