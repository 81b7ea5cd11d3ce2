package com.acme;

public class UserService {
    public int count() {
        return 0;
    }

    public String export() {
        return "csv";
    }

    public void audit(String who) {
        System.out.println(who);
    }
}
