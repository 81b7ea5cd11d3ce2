#include "users.hpp"

int count_users() { return 0; }

void audit(const std::string& who) { log(who); }
