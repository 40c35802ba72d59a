/* A minimal test harness: each test file is one executable whose main()
 * calls GK_RUN(test_fn) for each test and returns GK_TEST_RESULT(). A
 * failed check prints file:line and the expression, and the test goes on
 * so that one run shows every failure. */
#ifndef GK_TEST_H
#define GK_TEST_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The whole file at path, malloc'd and NUL-terminated, its size in *len;
 * NULL when it cannot be read. */
static inline char *gk_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	long n = -1;
	if (!fseek(f, 0, SEEK_END))
		n = ftell(f);
	if (n >= 0 && !fseek(f, 0, SEEK_SET))
		buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

/* Removes a directory tree (symbolic links are removed, not followed);
 * what cannot be removed is left. */
static inline void gk_test_rm_tree(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb))
		return;
	if (S_ISDIR(sb.st_mode)) {
		chmod(path, 0700);
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *child = malloc(n);
			if (!child)
				continue;
			snprintf(child, n, "%s/%s", path, e->d_name);
			gk_test_rm_tree(child);
			free(child);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

#endif
