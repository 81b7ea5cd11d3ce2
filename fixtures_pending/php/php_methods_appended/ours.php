<?php

class UserService
{
    public function count(): int
    {
        return 0;
    }

    public function export(): string
    {
        return 'csv';
    }
}
