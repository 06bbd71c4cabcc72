import rediswq
