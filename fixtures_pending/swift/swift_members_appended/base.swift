struct UserController {
    func index() -> [String] { [] }
}
