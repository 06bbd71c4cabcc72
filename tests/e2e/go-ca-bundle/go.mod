module example.com/tlscheck

go 1.19
