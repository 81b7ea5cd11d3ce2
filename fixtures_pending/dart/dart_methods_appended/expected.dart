class UserService {
  int count() => 0;

  String export() => 'csv';

  void audit(String who) => print(who);
}
