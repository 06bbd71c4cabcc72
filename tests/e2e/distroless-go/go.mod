module example.com/zonecheck

go 1.19
