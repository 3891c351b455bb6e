/*
 * libcurl, loaded the first time it is used.
 *
 * Why by hand: libcurl and the 16 libraries only it brings (Kerberos,
 * LDAP, RTMP, SSH, HTTP/2, IDN, PSL, brotli, ...) cost every start of
 * every vger command about 12 ms of dynamic linking (a program linked
 * with vger's libraries starts in 15 ms without libcurl, 27 ms with
 * it), as much as `vger am` spends on a whole series, yet only the
 * commands that fetch or send use it.  ELF has no delayed loading, so
 * here are libcurl's own entry points, those vger calls, under their
 * own names: each loads libcurl with dlopen() on the first call and
 * calls the real one.  vger is not linked with -lcurl, so the names
 * are free; the declarations, types, constants and the compiler's
 * checks of curl_easy_setopt() arguments still come from libcurl's
 * <curl/curl.h>.
 *
 * When libcurl cannot be loaded, the calls fail as libcurl's do when it
 * cannot start (NULL handles, CURLE_FAILED_INIT) and util_curl_error()
 * says why.
 */
#define CURL_DISABLE_TYPECHECK	/* the definitions below, not calls */
#include "util/curl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>

#include "config.h"

#ifndef CURL_SONAME
#define CURL_SONAME "libcurl.so.4"
#endif

static struct {
	void *handle;
	char why[256];
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode (*easy_perform)(CURL *);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free_fn)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *,
					    const char *);
	void (*slist_free_all)(struct curl_slist *);
	char *(*version)(void);
} lib;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *sym(const char *name)
{
	void *p = dlsym(lib.handle, name);

	if (!p && !lib.why[0])
		snprintf(lib.why, sizeof(lib.why), "%s has no %s",
			 CURL_SONAME, name);
	return p;
}

/*
 * The pointer of each function, from one loading.  The casts from
 * dlsym()'s void * are the documented way to get a function (POSIX
 * dlsym).
 */
#define LOAD(field, name) \
	(*(void **)&lib.field = sym(name))

static void load(void)
{
	const char *e;

	lib.handle = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib.handle) {
		e = dlerror();
		snprintf(lib.why, sizeof(lib.why), "cannot load libcurl: %s",
			 e ? e : CURL_SONAME);
		return;
	}
	LOAD(global_init, "curl_global_init");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(easy_escape, "curl_easy_escape");
	LOAD(free_fn, "curl_free");
	LOAD(slist_append, "curl_slist_append");
	LOAD(slist_free_all, "curl_slist_free_all");
	LOAD(version, "curl_version");
	if (lib.why[0]) {
		dlclose(lib.handle);
		lib.handle = NULL;
	}
}

/* Loaded, or why not in util_curl_error(). */
static int loaded(void)
{
	pthread_once(&once, load);
	return lib.handle != NULL;
}

const char *util_curl_error(void)
{
	return loaded() ? NULL : lib.why;
}

CURLcode curl_global_init(long flags)
{
	return loaded() ? lib.global_init(flags) : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void)
{
	return loaded() ? lib.easy_init() : NULL;
}

/*
 * The argument's type follows from the option's number, as libcurl's
 * own curl_easy_setopt() reads it (CURLOPTTYPE_* in <curl/curl.h>):
 * a long, a pointer (data, strings, function pointers, blobs) or a
 * curl_off_t.
 */
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	CURLcode rc;
	va_list ap;

	if (!curl || !loaded())
		return CURLE_FAILED_INIT;
	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT) {
		long v = va_arg(ap, long);

		rc = lib.easy_setopt(curl, option, v);
	} else if (option >= CURLOPTTYPE_OFF_T &&
		   option < CURLOPTTYPE_BLOB) {
		curl_off_t v = va_arg(ap, curl_off_t);

		rc = lib.easy_setopt(curl, option, v);
	} else if (option >= CURLOPTTYPE_FUNCTIONPOINT &&
		   option < CURLOPTTYPE_OFF_T) {
		void (*v)(void) = va_arg(ap, void (*)(void));

		rc = lib.easy_setopt(curl, option, v);
	} else {
		void *v = va_arg(ap, void *);

		rc = lib.easy_setopt(curl, option, v);
	}
	va_end(ap);
	return rc;
}

/* Every CURLINFO_* answer is written through a pointer. */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	CURLcode rc;
	va_list ap;
	void *p;

	if (!curl || !loaded())
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	p = va_arg(ap, void *);
	va_end(ap);
	rc = lib.easy_getinfo(curl, info, p);
	return rc;
}

CURLcode curl_easy_perform(CURL *curl)
{
	return curl && loaded() ? lib.easy_perform(curl) : CURLE_FAILED_INIT;
}

void curl_easy_cleanup(CURL *curl)
{
	if (curl && loaded())
		lib.easy_cleanup(curl);
}

const char *curl_easy_strerror(CURLcode code)
{
	if (loaded())
		return lib.easy_strerror(code);
	return code == CURLE_FAILED_INIT ? lib.why : "libcurl not loaded";
}

char *curl_easy_escape(CURL *curl, const char *s, int len)
{
	return curl && loaded() ? lib.easy_escape(curl, s, len) : NULL;
}

void curl_free(void *p)
{
	/* Only libcurl's answers reach here, so it is loaded if p is set. */
	if (p && loaded())
		lib.free_fn(p);
}

struct curl_slist *curl_slist_append(struct curl_slist *list,
				     const char *s)
{
	return loaded() ? lib.slist_append(list, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *list)
{
	if (list && loaded())
		lib.slist_free_all(list);
}

char *curl_version(void)
{
	static char none[] = "libcurl (not loaded)";

	return loaded() ? lib.version() : none;
}
