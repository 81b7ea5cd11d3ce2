package com.acme;

public class UserService {
    public int count() {
        return 0;
    }

    public String export() {
        return "csv";
    }
}
