/// `POST /login`'s answer.
struct LoginView: Encodable {
    var csrfToken: String
    var scope: String
}
