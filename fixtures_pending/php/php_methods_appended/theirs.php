<?php

class UserService
{
    public function count(): int
    {
        return 0;
    }

    public function audit(string $who): void
    {
        logger()->info($who);
    }
}
