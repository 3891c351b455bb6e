/*
 * libcurl for vger: <curl/curl.h>, with libcurl itself loaded the first
 * time one of its functions is called (util/curl.c says why).  Include
 * this instead of <curl/curl.h>.
 */
#ifndef UTIL_CURL_H
#define UTIL_CURL_H

#include <curl/curl.h>

/*
 * Why libcurl could not be loaded ("cannot load libcurl: ..."), or NULL
 * when it is.  Loads it.
 */
const char *util_curl_error(void);

#endif
