object Users {
  def count: Int = 0
}
