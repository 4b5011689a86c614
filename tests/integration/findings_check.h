/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks on the findings of a JSON report (docs/findings.md): the ones a
 * program of known behaviour must get, and no warning beyond those and
 * the ones a busy machine may add. For the integration tests.
 */
#ifndef KSEE_FINDINGS_CHECK_H
#define KSEE_FINDINGS_CHECK_H

#include <stdbool.h>
#include <string.h>
#include "harness.h"

#define FC_MAX	64

struct fc_found {
	const char *id;
	const char *severity;
	const char *summary;
};

static int fc_add(json_object *list, struct fc_found *out, int n)
{
	json_object *x, *v;
	size_t i;

	if (!json_object_is_type(list, json_type_array))
		fail_msg("findings is not an array");
	for (i = 0; i < json_object_array_length(list) && n < FC_MAX; i++) {
		x = json_object_array_get_idx(list, i);
		out[n].id = json_object_object_get_ex(x, "id", &v) ?
			    json_object_get_string(v) : "?";
		out[n].severity = json_object_object_get_ex(x, "severity", &v) ?
				  json_object_get_string(v) : "?";
		out[n].summary = json_object_object_get_ex(x, "summary", &v) ?
				 json_object_get_string(v) : "";
		n++;
	}
	return n;
}

/* The findings of @obj (a run report, or a model of a comparison) and of its processes. */
static int fc_collect(json_object *obj, struct fc_found *out)
{
	json_object *procs, *list;
	size_t i;
	int n;

	if (!json_object_object_get_ex(obj, "findings", &list))
		fail_msg("the report has no findings[]");
	n = fc_add(list, out, 0);
	if (json_object_object_get_ex(obj, "processes", &procs) &&
	    json_object_is_type(procs, json_type_array))	/* a model has a count */
		for (i = 0; i < json_object_array_length(procs); i++)
			if (json_object_object_get_ex(json_object_array_get_idx(procs, i),
						      "findings", &list))
				n = fc_add(list, out, n);
	return n;
}

/* @id is @want, or one of its alternatives "a|b". */
static bool fc_is(const char *id, const char *want)
{
	size_t n = strlen(id);

	for (; *want; want += strcspn(want, "|"), want += *want == '|')
		if (!strncmp(want, id, n) && (want[n] == '|' || !want[n]))
			return true;
	return false;
}

static bool fc_in(const char *id, const char *const *ids)
{
	for (; ids && *ids; ids++)
		if (fc_is(id, *ids))
			return true;
	return false;
}

/*
 * @obj has a finding of every id in @expect (NULL-terminated; "a|b": a or
 * b), and no warning whose id is in neither @expect nor @allow.
 */
static void fc_expect(const char *what, json_object *obj, const char *const *expect,
		      const char *const *allow)
{
	struct fc_found f[FC_MAX];
	int n = fc_collect(obj, f), i;
	const char *const *e;
	bool seen;

	for (i = 0; i < n; i++)
		fprintf(stderr, "  %s: %s %s: %s\n", what, f[i].severity, f[i].id, f[i].summary);
	for (e = expect; e && *e; e++) {
		for (seen = false, i = 0; i < n; i++)
			seen |= fc_is(f[i].id, *e);
		if (!seen)
			fail_msg("%s: no %s finding", what, *e);
	}
	for (i = 0; i < n; i++)
		if (!strcmp(f[i].severity, "warning") && !fc_in(f[i].id, expect) &&
		    !fc_in(f[i].id, allow))
			fail_msg("%s: unexpected warning %s: %s", what, f[i].id, f[i].summary);
}

#endif
