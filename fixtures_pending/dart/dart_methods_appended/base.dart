class UserService {
  int count() => 0;
}
