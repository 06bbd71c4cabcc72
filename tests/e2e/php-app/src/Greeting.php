<?php

namespace App;

final class Greeting
{
    public static function line(): string
    {
        return 'PHPAPP-E2E-OK pqver libpq ' . \pqver_libpq_version() . ' php ' . PHP_VERSION;
    }
}
