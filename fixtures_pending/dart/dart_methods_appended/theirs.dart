class UserService {
  int count() => 0;

  void audit(String who) => print(who);
}
