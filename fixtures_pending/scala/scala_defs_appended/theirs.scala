object Users {
  def count: Int = 0

  def audit(who: String): Unit = println(who)
}
