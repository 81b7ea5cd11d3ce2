struct UserController {
    func index() -> [String] { [] }

    func audit(_ who: String) { print(who) }
}
