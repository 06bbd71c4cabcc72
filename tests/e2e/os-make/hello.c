#include <stdio.h>

int main(void) {
    puts("OS-E2E-OK");
    return 0;
}
