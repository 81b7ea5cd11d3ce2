class UserService {
  int count() => 0;

  String export() => 'csv';
}
