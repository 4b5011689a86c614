/* SPDX-License-Identifier: GPL-2.0-only */
/* Dotted-path lookups in a JSON report ("processes.0.threads.1.tid"), for the unit tests. */
#ifndef KSEE_TEST_JSONPATH_H
#define KSEE_TEST_JSONPATH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

/* The member at @path (array indexes as numbers), or NULL. */
static inline struct json_object *get(struct json_object *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, atoi(tok));
		else if (!json_object_object_get_ex(o, tok, &o))
			return NULL;
	}
	return o;
}

/* The integer at @path; fails the test, naming @path, when it is missing. */
static inline long long geti(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	if (!v)
		fail_msg("no %s", path);
	return json_object_get_int64(v);
}

#endif
