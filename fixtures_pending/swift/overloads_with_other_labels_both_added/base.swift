struct Loader {
    func load(id: Int) -> User? { nil }
}
