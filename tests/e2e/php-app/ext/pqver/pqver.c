/* libpq's version, from a PHP extension (slimfile e2e): stands for pdo_pgsql & co. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "php.h"
#include <libpq-fe.h>

PHP_FUNCTION(pqver_libpq_version)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(PQlibVersion());
}

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_pqver_libpq_version, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

static const zend_function_entry pqver_functions[] = {
    PHP_FE(pqver_libpq_version, arginfo_pqver_libpq_version)
    PHP_FE_END
};

zend_module_entry pqver_module_entry = {
    STANDARD_MODULE_HEADER, "pqver", pqver_functions,
    NULL, NULL, NULL, NULL, NULL, "0.1", STANDARD_MODULE_PROPERTIES
};

#ifdef COMPILE_DL_PQVER
ZEND_GET_MODULE(pqver)
#endif
