/* A minimal test harness: each test file is one executable whose main()
 * calls GK_RUN(test_fn) for each test and returns GK_TEST_RESULT(). A
 * failed check prints file:line and the expression, and the test goes on
 * so that one run shows every failure. */
#ifndef GK_TEST_H
#define GK_TEST_H

#include <stdio.h>
#include <string.h>

static int gk_test__failures;
static int gk_test__checks;

#define GK_CHECK(cond)                                                         \
	do {                                                                   \
		gk_test__checks++;                                             \
		if (!(cond)) {                                                 \
			gk_test__failures++;                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			        __LINE__, #cond);                              \
		}                                                              \
	} while (0)

#define GK_CHECK_MSG(cond, ...)                                                \
	do {                                                                   \
		gk_test__checks++;                                             \
		if (!(cond)) {                                                 \
			gk_test__failures++;                                   \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
			        __LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
		}                                                              \
	} while (0)

#define GK_CHECK_STR(a, b)                                                     \
	GK_CHECK_MSG(strcmp((a), (b)) == 0, "'%s' != '%s'", (a), (b))

#define GK_CHECK_INT(a, b)                                                     \
	GK_CHECK_MSG((long long)(a) == (long long)(b), "%lld != %lld",         \
	             (long long)(a), (long long)(b))

#define GK_RUN(fn)                                                             \
	do {                                                                   \
		int before_ = gk_test__failures;                               \
		fn();                                                          \
		fprintf(stderr, "%s %s\n",                                     \
		        gk_test__failures == before_ ? "ok  " : "FAIL", #fn);  \
	} while (0)

#define GK_TEST_RESULT()                                                       \
	(fprintf(stderr, "%d checks, %d failed\n", gk_test__checks,            \
	         gk_test__failures),                                           \
	 gk_test__failures ? 1 : 0)

#endif
