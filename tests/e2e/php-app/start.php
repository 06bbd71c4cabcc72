<?php

require __DIR__ . '/vendor/autoload.php';

echo App\Greeting::line(), "\n";
