#include "gk_test.h"
int main(void) { return GK_TEST_RESULT(); }
