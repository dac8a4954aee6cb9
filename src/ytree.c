/* ytree.c: libyaml events -> struct ynode tree with positions. */
#include "ytree.h"

#include "arena.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* The children of every open collection, on one shared stack: a frame remembers where
 * its children start, and closing it copies them into the arena. No allocation per
 * collection. */
struct kidstack {
	struct ynode **v;
	size_t n, cap;
};

struct frame {
	struct ynode *node;
	size_t start;
};

static bool kids_push(struct kidstack *k, struct ynode *kid)
{
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 256;
		struct ynode **v = realloc(k->v, cap * sizeof(*v));
		if (v == NULL)
			return false;
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n++] = kid;
	return true;
}

static unsigned long hash_str(const char *s, size_t n)
{
	unsigned long h = 5381;
	for (size_t i = 0; i < n; i++)
		h = h * 33 + (unsigned char)s[i];
	return h;
}

/* Reports each scalar key that appears twice in a mapping. */
static void report_duplicate(const struct ytree *t, const struct ynode *k, const struct ynode *o,
			     struct diags *d)
{
	diags_add(d, DIAG_ERROR, t->file, k->line, k->col, "duplicate key '%s' (first at line %d)",
		  k->str, o->line);
}

static void check_duplicate_keys(const struct ytree *t, const struct ynode *m, struct diags *d)
{
	if (m->n < 2)
		return;
	if (m->n <= 16) {
		/* small maps (nearly all of them): compare pairwise, no allocation */
		for (size_t i = 1; i < m->n; i++) {
			const struct ynode *k = m->items[2 * i];
			for (size_t j = 0; j < i && k->kind == YN_SCALAR; j++) {
				const struct ynode *o = m->items[2 * j];
				if (o->kind == YN_SCALAR && o->len == k->len &&
				    memcmp(o->str, k->str, k->len) == 0) {
					report_duplicate(t, k, o, d);
					break;
				}
			}
		}
		return;
	}
	size_t cap = 16;
	while (cap < (size_t)m->n * 2)
		cap *= 2;
	const struct ynode **slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return;
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i];
		if (k->kind != YN_SCALAR)
			continue;
		size_t h = hash_str(k->str, k->len) & (cap - 1);
		for (;;) {
			const struct ynode *o = slots[h];
			if (o == NULL) {
				slots[h] = k;
				break;
			}
			if (o->len == k->len && memcmp(o->str, k->str, k->len) == 0) {
				report_duplicate(t, k, o, d);
				break;
			}
			h = (h + 1) & (cap - 1);
		}
	}
	free(slots);
}

static struct ynode *new_node(struct ytree *t, enum ynode_kind kind, const yaml_event_t *ev)
{
	struct ynode *n = arena_alloc_raw(t->arena, sizeof(*n));
	if (n == NULL)
		return NULL;
	*n = (struct ynode){.kind = kind,
			    .line = (int)ev->start_mark.line + 1,
			    .col = (int)ev->start_mark.column + 1};
	return n;
}

/* Streaming: items of the sequence under top-level key `key` go to `each` one at a time. */
struct stream {
	const char *key;
	ytree_each_fn each;
	void *arg;
	bool active;           /* inside that sequence */
	size_t depth;          /* depth of the sequence's frame + 1 */
	struct arena_mark mark; /* where the next item's memory starts */
	size_t started, streamed; /* input offset where the list began; bytes it took */
};

/* Line and column of byte `offset` (reader errors carry an offset, not a mark). */
static void offset_position(const char *buf, size_t len, FILE *f, size_t offset, int *line,
			    int *col)
{
	*line = 1;
	*col = 1;
	if (f)
		rewind(f);
	for (size_t i = 0; i < offset; i++) {
		int c = f ? getc(f) : (i < len ? (unsigned char)buf[i] : EOF);
		if (c == EOF)
			break;
		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else if ((c & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

static struct ytree *tree_new(const char *file)
{
	struct ytree *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->arena = arena_new();
	if (t->arena == NULL) {
		free(t);
		return NULL;
	}
	t->file = arena_strdup(t->arena, file ? file : "<input>");
	return t;
}

/* Builds the tree from the parser's events (input set by the caller: buf, or file f). */
static struct ytree *parse(struct ytree *t, yaml_parser_t *parser, const char *buf, size_t len,
			   FILE *f, struct stream *st, struct diags *d)
{
	struct frame stack[YTREE_MAX_DEPTH + 1];
	struct kidstack kids = {0};
	size_t depth = 0;
	bool failed = false, done = false;
	int documents = 0;

	while (!done && !failed) {
		yaml_event_t ev;
		if (!yaml_parser_parse(parser, &ev)) {
			const char *what = parser->problem ? parser->problem : "malformed input";
			if (parser->error == YAML_READER_ERROR) {
				int line, col;
				offset_position(buf, len, f, parser->problem_offset, &line, &col);
				diags_add(
					d, DIAG_ERROR, t->file, line, col,
					"not valid UTF-8 (%s at byte %zu); save the file as UTF-8",
					what, parser->problem_offset);
			} else if (parser->context)
				diags_add(d, DIAG_ERROR, t->file, (int)parser->problem_mark.line + 1,
					  (int)parser->problem_mark.column + 1, "%s %s", what,
					  parser->context);
			else
				diags_add(d, DIAG_ERROR, t->file, (int)parser->problem_mark.line + 1,
					  (int)parser->problem_mark.column + 1, "%s", what);
			failed = true;
			break;
		}
		if (st && !st->active && ev.end_mark.index - st->streamed > YTREE_MAX_BYTES) {
			/* only the streamed list may be big: the rest is kept as a tree */
			diags_add(d, DIAG_ERROR, t->file, (int)ev.start_mark.line + 1,
				  (int)ev.start_mark.column + 1,
				  "more than %d MiB outside the \"%s\" list; split the file",
				  YTREE_MAX_BYTES >> 20, st->key);
			yaml_event_delete(&ev);
			failed = true;
			break;
		}
		struct ynode *node = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT: done = true; break;
		case YAML_DOCUMENT_START_EVENT:
			if (++documents > 1) {
				diags_add(d, DIAG_ERROR, t->file, (int)ev.start_mark.line + 1,
					  (int)ev.start_mark.column + 1,
					  "only one YAML document per file is allowed");
				failed = true;
			}
			break;
		case YAML_ALIAS_EVENT:
			diags_add(d, DIAG_ERROR, t->file, (int)ev.start_mark.line + 1,
				  (int)ev.start_mark.column + 1,
				  "YAML aliases (*%s) are not supported; write the value out",
				  ev.data.alias.anchor ? (char *)ev.data.alias.anchor : "");
			failed = true;
			break;
		case YAML_SCALAR_EVENT:
			node = new_node(t, YN_SCALAR, &ev);
			if (node == NULL) {
				failed = true;
				break;
			}
			node->str = arena_strndup(t->arena, (const char *)ev.data.scalar.value,
						  ev.data.scalar.length);
			node->len = node->str ? (unsigned)strlen(node->str) : 0;
			node->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			if (node->str == NULL)
				failed = true;
			else if (node->len != ev.data.scalar.length)
				diags_add(d, DIAG_ERROR, t->file, node->line, node->col,
					  "NUL character inside a string");
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth >= YTREE_MAX_DEPTH) {
				diags_add(d, DIAG_ERROR, t->file, (int)ev.start_mark.line + 1,
					  (int)ev.start_mark.column + 1,
					  "nested deeper than %d levels", YTREE_MAX_DEPTH);
				failed = true;
				break;
			}
			node = new_node(t, ev.type == YAML_SEQUENCE_START_EVENT ? YN_SEQ : YN_MAP,
					&ev);
			if (node == NULL) {
				failed = true;
				break;
			}
			/* the streamed sequence: the value of `key` in the top-level mapping */
			if (st && !st->active && depth == 1 && node->kind == YN_SEQ &&
			    stack[0].node->kind == YN_MAP && (kids.n - stack[0].start) % 2 == 1 &&
			    kids.v[kids.n - 1]->kind == YN_SCALAR &&
			    strcmp(kids.v[kids.n - 1]->str, st->key) == 0) {
				st->active = true;
				st->depth = depth + 1;
				st->mark = arena_mark(t->arena);
				st->started = ev.start_mark.index;
			}
			stack[depth++] = (struct frame){.node = node, .start = kids.n};
			node = NULL; /* attached to its parent when it closes */
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			if (depth == 0) { /* libyaml balances events; never trust that blindly */
				failed = true;
				break;
			}
			struct frame *fr = &stack[--depth];
			struct ynode *c = fr->node;
			size_t n = kids.n - fr->start;
			size_t bytes = n * sizeof(struct ynode *);
			c->items = bytes ? arena_alloc_raw(t->arena, bytes) : NULL;
			if (bytes && c->items == NULL)
				failed = true;
			else if (bytes)
				memcpy(c->items, kids.v + fr->start, bytes);
			c->n = (unsigned)(c->kind == YN_MAP ? n / 2 : n);
			kids.n = fr->start;
			if (c->kind == YN_MAP)
				check_duplicate_keys(t, c, d);
			if (st && st->active && depth + 1 == st->depth) {
				st->active = false; /* the streamed sequence ends (empty now) */
				st->streamed += ev.end_mark.index - st->started;
			}
			node = c;
			break;
		}
		default: break;
		}
		yaml_event_delete(&ev);
		if (node != NULL && !failed && st && st->active && depth == st->depth) {
			/* a whole item of the streamed sequence: hand it out, then forget it */
			if (!st->each(t, node, st->arg))
				failed = true;
			arena_rewind(t->arena, st->mark);
			continue;
		}
		if (node != NULL && !failed) {
			if (depth == 0)
				t->root = node;
			else if (!kids_push(&kids, node))
				failed = true;
		}
	}
	free(kids.v);
	yaml_parser_delete(parser);
	if (failed) {
		ytree_free(t);
		return NULL;
	}
	return t;
}

struct ytree *ytree_parse(const char *buf, size_t len, const char *file, struct diags *d)
{
	struct ytree *t = tree_new(file);
	yaml_parser_t parser;
	if (t == NULL || !yaml_parser_initialize(&parser)) {
		ytree_free(t);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	return parse(t, &parser, buf, len, NULL, NULL, d);
}

struct ytree *ytree_stream(const char *path, const char *key, ytree_each_fn each, void *arg,
			   struct diags *d)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		diags_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (unsigned long long)sb.st_size > YTREE_MAX_STREAM_BYTES) {
		diags_add(d, DIAG_ERROR, path, 0, 0, "file too large (over %llu GiB)",
			  (unsigned long long)YTREE_MAX_STREAM_BYTES >> 30);
		fclose(f);
		return NULL;
	}
	struct ytree *t = tree_new(path);
	yaml_parser_t parser;
	if (t == NULL || !yaml_parser_initialize(&parser)) {
		ytree_free(t);
		fclose(f);
		return NULL;
	}
	yaml_parser_set_input_file(&parser, f);
	struct stream st = {.key = key, .each = each, .arg = arg};
	t = parse(t, &parser, NULL, 0, f, &st, d);
	fclose(f);
	return t;
}

char *read_file(const char *path, size_t max, size_t *len, const char **err)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		*err = strerror(errno);
		return NULL;
	}
	/* a regular file's size is known: one allocation, no copies (pipes grow as they go) */
	struct stat st;
	size_t cap = 4096, n = 0;
	bool regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
	if (regular && (unsigned long long)st.st_size > max) {
		fclose(f);
		*err = "file too large";
		return NULL;
	}
	if (regular && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	char *buf = malloc(cap + 1);
	if (buf == NULL) {
		fclose(f);
		*err = "out of memory";
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				free(buf);
				fclose(f);
				*err = "file too large";
				return NULL;
			}
			cap = cap * 2 > max ? max : cap * 2;
			char *nb = realloc(buf, cap + 1);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				*err = "out of memory";
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				*err = strerror(errno ? errno : EIO);
				free(buf);
				fclose(f);
				return NULL;
			}
			break;
		}
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

struct ytree *ytree_load(const char *path, struct diags *d)
{
	size_t len = 0;
	const char *err = NULL;
	char *buf = read_file(path, YTREE_MAX_BYTES, &len, &err);
	if (buf == NULL) {
		diags_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", err);
		return NULL;
	}
	struct ytree *t = ytree_parse(buf, len, path, d);
	free(buf);
	return t;
}

void ytree_free(struct ytree *t)
{
	if (t == NULL)
		return;
	arena_free(t->arena);
	free(t);
}

const struct ynode *ymap_get(const struct ynode *m, const char *key)
{
	if (m == NULL || m->kind != YN_MAP)
		return NULL;
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i];
		if (k->kind == YN_SCALAR && strcmp(k->str, key) == 0)
			return m->items[2 * i + 1];
	}
	return NULL;
}

const char *ynode_kind_name(unsigned char k)
{
	switch (k) {
	case YN_SCALAR: return "a scalar";
	case YN_SEQ: return "a list";
	case YN_MAP: return "a mapping";
	}
	return "?";
}
