package com.acme;

public class UserService {
    public int count() {
        return 0;
    }

    public void audit(String who) {
        System.out.println(who);
    }
}
