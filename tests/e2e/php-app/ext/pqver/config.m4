PHP_ARG_ENABLE([pqver], [whether to enable pqver], [AS_HELP_STRING([--enable-pqver], [Enable pqver])], [yes])

if test "$PHP_PQVER" != "no"; then
  PHP_ADD_INCLUDE(/usr/include/postgresql)
  PHP_ADD_LIBRARY(pq, 1, PQVER_SHARED_LIBADD)
  PHP_SUBST(PQVER_SHARED_LIBADD)
  PHP_NEW_EXTENSION(pqver, pqver.c, $ext_shared)
fi
