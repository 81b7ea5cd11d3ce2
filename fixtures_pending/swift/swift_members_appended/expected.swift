struct UserController {
    func index() -> [String] { [] }

    func export() -> String { "csv" }

    func audit(_ who: String) { print(who) }
}
