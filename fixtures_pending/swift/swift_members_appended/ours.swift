struct UserController {
    func index() -> [String] { [] }

    func export() -> String { "csv" }
}
