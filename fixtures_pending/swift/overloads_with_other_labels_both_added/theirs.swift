struct Loader {
    func load(id: Int) -> User? { nil }

    func load(email: String) -> User? { nil }
}
