<?php

class UserService
{
    public function count(): int
    {
        return 0;
    }
}
