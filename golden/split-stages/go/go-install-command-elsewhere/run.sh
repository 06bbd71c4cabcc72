#!/bin/sh
exec server
